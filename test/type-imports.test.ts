/**
 * What a project that checks its JavaScript needs from the edits: v1 types named by module path
 * move with the imports, and an import added to a file with none goes above the first statement's
 * JSDoc, not between the two.
 */
import { expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';

async function migrated(path: string, text: string): Promise<string> {
  const result = await migrateFile(createProject(), path, text, {
    transforms,
    projectType: 'server',
    displayPath: path.slice(1),
  });
  return result.output;
}

it('moves JSDoc and import() types to v2 with the imports', async () => {
  const text = [
    "/** @typedef {import('@modelcontextprotocol/sdk/server/mcp.js').McpServer} McpServer */",
    "/** @typedef {import('@modelcontextprotocol/sdk/shared/protocol.js').RequestHandlerExtra<any, any>} Extra */",
    '/** @param {import("@modelcontextprotocol/sdk/server/stdio.js").StdioServerTransport} t */',
    'export function start(t) { return t; }',
    '',
  ].join('\n');
  expect(await migrated('/virtual/types.js', text)).toBe(
    [
      "/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */",
      "/** @typedef {import('@modelcontextprotocol/server').ServerContext} Extra */",
      '/** @param {import("@modelcontextprotocol/server/stdio").StdioServerTransport} t */',
      'export function start(t) { return t; }',
      '',
    ].join('\n'),
  );
  const typed = "export type Handle = import('@modelcontextprotocol/sdk/server/mcp.js').McpServer;\n";
  expect(await migrated('/virtual/types.ts', typed)).toBe(
    "export type Handle = import('@modelcontextprotocol/server').McpServer;\n",
  );
});

it('adds the first import above the JSDoc of the first statement, below a header comment', async () => {
  const text = [
    '// Briefings, written by the client model.',
    '',
    '/**',
    ' * @param {import("@modelcontextprotocol/sdk/server/mcp.js").McpServer} server',
    ' */',
    'export async function brief(server) {',
    '  return server.server.createMessage({ messages: [], maxTokens: 5 });',
    '}',
    '',
  ].join('\n');
  const output = await migrated('/virtual/brief.js', text);
  expect(output.split('\n').slice(0, 7)).toEqual([
    '// Briefings, written by the client model.',
    '',
    "import { askSampling } from './mrtr-request-state.js';",
    '',
    '/**',
    ' * @param {import("@modelcontextprotocol/server").McpServer} server',
    ' */',
  ]);
});

it('puts the new import where the only import was, when the rewrite removes that one', async () => {
  const text = [
    "import { ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';",
    '',
    'export const registerConfirm = (server) => {',
    "  server.registerTool('confirm', {}, async (extra) => {",
    '    const answer = await extra.sendRequest(',
    "      { method: 'elicitation/create', params: { message: 'Go?', requestedSchema: { type: 'object' } } },",
    '      ElicitResultSchema,',
    '    );',
    "    return { content: [{ type: 'text', text: answer.action }] };",
    '  });',
    '};',
    '',
  ].join('\n');
  const output = await migrated('/virtual/confirm.js', text);
  expect(output).not.toContain('ElicitResultSchema');
  expect(output.split('\n')[0]).toBe(
    "import { inputRequired, inputResponse, acceptedContent, fromJsonSchema } from '@modelcontextprotocol/server';",
  );
  expect(output).toContain("const answer = inputResponse(extra.mcpReq.inputResponses, 'elicitation');");
});
