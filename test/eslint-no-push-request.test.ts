/**
 * `mrtr-migrate/no-push-request`: RuleTester, exact messages, and the fix, which is what
 * `mrtr-migrate` writes for the file (its engine runs in a worker the rule waits on).
 */
import { rules } from '../src/eslint/index.js';
import { ruleTester } from './helpers/rule-tester.js';
import { scratchProject } from './helpers/scratch-project.js';

const tester = ruleTester();
const project = scratchProject(['tools.ts', 'helpers.ts']);
const bare = scratchProject(['tools.ts'], { runtime: false });
// A CommonJS server on SDK v1: a run on the project keeps its helpers' asks as written.
const v1Require = scratchProject(['server.cjs', 'confirm.cjs'], {
  contents: { 'server.cjs': "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\n" },
});

const PUSHED = 'elicitation request still pushed to the client; it fails on protocol revision 2026-07-28';

function runIt(file: string, reason: string): string {
  return `run \`npx mrtr-migrate ${file}\` (its report says more): ${reason}`;
}

const deployTool = [
  "import { McpServer } from '@modelcontextprotocol/server';",
  "import { z } from 'zod';",
  '',
  'export function createServer(): McpServer {',
  "  const server = new McpServer({ name: 'deployer', version: '1.0.0' });",
  "  server.registerTool('deploy', { inputSchema: z.object({ env: z.string() }) }, async ({ env }, ctx) => {",
  '    const answer = await ctx.mcpReq.elicitInput({',
  '      message: `Deploy to ${env}?`,',
  "      requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },",
  '    });',
  "    if (answer.action !== 'accept' || answer.content?.confirm !== true) {",
  "      return { content: [{ type: 'text', text: 'Not deployed.' }] };",
  '    }',
  "    return { content: [{ type: 'text', text: `Deployed to ${env}.` }] };",
  '  });',
  '  return server;',
  '}',
  '',
].join('\n');

const confirmHelper = [
  "import { McpServer } from '@modelcontextprotocol/server';",
  '',
  'async function confirm(server: McpServer, message: string): Promise<boolean> {',
  '  const answer = await server.server.elicitInput({',
  '    message,',
  "    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },",
  '  });',
  "  return answer.action === 'accept' && answer.content?.ok === true;",
  '}',
  '',
  'export function register(server: McpServer): void {',
  "  server.registerTool('wipe', {}, async () => {",
  "    if (!(await confirm(server, 'Wipe everything?'))) return { content: [{ type: 'text', text: 'Kept.' }] };",
  "    return { content: [{ type: 'text', text: 'Wiped.' }] };",
  '  });',
  '}',
  '',
].join('\n');

