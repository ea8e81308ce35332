/** How asks are reached through helpers and registrations, and what travels in requestState. */
import type { RuleDefinition } from '../rule-definition.js';

export const REACH_AND_STATE_RULES = [
  {
    id: 'mrtr/resumable-helper',
    severity: 'info',
    marker: false,
    title: 'A helper now asks through the runtime',
    message: 'the {{kind}} request in `{{fn}}` is now a resumable ask, reached from {{from}}{{notNative}}',
    why:
      'A helper cannot return input_required itself. Its ask ends the round of the request being served, and ' +
      'the handler returns that as its result. Every handler an SDK server serves runs in a round once the ' +
      'runtime module is loaded, however it was registered. Where no request is being served (a timer, a ' +
      'notification handler, a test calling the helper), the ask is sent the way it was written, as it was.',
    fix: 'Nothing to do.',
  },
  {
    id: 'mrtr/native-helper',
    severity: 'info',
    marker: false,
    title: 'A helper now returns the request to its callers',
    message:
      "the {{kind}} request in `{{fn}}` now reads its answer under '{{key}}' from the context its callers pass, " +
      'and returns inputRequired(...) while there is none',
    why:
      'Each caller between the handler and the helper passes the context down and returns the request up, so ' +
      'the handler returns it and the client retries with the answer. Nothing waits in memory between rounds: ' +
      'any instance serves the retry. Called without a context (a timer, a test), the helper asks as it did.',
    fix: 'Nothing to do.',
  },
  {
    id: 'mrtr/native-in-handler',
    severity: 'info',
    marker: false,
    title: 'An ask in a loop or a sequence now returns the request from its handler',
    message:
      "the {{kind}} request in `{{handler}}` now reads its answer under '{{key}}' (a key of its own on each pass) " +
      'and returns inputRequired(...) while there is none',
    why:
      'The handler runs again from the top each round. The answers of earlier rounds travel in the signed ' +
      'requestState, bound to the call, so earlier passes find their answers and what they did is carried by ' +
      'once. Nothing waits in memory between rounds: any instance serves the retry.',
    fix: 'Set MCP_REQUEST_STATE_KEY to the same secret on every instance.',
  },
  {
    id: 'mrtr/server-construction-unseen',
    severity: 'warning',
    marker: true,
    title: 'No server construction of the run loads the runtime',
    message:
      'this ask goes through the runtime, but no `new McpServer(...)` or `new Server(...)` in the run loads it; ' +
      'the server that serves it must be built where the module is imported first, or the ask throws',
    why:
      'Loading the runtime module gives the handlers of every server built afterwards a round to ask in. The ' +
      'codemod wires the module into each server construction it sees; this run has none (the server is built ' +
      'in a package, a framework or a file outside the run).',
    fix:
      'Run mrtr-migrate on the files that build the server too, or import `./mrtr-request-state.js` in the ' +
      'module that builds it, before any handler is registered; then delete this marker.',
  },
  {
    id: 'mrtr/framework-server',
    severity: 'warning',
    marker: true,
    title: 'A framework builds the server, on its own copy of SDK v1',
    message:
      'this {{kind}} request belongs to a server that FastMCP builds and serves with its own copy of SDK v1; ' +
      'nothing here can give its handlers a round, so it is left as written and fails for 2026-07-28 clients',
    why:
      'FastMCP constructs the SDK server inside its package and serves it itself, on SDK v1. The codemod cannot ' +
      'wire the runtime into that construction, and an ask converted for MRTR would then have no round to end. ' +
      'Left on v1, the ask keeps working for clients of the 2025 era.',
    fix:
      'Wait for FastMCP to serve 2026-07-28, or move the server to `McpServer` from @modelcontextprotocol/server ' +
      '(its tools map to `registerTool`), then run mrtr-migrate again; delete this marker when done.',
    example: {
      before: "const server = new FastMCP({ name: 'notes', version: '1.0.0' });\nserver.addTool({ name, execute });",
      after:
        "const server = new McpServer({ name: 'notes', version: '1.0.0' });\nserver.registerTool(name, " +
        '{ inputSchema }, execute);',
    },
  },
  {
    id: 'mrtr/stale-capability-check',
    severity: 'warning',
    marker: true,
    title: 'Client capabilities are read outside the request being served',
    message:
      '`{{what}}` reads the client capabilities outside the request being served; on 2026-07-28 through ' +
      'serveStdio it is empty, and a cached value belongs to some other request',
    why:
      'On 2026-07-28 every request carries its own capabilities. The server accessor is filled per request ' +
      'through createMcpHandler but stays empty through serveStdio, and a value kept from start-up or from another ' +
      'instance describes another client.',
    fix:
      'Read `clientCapabilities(server, ctx)` (from the mrtr-request-state module) inside the handler that ' +
      'needs it, and keep its fail-open or fail-closed choice.',
    example: {
      before: 'const canElicit = server.server.getClientCapabilities()?.elicitation !== undefined; // at start-up',
      after: '// inside the handler\nif (!clientCapabilities(server.server, ctx)?.elicitation) return fallback();',
    },
  },
  {
    id: 'mrtr/memoised-answer',
    severity: 'warning',
    marker: true,
    title: 'An answer is remembered across calls',
    message:
      'the answer to this {{kind}} request is kept in `{{name}}`, which outlives the request ("don\'t ask ' +
      'again"); the handler was left as written',
    why:
      'With createMcpHandler each request may run on a fresh server instance, and one process serves many ' +
      'clients: the remembered answer may be lost, or given on behalf of someone else.',
    fix:
      'Keep consent per user in your own store keyed by the authenticated client, or ask every time; then ' +
      'run mrtr-migrate again on the file.',
  },
  {
    id: 'mrtr/hand-rolled-confirmation',
    severity: 'info',
    marker: false,
    title: 'A hand-rolled confirmation round trip was left as it is',
    message:
      'handler `{{handler}}` already asks the model to call again with `{{flag}}: true`; it keeps working on ' +
      '2026-07-28 and was left as it is',
    why:
      'Asking the model to repeat the call with a confirmation flag is a multi-round flow built from plain ' +
      'tool results; it needs no server-to-client request.',
    fix: 'Nothing to do. An elicitation would ask the user rather than the model, if that is what was meant.',
  },
  {
    id: 'mrtr/request-state-unwired',
    severity: 'warning',
    marker: true,
    title: 'The requestState verify hook is not wired into the server',
    message:
      'handler `{{handler}}` carries answers in requestState, but no `new McpServer(...)` or `new Server(...)` ' +
      'in this file got the verify hook',
    why:
      'The handler still checks the signature itself, but a forged or expired state then fails inside the ' +
      'handler instead of being refused by the SDK with "Invalid or expired requestState".',
    fix:
      'Pass `{ requestState: { verify: verifyRequestState } }` (from the mrtr-request-state module) as the ' +
      'server options where the server is built.',
  },
  {
    id: 'mrtr/secret-in-state',
    severity: 'warning',
    marker: true,
    title: 'A secret would travel in requestState',
    message:
      'the answer `{{name}}` looks like a secret, and multi-round handlers carry answers in requestState, which ' +
      'is signed, not encrypted',
    why:
      'The client holds requestState between rounds and can read it. Elicitation must not collect passwords, ' +
      'tokens or keys in the first place.',
    fix:
      'Do not ask for secrets by elicitation; use URL-mode elicitation to a page you control, and keep the ' +
      'secret on the server.',
  },
  {
    id: 'mrtr/secret-carried',
    severity: 'warning',
    marker: true,
    title: 'A step hands on a value that looks like a secret',
    message: '`{{name}}` looks like a secret, and steps hand it on in requestState, which is signed, not encrypted',
    why: 'What one step hands to the next travels to the client and back. The client can read it.',
    fix:
      'Compute the value again in the step that uses it, from data that stays on the server, instead of ' +
      'handing it on.',
  },
  {
    id: 'mrtr/steps-not-applied',
    severity: 'info',
    marker: false,
    title: 'A handler kept the multi-round rewrite instead of steps',
    message: '`{{handler}}` stays multi-round under --style steps: {{reason}}',
    why:
      'A step hands on its locals as JSON in requestState and sees nothing else of the steps before it, so ' +
      'some handlers cannot be split without changing what they do.',
    fix:
      'Nothing is required: the multi-round rewrite behaves the same. To get steps, make the value plain ' +
      'data or move the code that needs it next to its use, then run again.',
  },
] as const satisfies readonly RuleDefinition[];
