/**
 * What the official transforms leave for a person, and what they say needlessly: advice about a
 * schema held in a `const` goes when the const is visibly a schema object, and stays otherwise.
 */
import { expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';

async function migrated(text: string) {
  return migrateFile(createProject(), '/virtual/tools.ts', text, {
    transforms,
    projectType: 'server',
    displayPath: 'tools.ts',
  });
}

const server = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { z } from 'zod';",
  "const server = new McpServer({ name: 's', version: '1.0.0' });",
];

it('says nothing of a schema held in a const built with z.object', async () => {
  const text = [
    ...server,
    'const LookupSchema = z.object({ id: z.string() });',
    "server.registerTool('lookup', { inputSchema: LookupSchema }, async ({ id }) => ({",
    "  content: [{ type: 'text' as const, text: id }],",
    '}));',
    '',
  ].join('\n');
  const result = await migrated(text);
  expect(result.diagnostics.map((d) => d.message).join('\n')).not.toContain('Could not verify');
});

it('keeps the advice for a const that holds a raw shape', async () => {
  const text = [
    ...server,
    'const lookupShape = { id: z.string() };',
    "server.registerTool('lookup', { inputSchema: lookupShape }, async ({ id }) => ({",
    "  content: [{ type: 'text' as const, text: id }],",
    '}));',
    '',
  ].join('\n');
  const result = await migrated(text);
  expect(result.diagnostics.map((d) => d.message).join('\n')).toContain('Could not verify `inputSchema`');
});
