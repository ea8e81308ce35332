/** `mrtr-migrate/no-stale-capabilities`: RuleTester, exact messages and fix outputs. */
import { rules } from '../src/eslint/index.js';
import { ruleTester } from './helpers/rule-tester.js';
import { scratchProject } from './helpers/scratch-project.js';

const tester = ruleTester();
const project = scratchProject(['tools.ts']);
const filename = project.file('tools.ts');

const IMPORTS = [
  "import { McpServer } from '@modelcontextprotocol/server';",
  "import { elicitAnswer } from './mrtr-request-state.js';",
];

function stale(what: string): string {
  return (
    `\`${what}\` reads the client capabilities outside the request being served; on 2026-07-28 through ` +
    'serveStdio it is empty, and a cached value belongs to some other request'
  );
}

tester.run('no-stale-capabilities', rules['no-stale-capabilities'], {
  valid: [
    {
      name: 'the per-request read',
      filename,
      code: [...IMPORTS, "server.registerTool('t', {}, async (ctx) => clientCapabilities(server.server, ctx));"].join(
        '\n',
      ),
    },
    {
      name: 'a registration gate the registration pass opened to clients not yet known',
      filename,
      code: [
        'const canAsk = server.server.getClientCapabilities()?.elicitation !== undefined;',
        'if (server.server.getClientCapabilities() === undefined || canAsk) {',
        "  server.registerTool('t', {}, async () => ({ content: [] }));",
        '}',
      ].join('\n'),
    },
    {
      name: 'the runtime module itself',
      filename: project.file('mrtr-request-state.ts'),
      code: 'export const read = (c: { getClientCapabilities(): unknown }) => c.getClientCapabilities();',
    },
    {
      name: 'false-negative: the accessor taken as a value and called under another name',
      filename,
      code: [
        'const capabilities = server.server.getClientCapabilities.bind(server.server);',
        "server.registerTool('t', {}, async (ctx) => ({ content: [], ok: capabilities()?.elicitation }));",
      ].join('\n'),
    },
  ],
  invalid: [
    {
      name: 'in a handler whose context is at hand, with the runtime module imported: fixed to the per-request read',
      filename,
      code: [
        ...IMPORTS,
        "server.registerTool('deploy', {}, async (ctx) => {",
        '  if (!server.server.getClientCapabilities()?.elicitation) return { content: [] };',
        "  return elicitAnswer(ctx, 'confirm', { message: 'Deploy?', requestedSchema });",
        '});',
      ].join('\n'),
      output: [
        "import { McpServer } from '@modelcontextprotocol/server';",
        "import { elicitAnswer, clientCapabilities } from './mrtr-request-state.js';",
        "server.registerTool('deploy', {}, async (ctx) => {",
        '  if (!clientCapabilities(server.server, ctx)?.elicitation) return { content: [] };',
        "  return elicitAnswer(ctx, 'confirm', { message: 'Deploy?', requestedSchema });",
        '});',
      ].join('\n'),
      errors: [{ message: stale('server.server.getClientCapabilities()'), line: 4, column: 8, endColumn: 45 }],
    },
    {
      name: 'a local of the same name: the import is aliased',
      filename,
      code: [
        ...IMPORTS,
        'const clientCapabilities = 1;',
        "server.registerTool('t', {}, async (extra) => ({ content: [], n: server.server.getClientCapabilities() }));",
      ].join('\n'),
      output: [
        "import { McpServer } from '@modelcontextprotocol/server';",
        "import { elicitAnswer, clientCapabilities as clientCapabilities2 } from './mrtr-request-state.js';",
        'const clientCapabilities = 1;',
        "server.registerTool('t', {}, async (extra) => ({ content: [], " +
          'n: clientCapabilities2(server.server, extra) }));',
      ].join('\n'),
      errors: [{ messageId: 'stale', data: { what: 'server.server.getClientCapabilities()' } }],
    },
    {
      name: 'no runtime module imported: reported, not fixed',
      filename,
      code: "server.registerTool('t', {}, async (ctx) => ({ content: [], n: server.server.getClientCapabilities() }));",
      output: null,
      errors: [{ messageId: 'stale' }],
    },
    {
      name: 'outside any request (a connection callback): reported, not fixed',
      filename,
      code: [
        ...IMPORTS,
        'server.server.oninitialized = () => {',
        '  canElicit = server.server.getClientCapabilities()?.elicitation !== undefined;',
        '};',
      ].join('\n'),
      output: null,
      errors: [{ messageId: 'stale', line: 4, column: 15 }],
    },
    {
      name: 'a handler that takes no context: reported, not fixed',
      filename,
      code: [
        ...IMPORTS,
        "server.tool('t', async () => ({ content: [], n: server.server.getClientCapabilities() }));",
      ].join('\n'),
      output: null,
      errors: [{ messageId: 'stale' }],
    },
  ],
});
