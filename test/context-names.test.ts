/** The context parameter a rewrite adds is `ctx` in every handler, unless that handler already uses the name. */
import path from 'node:path';
import { expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';
import { FIXTURES } from './helpers/fixtures.js';

const ask = (name: string) =>
  `await server.server.elicitInput({ message: '${name}?', requestedSchema: { type: 'object', properties: { ` +
  `${name}: { type: 'boolean' } } } })`;

it('names each added context parameter ctx, and avoids a ctx the handler already reads', async () => {
  const code = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
const ctx = { region: 'eu' };
export function createServer() {
  const server = new McpServer({ name: 's', version: '1.0.0' });
  server.registerTool('first', {}, async () => {
    const answer = ${ask('first')};
    return { content: [{ type: 'text' as const, text: answer.action }] };
  });
  server.registerTool('second', {}, async () => {
    const answer = ${ask('second')};
    return { content: [{ type: 'text' as const, text: answer.action }] };
  });
  server.registerTool('regional', {}, async () => {
    const answer = ${ask('regional')};
    return { content: [{ type: 'text' as const, text: answer.action + ctx.region }] };
  });
  return server;
}
`;
  const file = path.join(FIXTURES, 'guard-first', 'context-names-unit.ts');
  const result = await migrateFile(createProject(), file, code, {
    transforms,
    projectType: 'server',
    displayPath: 'context-names-unit.ts',
  });
  expect(result.status).toBe('changed');
  const added = [...result.output.matchAll(/registerTool\('(\w+)', \{\}, async \((\w+)\)/g)].map((m) => [m[1], m[2]]);
  expect(added).toEqual([
    ['first', 'ctx'],
    ['second', 'ctx'],
    ['regional', 'ctx2'],
  ]);
  expect(result.output).toContain('answer.action + ctx.region');
});
