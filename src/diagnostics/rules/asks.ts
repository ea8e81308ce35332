/** Where an ask sits, and the shapes and forms a rewrite cannot take as they are. */
import type { RuleDefinition } from '../rule-definition.js';

export const ASK_RULES = [
  {
    id: 'mrtr/ask-in-helper',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested from a helper function',
    message: '{{kind}} request inside helper `{{fn}}`; under 2026-07-28 only the handler can return input_required',
    why:
      'A handler now returns `inputRequired(...)` instead of awaiting the client. A helper cannot end the ' +
      'round on its own, so the ask has to reach the handler or the call chain has to become resumable.',
    fix:
      'Move the ask into the handler as a guard, or have the helper build the `InputRequest` and let the ' +
      'handler return it.',
    example: {
      before:
        'async function confirm(server, msg) {\n  const r = await server.server.elicitInput({ message: msg, ' +
        "requestedSchema });\n  return r.action === 'accept';\n}",
      after:
        "const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\nif (r.kind !== 'elicit') return " +
        'inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: msg, requestedSchema }) } ' +
        '});\nconst ' +
        "confirmed = r.action === 'accept';",
    },
  },
  {
    id: 'mrtr/ask-in-loop',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested inside a loop',
    message:
      '{{kind}} request inside a loop; each iteration needs its own stable key and its answers carried in requestState',
    why:
      'Every round re-runs the handler from the top, and `inputResponses` holds only the latest round. ' +
      'Answers gathered in earlier iterations are lost unless they are carried in `requestState`.',
    fix:
      'Collect the questions into one round with a key per item, or carry gathered answers in a signed ' +
      '`requestState`.',
    example: {
      before:
        'for (const path of paths) {\n  const r = await server.server.elicitInput({ message: `Which ${path}?`, ' +
        'requestedSchema });\n}',
      after:
        'const keys = paths.map((p, i) => `path${i}`);\nconst missing = keys.filter((k) => ' +
        "inputResponse(ctx.mcpReq.inputResponses, k).kind !== 'elicit');\nif (missing.length > 0) return " +
        'inputRequired({ inputRequests: Object.fromEntries(missing.map((k, i) => [k, inputRequired.elicit({ message: ' +
        '`Which ${paths[i]}?`, requestedSchema })])) });',
    },
  },
  {
    id: 'mrtr/ask-in-try',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested inside try/catch',
    message: '{{kind}} request inside a try block; the catch and finally paths must be re-checked by hand',
    why:
      'The catch block used to handle a failed or refused push request. With MRTR the failure surfaces ' +
      'differently (a missing capability is refused before the handler runs), and a finally block would now run on ' +
      'every round.',
    fix: 'Hoist the ask out of the try block as a guard and keep only the code that can still throw inside it.',
    example: {
      before: 'try {\n  const r = await server.server.elicitInput(params);\n} catch {\n  return fallback();\n}',
      after:
        "const r = inputResponse(ctx.mcpReq.inputResponses, 'answer');\nif (r.kind !== 'elicit') return " +
        'inputRequired({ inputRequests: { answer: inputRequired.elicit(params) } });\ntry {\n  // only the code that ' +
        'can still throw\n} catch {\n  return fallback();\n}',
    },
  },
  {
    id: 'mrtr/ask-in-nested-function',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested from a callback inside the handler',
    message:
      '{{kind}} request inside a nested function of handler `{{handler}}`; it cannot return input_required for ' +
      'the handler',
    why:
      'Only the handler function itself can return `inputRequired(...)`; a callback (`forEach`, `then`, an ' +
      'event listener) returns to its caller instead, unless the handler awaits it.',
    fix:
      'Make the handler await the asks: `await Promise.all(items.map(...))` is rewritten into resumable asks ' +
      'that end one round with every question. Or move the ask to the handler body, asking for every item in one ' +
      'round with distinct keys.',
    example: {
      before: 'items.forEach(async (item) => { await server.server.createMessage(paramsFor(item)); });',
      after:
        'const missing = items.filter((_, i) => inputResponse(ctx.mcpReq.inputResponses, `item${i}`).kind !== ' +
        "'sampling');\nif (missing.length > 0) return inputRequired({ inputRequests: " +
        'Object.fromEntries(items.map((item, i) => [`item${i}`, inputRequired.createMessage(paramsFor(item))])) });',
    },
  },
  {
    id: 'mrtr/ask-outside-request',
    severity: 'warning',
    marker: true,
    title: 'Client input is requested outside any request',
    message:
      '{{kind}} request outside a tools/call, prompts/get or resources/read handler ({{where}}); there is no ' +
      'request to attach input_required to',
    why:
      'Protocol revision 2026-07-28 removed server-to-client requests. Input can only be requested as the ' +
      'result of a tools/call, prompts/get or resources/read request.',
    fix: 'Ask from within a tool, prompt or resource handler, or drop the feature for 2026-07-28 clients.',
    example: {
      before: 'server.server.oninitialized = async () => {\n  const { roots } = await server.server.listRoots();\n};',
      after:
        '// Ask for roots inside the tool that needs them:\nconst v = inputResponse(ctx.mcpReq.inputResponses, ' +
        "'roots');\nif (v.kind !== 'roots') return inputRequired({ inputRequests: { roots: " +
        'inputRequired.listRoots() } });',
    },
  },
  {
    id: 'mrtr/ask-by-reference',
    severity: 'warning',
    marker: true,
    title: 'An ask method is taken as a value',
    message:
      '`{{method}}` is taken as a value here; the asks made through it cannot be found, so they are not ' +
      'rewritten and fail on 2026-07-28',
    why:
      'The codemod finds asks by their calls. Called through a bound copy, a `??` fallback, a destructured ' +
      'name or a parameter, the push request survives the migration, and protocol revision 2026-07-28 has no ' +
      'server-to-client requests to carry it.',
    fix:
      'Call the method where you ask (`await server.server.elicitInput(...)`) and run mrtr-migrate again, or ' +
      'turn the ask into `inputRequired(...)` by hand.',
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
    message:
      'this mocks `{{method}}`, which migrated handlers no longer call while they serve a request: there the mock ' +
      'never answers, and the handler returns input_required instead (a helper the test calls directly still ' +
      'asks the mock)',
    why:
      'On 2026-07-28 a handler asks by returning `inputRequired(...)`; the client answers and calls again. A ' +
      "mock of the push request (`vi.spyOn(server.server, 'elicitInput')`) is never reached, so the test sees the " +
      'question, not the answer it scripted.',
    fix:
      'Answer from the test client instead: a client with `elicitation` (or `sampling`, `roots`) ' +
      'capabilities and a request handler for `elicitation/create` answers every round, as a real client does.',
    example: {
      before: "vi.spyOn(server.server, 'elicitInput').mockResolvedValue({ action: 'accept', content: { ok: true } });",
      after:
        "client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { ok: true } }));",
    },
  },
  {
    id: 'mrtr/helper-unreached',
    severity: 'warning',
    marker: true,
    title: 'A helper asks through the runtime, and no handler found reaches it',
    message:
      '`{{fn}}` now asks through the runtime, and the codemod could not trace which handler calls it: called ' +
      'from a tools/call, prompts/get or resources/read handler it asks with input_required; called anywhere ' +
      'else this {{kind}} request is sent as before, which only a 2025 session can answer',
    why:
      'A resumable ask ends the round of the request being served: every handler an SDK server serves has one ' +
      'once the runtime module is loaded. The codemod could not find who calls this helper (a method taken as ' +
      'a value, a dispatch table, a framework), so it cannot say that a request is being served when it asks.',
    fix:
      'Check who calls it. Where something other than a handler does (start-up code, a timer), a 2026-07-28 ' +
      'client cannot be asked: ask from a handler instead. Then delete this marker.',
    example: {
      before: "const handlers = { wipe: async () => ((await confirm(server, 'Wipe?')) ? wipe() : kept()) };",
      after: "// confirm() asks with askElicit('confirm', …); every tools/call handler of the server runs in a round",
    },
  },
  {
    id: 'mrtr/ask-not-awaited',
    severity: 'warning',
    marker: true,
    title: 'The ask is used as a promise, not awaited in place',
    message: '{{kind}} request used as a promise value ({{how}}); the codemod only rewrites awaited asks',
    why:
      'Under MRTR the ask becomes a `return` from the handler. A promise that is chained, raced or stored ' +
      'cannot be turned into one.',
    fix:
      'Await the ask directly in the handler body so it can become a guard. `const [a, b] = await ' +
      'Promise.all([ask(…), ask(…)])` is rewritten when every element is an ask and the names are plain.',
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
    why:
      'The guard must come before everything the statement evaluates after the ask. Here other code in the ' +
      'same expression would run before the guard or be skipped.',
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
    why: "The guard reads this round's answers from the handler context.",
    fix: 'Take the context as a plain parameter (for example `ctx`) and destructure inside the body.',
  },
  {
    id: 'mrtr/request-options-dropped',
    severity: 'info',
    marker: false,
    title: 'Per-request options were dropped',
    message:
      'the {{kind}} request options ({{options}}) have no equivalent in an embedded input request and were dropped',
    why:
      "An embedded input request travels inside the handler's result; timeouts, abort signals and progress " +
      "callbacks now belong to the client's retry.",
    fix:
      'Nothing to do unless the option carried meaning (a long timeout, say); configure the client or ' +
      '`inputRequired.roundTimeoutMs` instead.',
  },
  {
    id: 'mrtr/validation-not-preserved',
    severity: 'info',
    marker: false,
    title: 'Answer validation could not be carried over',
    message:
      'the requested schema of this elicitation is not a literal or a named value; accepted content is no ' +
      'longer validated against it',
    why:
      'The SDK validated accepted elicitation content against `requestedSchema`; embedded input responses ' +
      'are not validated.',
    fix: 'Validate with `acceptedContent(ctx.mcpReq.inputResponses, key, schema)`.',
  },
  {
    id: 'mrtr/elicitation-id-dropped',
    severity: 'info',
    marker: false,
    title: 'URL elicitation id dropped',
    message:
      'URL-mode elicitation no longer carries an elicitationId on 2026-07-28; correlate through requestState if ' +
      'you relied on it',
    why: 'The 2026-07-28 URL-mode shape has no `elicitationId`; the legacy shim synthesises one for older clients.',
    fix: 'Carry your own identifier in a signed `requestState` if completion notifications depended on it.',
  },
  {
    id: 'mrtr/unknown-request',
    severity: 'warning',
    marker: true,
    title: 'A request is sent whose method cannot be read',
    message:
      'this request to the client is built where its method cannot be read; if it elicits, samples or lists ' +
      'roots, it fails on 2026-07-28',
    why:
      'Server-to-client requests throw on a 2026-07-28 request. The codemod recognises an ask by its method ' +
      "(`elicitation/create`, `sampling/createMessage`, `roots/list`); this request's method comes from " +
      'somewhere it cannot follow (a parameter, a computed value, a shared builder).',
    fix:
      "Write the request where it is sent, with its method as a literal (`{ method: 'elicitation/create', " +
      'params }`), and run mrtr-migrate again; or, if it is not an ask, delete this marker.',
  },
] as const satisfies readonly RuleDefinition[];
