/**
 * The one catalogue of rules. Every diagnostic names a rule here; its message is rendered from
 * the rule's template, so wording lives in one place and `explain`, SARIF help and the README
 * table can all be derived from it.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface RuleDefinition {
  readonly id: string;
  readonly severity: Severity;
  /** Whether a `/* @mrtr-migrate … *\/` marker is written into the code at the spot. */
  readonly marker: boolean;
  /** One line, used in summaries and SARIF `shortDescription`. */
  readonly title: string;
  /** Message template; `{{name}}` placeholders are filled from the diagnostic's data. */
  readonly message: string;
  /** Why it matters under MRTR. */
  readonly why: string;
  /** What to do about it. */
  readonly fix: string;
  /** A short before/after, for `explain`, SARIF help and the README. */
  readonly example?: { readonly before: string; readonly after: string };
}

const rules = [
  {
    id: 'mrtr/ask-in-helper',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested from a helper function',
    message: '{{kind}} request inside helper `{{fn}}`; under 2026-07-28 only the handler can return input_required',
    why: 'A handler now returns `inputRequired(...)` instead of awaiting the client. A helper cannot end the round on its own, so the ask has to reach the handler or the call chain has to become resumable.',
    fix: 'Move the ask into the handler as a guard, or have the helper build the `InputRequest` and let the handler return it.',
    example: {
      before: "async function confirm(server, msg) {\n  const r = await server.server.elicitInput({ message: msg, requestedSchema });\n  return r.action === 'accept';\n}",
      after: "const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\nif (r.kind !== 'elicit') return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: msg, requestedSchema }) } });\nconst confirmed = r.action === 'accept';",
    },
  },
  {
    id: 'mrtr/ask-in-loop',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested inside a loop',
    message: '{{kind}} request inside a loop; each iteration needs its own stable key and its answers carried in requestState',
    why: 'Every round re-runs the handler from the top, and `inputResponses` holds only the latest round. Answers gathered in earlier iterations are lost unless they are carried in `requestState`.',
    fix: 'Collect the questions into one round with a key per item, or carry gathered answers in a signed `requestState`.',
    example: {
      before: 'for (const path of paths) {\n  const r = await server.server.elicitInput({ message: `Which ${path}?`, requestedSchema });\n}',
      after: "const keys = paths.map((p, i) => `path${i}`);\nconst missing = keys.filter((k) => inputResponse(ctx.mcpReq.inputResponses, k).kind !== 'elicit');\nif (missing.length > 0) return inputRequired({ inputRequests: Object.fromEntries(missing.map((k, i) => [k, inputRequired.elicit({ message: `Which ${paths[i]}?`, requestedSchema })])) });",
    },
  },
  {
    id: 'mrtr/ask-in-try',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested inside try/catch',
    message: '{{kind}} request inside a try block; the catch and finally paths must be re-checked by hand',
    why: 'The catch block used to handle a failed or refused push request. With MRTR the failure surfaces differently (a missing capability is refused before the handler runs), and a finally block would now run on every round.',
    fix: 'Hoist the ask out of the try block as a guard and keep only the code that can still throw inside it.',
    example: {
      before: 'try {\n  const r = await server.server.elicitInput(params);\n} catch {\n  return fallback();\n}',
      after: "const r = inputResponse(ctx.mcpReq.inputResponses, 'answer');\nif (r.kind !== 'elicit') return inputRequired({ inputRequests: { answer: inputRequired.elicit(params) } });\ntry {\n  // only the code that can still throw\n} catch {\n  return fallback();\n}",
    },
  },
  {
    id: 'mrtr/ask-in-nested-function',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested from a callback inside the handler',
    message: '{{kind}} request inside a nested function of handler `{{handler}}`; it cannot return input_required for the handler',
    why: 'Only the handler function itself can return `inputRequired(...)`; a callback (`forEach`, `then`, an event listener) returns to its caller instead, unless the handler awaits it.',
    fix: 'Make the handler await the asks: `await Promise.all(items.map(...))` is rewritten into resumable asks that end one round with every question. Or move the ask to the handler body, asking for every item in one round with distinct keys.',
    example: {
      before: 'items.forEach(async (item) => { await server.server.createMessage(paramsFor(item)); });',
      after: "const missing = items.filter((_, i) => inputResponse(ctx.mcpReq.inputResponses, `item${i}`).kind !== 'sampling');\nif (missing.length > 0) return inputRequired({ inputRequests: Object.fromEntries(items.map((item, i) => [`item${i}`, inputRequired.createMessage(paramsFor(item))])) });",
    },
  },
  {
    id: 'mrtr/ask-outside-request',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested outside any request',
    message: '{{kind}} request outside a tools/call, prompts/get or resources/read handler ({{where}}); there is no request to attach input_required to',
    why: 'Protocol revision 2026-07-28 removed server-to-client requests. Input can only be requested as the result of a tools/call, prompts/get or resources/read request.',
    fix: 'Ask from within a tool, prompt or resource handler, or drop the feature for 2026-07-28 clients.',
    example: {
      before: 'server.server.oninitialized = async () => {\n  const { roots } = await server.server.listRoots();\n};',
      after: "// Ask for roots inside the tool that needs them:\nconst v = inputResponse(ctx.mcpReq.inputResponses, 'roots');\nif (v.kind !== 'roots') return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });",
    },
  },
  {
    id: 'mrtr/ask-by-reference',
    severity: 'warning',
    marker: true,
    title: 'An ask method is taken as a value',
    message: '`{{method}}` is taken as a value here; the asks made through it cannot be found, so they are not rewritten and fail on 2026-07-28',
    why: 'The codemod finds asks by their calls. Called through a bound copy, a `??` fallback, a destructured name or a parameter, the push request survives the migration, and protocol revision 2026-07-28 has no server-to-client requests to carry it.',
    fix: 'Call the method where you ask (`await server.server.elicitInput(...)`) and run mrtr-migrate again, or turn the ask into `inputRequired(...)` by hand.',
    example: {
      before: 'const elicit = server.server.elicitInput.bind(server.server);\nconst r = await elicit(params);',
      after: 'const r = await server.server.elicitInput(params); // then run mrtr-migrate again',
    },
  },
  {
    id: 'mrtr/mocked-ask',
    severity: 'warning',
    marker: true,
    title: 'A test stands in for an ask',
    message: 'this mocks `{{method}}`, which migrated handlers no longer call: the mock never answers, and the handler returns input_required instead',
    why: 'On 2026-07-28 a handler asks by returning `inputRequired(...)`; the client answers and calls again. A mock of the push request (`vi.spyOn(server.server, \'elicitInput\')`) is never reached, so the test sees the question, not the answer it scripted.',
    fix: 'Answer from the test client instead: a client with `elicitation` (or `sampling`, `roots`) capabilities and a request handler for `elicitation/create` answers every round, as a real client does.',
    example: {
      before: "vi.spyOn(server.server, 'elicitInput').mockResolvedValue({ action: 'accept', content: { ok: true } });",
      after: "client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { ok: true } }));",
    },
  },
  {
    id: 'mrtr/forwarded-registration',
    severity: 'info',
    marker: false,
    title: 'Handlers registered through a function of yours are wrapped',
    message: 'handlers registered through `{{what}}` are wrapped in resumable(...) here, so those that reach an ask can end a round',
    why: 'A function that takes a handler and registers it hides which tools it registers. Wrapping at the one registration covers every handler passed to it, and costs nothing for those that never ask.',
    fix: 'Nothing to do. Handlers passed to it that ask directly can be migrated to guards once they are registered where the codemod can see them.',
  },
  {
    id: 'mrtr/helper-unreached',
    severity: 'warning',
    marker: true,
    title: 'A helper asks through the runtime, but no wrapped handler calls it',
    message: '`{{fn}}` now asks through the runtime, but only this file can call it and no handler here was wrapped in resumable(...); the handler that calls it must be, or this ask fails at run time',
    why: 'A resumable ask ends its round through the `resumable(...)` wrapper of the handler being served. The codemod did not find the handler that reaches this helper (registered in a way it cannot follow), so nothing is wrapped.',
    fix: "Wrap the registration of each handler that calls it: `server.registerTool(name, config, resumable('tool name', handler))`.",
    example: {
      before: "registerAll(server, { wipe: async () => (await confirm(server, 'Wipe?')) ? wipe() : kept() });",
      after: "registerAll(server, { wipe: resumable('tool wipe', async () => (await confirm(server, 'Wipe?')) ? wipe() : kept()) });",
    },
  },
  {
    id: 'mrtr/dependent-asks',
    severity: 'warning',
    marker: true,
    title: 'A later question depends on an earlier answer',
    message: 'this {{kind}} request runs after another ask in the same handler; rounds must carry earlier answers in requestState',
    why: '`inputResponses` holds only the current round. A second question asked after the first answer arrives loses that answer unless it is carried forward in a signed `requestState`.',
    fix: 'Rewrite the handler as a phase switch over a signed `requestState`, or ask independent questions in one round.',
    example: {
      before: 'const a = await ask(first);\nconst b = await ask(secondUsing(a));',
      after: "const state = ctx.mcpReq.requestState<{ step: 'b'; a: string }>();\nif (!state) { /* ask a, mint { step: 'b', a } */ }\nelse { /* ask b using state.a */ }",
    },
  },
  {
    id: 'mrtr/ask-not-awaited',
    severity: 'warning',
    marker: true,
    title: 'The ask is used as a promise, not awaited in place',
    message: '{{kind}} request used as a promise value ({{how}}); the codemod only rewrites awaited asks',
    why: 'Under MRTR the ask becomes a `return` from the handler. A promise that is chained, raced or stored cannot be turned into one.',
    fix: 'Await the ask directly in the handler body so it can become a guard. `const [a, b] = await Promise.all([ask(…), ask(…)])` is rewritten when every element is an ask and the names are plain.',
    example: {
      before: 'server.server.elicitInput(params).then((r) => log(r));',
      after: 'const r = await server.server.elicitInput(params);\nlog(r);',
    },
  },
  {
    id: 'mrtr/unsupported-ask-position',
    severity: 'warning',
    marker: true,
    title: 'The ask sits in an expression the rewrite cannot split',
    message: '{{kind}} request in a position that runs other code first ({{how}}); rewrite by hand',
    why: 'The guard must come before everything the statement evaluates after the ask. Here other code in the same expression would run before the guard or be skipped.',
    fix: 'Assign the awaited result to a variable in its own statement first.',
    example: {
      before: 'const total = base() + (await server.server.elicitInput(params)).content.n;',
      after: 'const answer = await server.server.elicitInput(params);\nconst total = base() + answer.content.n;',
    },
  },
  {
    id: 'mrtr/unsupported-request-form',
    severity: 'warning',
    marker: true,
    title: 'The request parameters cannot be read',
    message: '{{kind}} request whose {{what}} is not written out; rewrite by hand',
    why: 'The codemod needs the request method and parameters to build the embedded input request.',
    fix: 'Write the request as an object literal, or build it with `inputRequired.elicit(...)` yourself.',
  },
  {
    id: 'mrtr/context-param-unavailable',
    severity: 'warning',
    marker: true,
    title: 'The handler context cannot be reached',
    message: 'handler `{{handler}}` takes its context as {{how}}; the rewrite needs `ctx.mcpReq.inputResponses`',
    why: 'The guard reads this round\'s answers from the handler context.',
    fix: 'Take the context as a plain parameter (for example `ctx`) and destructure inside the body.',
  },
  {
    id: 'mrtr/request-options-dropped',
    severity: 'info',
    marker: false,
    title: 'Per-request options were dropped',
    message: 'the {{kind}} request options ({{options}}) have no equivalent in an embedded input request and were dropped',
    why: 'An embedded input request travels inside the handler\'s result; timeouts, abort signals and progress callbacks now belong to the client\'s retry.',
    fix: 'Nothing to do unless the option carried meaning (a long timeout, say); configure the client or `inputRequired.roundTimeoutMs` instead.',
  },
  {
    id: 'mrtr/validation-not-preserved',
    severity: 'info',
    marker: false,
    title: 'Answer validation could not be carried over',
    message: 'the requested schema of this elicitation is not a literal or a named value; accepted content is no longer validated against it',
    why: 'The SDK validated accepted elicitation content against `requestedSchema`; embedded input responses are not validated.',
    fix: 'Validate with `acceptedContent(ctx.mcpReq.inputResponses, key, schema)`.',
  },
  {
    id: 'mrtr/elicitation-id-dropped',
    severity: 'info',
    marker: false,
    title: 'URL elicitation id dropped',
    message: 'URL-mode elicitation no longer carries an elicitationId on 2026-07-28; correlate through requestState if you relied on it',
    why: 'The 2026-07-28 URL-mode shape has no `elicitationId`; the legacy shim synthesises one for older clients.',
    fix: 'Carry your own identifier in a signed `requestState` if completion notifications depended on it.',
  },
  {
    id: 'mrtr/v2-upgrade',
    severity: 'warning',
    marker: true,
    title: 'The v1-to-v2 surface upgrade needs a hand',
    message: '{{detail}}',
    why: 'Reported by the official `@modelcontextprotocol/codemod` v1-to-v2 transforms, which mrtr-migrate runs before its own pass.',
    fix: 'Follow the message; the official upgrade guide covers each case.',
  },
  {
    id: 'mrtr/commonjs-v1-require',
    severity: 'warning',
    marker: true,
    title: 'SDK v1 loaded with require() is not upgraded',
    message: 'this file loads SDK v1 with require(); the official v1-to-v2 codemod upgrades import declarations only, so asks in this run\'s CommonJS files are left as written',
    why: 'Guards need the v2 `McpServer` (it hands the handler `ctx.mcpReq.inputResponses`). Rewriting handlers while their server stays on v1 would leave every ask unanswered, so CommonJS files are held back until the SDK they load is v2.',
    fix: 'Switch this file to `import` (or change the require to the v2 packages by hand), then run mrtr-migrate again.',
    example: {
      before: "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');",
      after: "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n// then run mrtr-migrate again",
    },
  },
  {
    id: 'mrtr/v2-upgrade-note',
    severity: 'info',
    marker: false,
    title: 'Note from the v1-to-v2 surface upgrade',
    message: '{{detail}}',
    why: 'Reported by the official `@modelcontextprotocol/codemod` v1-to-v2 transforms.',
    fix: 'Read the note; usually nothing to do.',
  },
  {
    id: 'mrtr/effect-before-guard',
    severity: 'warning',
    marker: true,
    title: 'A side effect runs again on every round',
    message: '`{{what}}` runs again on every round, before the `{{key}}` guard: it {{why}}',
    why: 'Under MRTR the handler re-runs from the top for every round, so code above a guard runs once per round: a payment, a write or a message would happen twice or more.',
    fix: 'Move it below the guard when the ask does not depend on it (`--fix-effects` does this), carry its result in a signed `requestState`, or make it idempotent with a key.',
    example: {
      before: 'await db.insert(row);\nconst r = await server.server.elicitInput(params);',
      after: "const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\nif (r.kind !== 'elicit') return inputRequired({ inputRequests: { confirm: inputRequired.elicit(params) } });\nawait db.insert(row); // now runs once",
    },
  },
  {
    id: 'mrtr/outer-mutation-before-guard',
    severity: 'warning',
    marker: true,
    title: 'State that outlives the round is changed again on every round',
    message: '`{{what}}` runs again on every round, before the `{{key}}` guard: it {{why}}',
    why: 'A module or closure variable, cache or counter keeps its value between rounds, so a change above a guard is applied once per round.',
    fix: 'Move the change below the guard (`--fix-effects`), or derive it from `requestState` instead of mutating shared state.',
    example: {
      before: 'requestCount++;\nconst r = await server.server.elicitInput(params);',
      after: "const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\nif (r.kind !== 'elicit') return inputRequired({ /* ... */ });\nrequestCount++;",
    },
  },
  {
    id: 'mrtr/nondeterministic-before-guard',
    severity: 'warning',
    marker: true,
    title: 'A value differs between rounds',
    message: '`{{what}}` gives a different value on every round, and the value is used after the `{{key}}` guard',
    why: 'The round that asks and the round that gets the answer compute it afresh, so an id, timestamp or random choice shown in the question is not the one used afterwards.',
    fix: 'Compute it once and carry it in a signed `requestState`, or compute it after the guard.',
    example: {
      before: 'const id = randomUUID();\nconst r = await server.server.elicitInput({ message: `Keep ${id}?`, requestedSchema });\nuse(id);',
      after: 'const state = ctx.mcpReq.requestState<{ id: string }>();\nconst id = state?.id ?? randomUUID();\n// return inputRequired({ inputRequests, requestState: await codec.mint({ id }) })',
    },
  },
  {
    id: 'mrtr/unknown-call-before-guard',
    severity: 'warning',
    marker: true,
    title: 'Code the analysis cannot see runs again on every round',
    message: '`{{what}}` runs again on every round, before the `{{key}}` guard, and the analysis cannot see what it does',
    why: 'If the call has effects they now happen once per round.',
    fix: 'Check what it does; if it is safe to repeat, mark it with `// @mrtr-migrate-pure` or list it as pure in `mrtr-migrate.config.json`.',
    example: {
      before: 'await vendor.sync(order);\nconst r = await server.server.elicitInput(params);',
      after: '// @mrtr-migrate-pure  (when it is safe to repeat)\nawait vendor.sync(order);',
    },
  },
  {
    id: 'mrtr/read-before-guard',
    severity: 'info',
    marker: false,
    title: 'A read runs again on every round',
    message: '`{{what}}` runs again on every round before the `{{key}}` guard ({{why}}); it costs a repeat, not correctness',
    why: 'Reads above a guard are repeated each round: a cost, not a change in behaviour.',
    fix: 'Nothing to do unless the read is expensive; carry its result in `requestState` if it is.',
  },
  {
    id: 'mrtr/effect-moved-below-guard',
    severity: 'warning',
    marker: true,
    title: 'An effect was moved below the guard',
    message: 'moved below the `{{key}}` guard by --fix-effects: it now runs once, in the round where the answer arrives (decline or not), instead of before the question',
    why: 'Moving the effect keeps it from repeating, but it now happens after the user answered, and also when the answer is a decline or cancel.',
    fix: 'Check that running after the answer is right; move it into the accept branch if it should only run on accept.',
  },
  {
    id: 'mrtr/risk-above-max',
    severity: 'warning',
    marker: true,
    title: 'Not rewritten: riskier than --max-risk allows',
    message: 'handler `{{handler}}` was not rewritten: its rewrite is `{{risk}}` ({{reason}}), above --max-risk {{max}}',
    why: 'The run was limited to rewrites of a lower risk class.',
    fix: 'Review the reason, then run again with `--max-risk review`, or rewrite by hand.',
    example: {
      before: 'mrtr-migrate --max-risk safe src/',
      after: 'mrtr-migrate --max-risk review src/',
    },
  },
  {
    id: 'mrtr/resumable-helper',
    severity: 'info',
    marker: false,
    title: 'A helper now asks through the runtime',
    message: 'the {{kind}} request in `{{fn}}` is now a resumable ask; every handler that reaches it must be wrapped in resumable(...)',
    why: 'A helper cannot return input_required itself. Its ask ends the round through the runtime, and the wrapped handler turns that into its result; called from anywhere else it fails with a clear message.',
    fix: 'Nothing to do when the handlers that call it were migrated in the same run; otherwise wrap them in resumable(...).',
  },
  {
    id: 'mrtr/stale-capability-check',
    severity: 'warning',
    marker: true,
    title: 'Client capabilities are read outside the request being served',
    message: '`{{what}}` reads the client capabilities outside the request being served; on 2026-07-28 through serveStdio it is empty, and a cached value belongs to some other request',
    why: 'On 2026-07-28 every request carries its own capabilities. The server accessor is filled per request through createMcpHandler but stays empty through serveStdio, and a value kept from start-up or from another instance describes another client.',
    fix: 'Read `clientCapabilities(server, ctx)` (from the mrtr-request-state module) inside the handler that needs it, and keep its fail-open or fail-closed choice.',
    example: {
      before: "const canElicit = server.server.getClientCapabilities()?.elicitation !== undefined; // at start-up",
      after: "// inside the handler\nif (!clientCapabilities(server.server, ctx)?.elicitation) return fallback();",
    },
  },
  {
    id: 'mrtr/memoised-answer',
    severity: 'warning',
    marker: true,
    title: 'An answer is remembered across calls',
    message: 'the answer to this {{kind}} request is kept in `{{name}}`, which outlives the request ("don\'t ask again"); the handler was left as written',
    why: 'With createMcpHandler each request may run on a fresh server instance, and one process serves many clients: the remembered answer may be lost, or given on behalf of someone else.',
    fix: 'Keep consent per user in your own store keyed by the authenticated client, or ask every time; then run mrtr-migrate again on the file.',
  },
  {
    id: 'mrtr/unresolved-call-chain',
    severity: 'warning',
    marker: true,
    title: 'A handler calls code the codemod cannot follow',
    message: 'handler `{{handler}}` calls `{{what}}`, which the codemod cannot follow, where code asks; it was wrapped in resumable(...) in case that call reaches an ask',
    why: 'An ask reached through a function value (a tool object\'s method, a callback taken from a list) only works inside a handler wrapped in resumable(...). The wrapper costs nothing when no ask is reached, so the codemod adds it; check that the call chain is what you expect.',
    fix: 'Check which asks this handler can reach; remove the wrapper if none, and delete this marker.',
  },
  {
    id: 'mrtr/hand-rolled-confirmation',
    severity: 'info',
    marker: false,
    title: 'A hand-rolled confirmation round trip was left as it is',
    message: 'handler `{{handler}}` already asks the model to call again with `{{flag}}: true`; it keeps working on 2026-07-28 and was left as it is',
    why: 'Asking the model to repeat the call with a confirmation flag is a multi-round flow built from plain tool results; it needs no server-to-client request.',
    fix: 'Nothing to do. An elicitation would ask the user rather than the model, if that is what was meant.',
  },
  {
    id: 'mrtr/request-state-unwired',
    severity: 'warning',
    marker: true,
    title: 'The requestState verify hook is not wired into the server',
    message: 'handler `{{handler}}` carries answers in requestState, but no `new McpServer(...)` or `new Server(...)` in this file got the verify hook',
    why: 'The handler still checks the signature itself, but a forged or expired state then fails inside the handler instead of being refused by the SDK with "Invalid or expired requestState".',
    fix: 'Pass `{ requestState: { verify: verifyRequestState } }` (from the mrtr-request-state module) as the server options where the server is built.',
  },
  {
    id: 'mrtr/secret-in-state',
    severity: 'warning',
    marker: true,
    title: 'A secret would travel in requestState',
    message: 'the answer `{{name}}` looks like a secret, and multi-round handlers carry answers in requestState, which is signed, not encrypted',
    why: 'The client holds requestState between rounds and can read it. Elicitation must not collect passwords, tokens or keys in the first place.',
    fix: 'Do not ask for secrets by elicitation; use URL-mode elicitation to a page you control, and keep the secret on the server.',
  },
  {
    id: 'mrtr/secret-carried',
    severity: 'warning',
    marker: true,
    title: 'A step hands on a value that looks like a secret',
    message: '`{{name}}` looks like a secret, and steps hand it on in requestState, which is signed, not encrypted',
    why: 'What one step hands to the next travels to the client and back. The client can read it.',
    fix: 'Compute the value again in the step that uses it, from data that stays on the server, instead of handing it on.',
  },
  {
    id: 'mrtr/steps-not-applied',
    severity: 'info',
    marker: false,
    title: 'A handler kept the multi-round rewrite instead of steps',
    message: '`{{handler}}` stays multi-round under --style steps: {{reason}}',
    why: 'A step hands on its locals as JSON in requestState and sees nothing else of the steps before it, so some handlers cannot be split without changing what they do.',
    fix: 'Nothing is required: the multi-round rewrite behaves the same. To get steps, make the value plain data or move the code that needs it next to its use, then run again.',
  },
  {
    id: 'mrtr/runtime-kept',
    severity: 'info',
    marker: false,
    title: 'Your changed runtime module was kept',
    message: '{{file}} differs from the one mrtr-migrate would write; it was left as it is',
    why: 'The runtime module is yours once written: mrtr-migrate never overwrites a changed copy.',
    fix: 'Compare it with a fresh copy (delete it and run again on a scratch branch) if you want the latest version.',
  },
  {
    id: 'mrtr/unmigrated-ask',
    severity: 'warning',
    marker: false,
    title: 'An SSE-era ask is still in the code',
    message: '{{kind}} request still pushed to the client; it fails on protocol revision 2026-07-28',
    why: 'Server-to-client requests throw on a 2026-07-28 request before anything reaches the wire.',
    fix: 'Run `mrtr-migrate` on the file, or rewrite the ask as a guard returning `inputRequired(...)`.',
  },
  {
    id: 'mrtr/parse-error',
    severity: 'error',
    marker: false,
    title: 'The file does not parse',
    message: 'the file does not parse ({{detail}}); it was left untouched',
    why: 'A rewrite of code that does not parse could lose text.',
    fix: 'Fix the syntax error and run again.',
  },
  {
    id: 'mrtr/internal-error',
    severity: 'error',
    marker: false,
    title: 'A transform failed on this file',
    message: 'transform `{{transform}}` failed: {{detail}}; the file was left untouched',
    why: 'Each file is migrated atomically: when any step fails the file is rolled back.',
    fix: 'Report the error with the smallest file that reproduces it.',
  },
  {
    id: 'mrtr/strategy-not-selected',
    severity: 'warning',
    marker: false,
    title: 'The strategy this code needs was left out with -t',
    message: '{{what}} needs the `{{strategy}}` strategy, which -t left out; it still asks the SSE way',
    why: 'An ask left as written still pushes a request to the client, which fails on protocol revision 2026-07-28.',
    fix: 'Run again with the strategy in `-t` (or without `-t`), or rewrite the ask by hand.',
  },
] as const satisfies readonly RuleDefinition[];

export type RuleId = (typeof rules)[number]['id'];

const byId = new Map<string, RuleDefinition>(rules.map((rule) => [rule.id, rule]));

export const allRules: readonly RuleDefinition[] = rules;

export function getRule(id: RuleId): RuleDefinition {
  const rule = byId.get(id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}

export function isRuleId(id: string): id is RuleId {
  return byId.has(id);
}

/** Fills a rule's message template; a missing placeholder is a programming error. */
export function renderMessage(id: RuleId, data: Readonly<Record<string, string>>): string {
  return getRule(id).message.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`rule ${id}: no value for {{${name}}}`);
    return value;
  });
}
