/** When handlers are registered: a 2026-07-28 client sends no `initialize`, so nothing may wait for it. */
import type { RuleDefinition } from '../rule-definition.js';

export const REGISTRATION_RULES = [
  {
    id: 'mrtr/registered-at-construction',
    severity: 'info',
    marker: false,
    title: 'Registered when the server is built, not after initialize',
    message:
      '`{{what}}` moved out of `oninitialized` to where the server is built: a 2026-07-28 client sends no ' +
      '`initialize`, so it saw none of the handlers registered there',
    why:
      'On 2026-07-28 every request stands alone and no `initialize` handshake happens, so `oninitialized` never ' +
      'runs for those clients. What it registered must exist from the start; what stays in the callback (a roots ' +
      'sync, say) still runs for 2025 clients.',
    fix: 'Nothing to do. If a comment above the moved code said it waits for the client, update it.',
    example: {
      before: 'server.server.oninitialized = () => {\n  registerConditionalTools(server);\n  syncRoots(server);\n};',
      after: 'registerConditionalTools(server);\nserver.server.oninitialized = () => {\n  syncRoots(server);\n};',
    },
  },
  {
    id: 'mrtr/capability-checked-per-request',
    severity: 'info',
    marker: false,
    title: 'A capability gate lets the tool through where capabilities are not known yet, and checks each request',
    message:
      '`{{handler}}` was registered only for clients that declared {{capabilities}} at initialize; it is now ' +
      "also registered where the client's capabilities are not known yet (when the server is built, so for " +
      'every 2026-07-28 client), and checks each request, answering a client without {{capabilities}} with an ' +
      'error result',
    why:
      "A 2026-07-28 client declares its capabilities with each request, not once at initialize, so the server's " +
      'capability accessor is empty when the tools are registered. The gate still keeps the tool from a client ' +
      'known to lack the capability; the check the registration made now also runs on the capabilities of the ' +
      'request being served.',
    fix:
      'Nothing to do. A client that lacks the capability may now see the tool in its list; change the error ' +
      'text if it should say more.',
    example: {
      before:
        'const caps = server.server.getClientCapabilities();\n' +
        'if (caps?.sampling) server.registerTool(name, config, handler);',
      after:
        'const caps = server.server.getClientCapabilities();\n' +
        'if (server.server.getClientCapabilities() === undefined || caps?.sampling)\n' +
        '  server.registerTool(name, config, async (args, ctx) => {\n' +
        '    const caps = clientCapabilities(server.server, ctx);\n' +
        '    if (!caps?.sampling) return { content: [...], isError: true };\n    …\n  });',
    },
  },
  {
    id: 'mrtr/registration-waits-for-initialize',
    severity: 'error',
    marker: true,
    title: 'Registration still waits for initialize',
    message:
      '`{{what}}` registers handlers inside `oninitialized` and uses values of that callback, so it could not move: ' +
      'a 2026-07-28 client sends no `initialize` and never sees those handlers',
    why: 'On 2026-07-28 no `initialize` handshake happens, so `oninitialized` never runs for those clients.',
    fix:
      'Register the handlers where the server is built; read what the callback provided (client capabilities, ' +
      'client info) inside each handler, from the request being served.',
  },
  {
    id: 'mrtr/task-based',
    severity: 'error',
    marker: true,
    title: 'Uses MCP tasks, which SDK v2 does not have',
    message:
      '{{what}} uses MCP tasks ({{how}}), which SDK v2 does not have (SEP-2663 moved tasks to the Extensions ' +
      'Track): {{outcome}}',
    why:
      "SDK v1's experimental tasks API (task stores, `registerToolTask`, asks the client runs as tasks, " +
      '`tasks/get` polling) is gone from v2, with no equivalent. Code that needs it cannot run on v2 as written.',
    fix:
      'Rewrite the tool without tasks: ask with `inputRequired(...)` and keep long-running work behind your own ' +
      'job API, or remove the tool.',
  },
  {
    id: 'mrtr/removed-name-used',
    severity: 'error',
    marker: true,
    title: 'A removed import is still used',
    message:
      'the upgrade removed the import of `{{name}}` from `{{module}}`, but the code still uses it; the import was ' +
      'put back so the module loads, and it still needs a v2 replacement',
    why:
      'The official v1-to-v2 transforms drop imports that have no v2 equivalent. Code that still names one throws ' +
      'a ReferenceError when the module loads.',
    fix: 'Replace what the code does with the name, then remove the import.',
  },
] as const satisfies readonly RuleDefinition[];