tester.run('no-push-request', rules['no-push-request'], {
  valid: [
    {
      name: 'MRTR-native: the handler returns its question',
      filename: project.file('tools.ts'),
      code: [
        "import { inputRequired } from '@modelcontextprotocol/server';",
        "server.registerTool('t', {}, async (ctx) => {",
        '  if (!ctx.mcpReq.inputResponses?.ok) return inputRequired({ inputRequests: {} });',
        '  return { content: [] };',
        '});',
      ].join('\n'),
    },
    {
      name: 'an ask the migration marked is reported by flagged-spot, not twice',
      filename: project.file('tools.ts'),
      code: [
        '/* @mrtr-migrate mrtr/ask-not-awaited: elicitation request used as a promise value */',
        'const pending = server.server.elicitInput({ message: "Hi", requestedSchema });',
      ].join('\n'),
    },
    {
      name: 'the kept call a native helper hands the runtime for use outside a request',
      filename: project.file('tools.ts'),
      code: [
        "import { elicitAnswer } from './mrtr-request-state.js';",
        "await elicitAnswer(ctx, 'ok', params, server.server.elicitInput.bind(server.server));",
      ].join('\n'),
    },
    {
      name: 'the kept call, in CommonJS: elicitAnswer is required, not imported',
      filename: project.file('tools.cjs'),
      code: [
        "const { elicitAnswer } = require('./mrtr-request-state.cjs');",
        "await elicitAnswer(ctx, 'ok', params, ctx.mcpReq.elicitInput.bind(ctx.mcpReq));",
      ].join('\n'),
    },
    {
      name: 'a file that is not JavaScript or TypeScript, handed on whole by another plugin',
      filename: 'notes.md',
      code: 'await server.server.elicitInput({ message: "Hi", requestedSchema });',
    },
    {
      name: 'false-negative: a request whose method cannot be read (review reports it as mrtr/unknown-request)',
      filename: project.file('tools.ts'),
      code: "const method = pick();\nawait ctx.mcpReq.send({ method, params: { message: 'Hi' } });",
    },
  ],
  invalid: [
    {
      name: 'a handler that asks itself: fixed to the guard-first handler mrtr-migrate writes',
      filename: project.file('tools.ts'),
      code: deployTool,
      output: [
        'import {',
        '  McpServer,',
        '  inputRequired,',
        '  inputResponse,',
        '  acceptedContent,',
        '  fromJsonSchema,',
        '  type ElicitRequestFormParams,',
        '  type JsonSchemaType,',
        "} from '@modelcontextprotocol/server';",
        "import { z } from 'zod';",
        '',
        'export function createServer(): McpServer {',
        "  const server = new McpServer({ name: 'deployer', version: '1.0.0' });",
        "  server.registerTool('deploy', { inputSchema: z.object({ env: z.string() }) }, async ({ env }, ctx) => {",
        "    const confirmSchema: ElicitRequestFormParams['requestedSchema'] = {",
        "      type: 'object',",
        "      properties: { confirm: { type: 'boolean' } },",
        "      required: ['confirm'],",
        '    };',
        "    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');",
        '    if (',
        "      answer.kind !== 'elicit' ||",
        "      (answer.action === 'accept' &&",
        "        !acceptedContent(ctx.mcpReq.inputResponses, 'confirm', " +
          'fromJsonSchema(confirmSchema as JsonSchemaType)))',
        '    ) {',
        '      return inputRequired({',
        '        inputRequests: {',
        '          confirm: inputRequired.elicit({',
        '            message: `Deploy to ${env}?`,',
        '            requestedSchema: confirmSchema,',
        '          }),',
        '        },',
        '      });',
        '    }',
        "    if (answer.action !== 'accept' || answer.content?.confirm !== true) {",
        "      return { content: [{ type: 'text', text: 'Not deployed.' }] };",
        '    }',
        "    return { content: [{ type: 'text', text: `Deployed to ${env}.` }] };",
        '  });',
        '  return server;',
        '}',
        '',
      ].join('\n'),
      errors: [{ message: PUSHED, line: 7, column: 26, endLine: 10, endColumn: 7 }],
    },
    {
      name: 'an ask in a helper: fixed to the native helper, which takes the context and returns the request',
      filename: project.file('helpers.ts'),
      code: confirmHelper,
      output: [
        'import {',
        '  McpServer,',
        '  isInputRequiredResult,',
        '  type ServerContext,',
        '  type InputRequiredResult,',
        "} from '@modelcontextprotocol/server';",
        "import { elicitAnswer } from './mrtr-request-state.js';",
        '',
        'async function confirm(',
        '  server: McpServer,',
        '  message: string,',
        '  ctx?: ServerContext,',
        '): Promise<boolean | InputRequiredResult> {',
        '  const answer = await elicitAnswer(',
        '    ctx,',
        "    'confirm',",
        '    {',
        '      message,',
        "      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },",
        '    },',
        '    server.server.elicitInput.bind(server.server),',
        '  );',
        '  if (isInputRequiredResult(answer)) return answer;',
        "  return answer.action === 'accept' && answer.content?.ok === true;",
        '}',
        '',
        'export function register(server: McpServer): void {',
        "  server.registerTool('wipe', {}, async (ctx) => {",
        "    const confirmResult = await confirm(server, 'Wipe everything?', ctx);",
        '    if (isInputRequiredResult(confirmResult)) return confirmResult;',
        "    if (!confirmResult) return { content: [{ type: 'text', text: 'Kept.' }] };",
        "    return { content: [{ type: 'text', text: 'Wiped.' }] };",
        '  });',
        '}',
        '',
      ].join('\n'),
      errors: [{ messageId: 'pushed', data: { kind: 'elicitation' }, line: 4 }],
    },
    {
      name: 'the rewrite needs the runtime module, which the project does not have yet: no fix, run the tool',
      filename: bare.file('tools.ts'),
      code: confirmHelper,
      output: null,
      errors: [
        {
          message: `${PUSHED}; ${runIt(bare.file('tools.ts'), 'it also writes mrtr-request-state.ts')}`,
        },
      ],
    },
    {
      name: 'a helper of a server on SDK v1 loaded with require(): a project run keeps it as written, so no fix',
      filename: v1Require.file('confirm.cjs'),
      code: [
        'async function confirm(server, message) {',
        "  const answer = await server.server.elicitInput({ message, requestedSchema: { type: 'object' } });",
        "  return answer.action === 'accept';",
        '}',
        'module.exports = { confirm };',
      ].join('\n'),
      output: null,
      errors: [
        {
          message: `${PUSHED}; ${runIt(
            v1Require.file('confirm.cjs'),
            'its server loads SDK v1 with require(), so a run on the project keeps these asks as written',
          )}`,
        },
      ],
    },
    {
      name: 'a buffer never saved: no fix, run the tool',
      filename: 'unsaved.ts',
      code: deployTool,
      output: null,
      errors: [
        {
          message: `${PUSHED}; ${runIt('unsaved.ts', 'the file is not saved on disk')}`,
        },
      ],
    },
    {
      name: 'an ask method taken as a value',
      filename: project.file('tools.ts'),
      code: 'const ask = server.server.elicitInput;\nawait ask(params);',
      errors: [
        {
          messageId: 'byReference',
          data: { method: 'elicitInput', file: project.file('tools.ts') },
          line: 1,
          column: 13,
          endColumn: 38,
        },
      ],
    },
  ],
});
