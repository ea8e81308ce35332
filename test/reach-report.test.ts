/** The report says how a handler reaches each helper that asks: the chain of calls, not just who. */
import { expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';

it('names the calls from the handler to the asking helper', async () => {
  const text = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

async function confirm(server: McpServer, message: string) {
  const answer = await server.server.elicitInput({ message, requestedSchema: { type: 'object', properties: {} } });
  return answer.action === 'accept';
}

async function guardedDelete(server: McpServer, id: string) {
  return (await confirm(server, \`Delete \${id}?\`)) ? 'deleted' : 'kept';
}

export function createServer() {
  const server = new McpServer({ name: 'chain', version: '1.0.0' });
  server.registerTool('delete', {}, async () => ({
    content: [{ type: 'text', text: await guardedDelete(server, 'a1') }],
  }));
  return server;
}
`;
  const result = await migrateFile(createProject(), '/virtual/chain.ts', text, {
    transforms,
    projectType: 'server',
    displayPath: 'chain.ts',
  });
  expect(result.diagnostics.filter((d) => d.ruleId === 'mrtr/resumable-helper').map((d) => d.message)).toEqual([
    'the elicitation request in `confirm` is now a resumable ask, reached from tool delete → guardedDelete → confirm' +
      '; it stays held, not native: `confirm(…)` is not awaited where a return can leave `guardedDelete`',
  ]);
  expect(result.handlers.map((h) => [h.handler, h.askPaths])).toEqual([['tool delete', ['guardedDelete → confirm']]]);
});

it('names, in each flag, the ask that the flagged code runs before', async () => {
  const text = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

declare function audit(event: string): Promise<void>;
const open = { type: 'object' as const, properties: {} };

async function confirm(server: McpServer) {
  const answer = await server.server.elicitInput({ message: 'Go?', requestedSchema: open });
  return answer.action === 'accept';
}

export function createServer() {
  const server = new McpServer({ name: 'order', version: '1.0.0' });
  server.registerTool('tag-all', {}, async () => {
    await audit('started');
    if (!(await confirm(server))) return { content: [{ type: 'text', text: 'no' }] };
    for (const item of ['a', 'b']) {
      const tag = await server.server.elicitInput({ message: item, requestedSchema: open });
      await audit(\`tagged \${item} \${tag.action}\`);
    }
    return { content: [{ type: 'text', text: 'done' }] };
  });
  return server;
}
`;
  const result = await migrateFile(createProject(), '/virtual/order.ts', text, {
    transforms,
    projectType: 'server',
    displayPath: 'order.ts',
  });
  const before = result.diagnostics.filter((d) => d.ruleId === 'mrtr/unknown-call-on-replay');
  const lines = result.output.split('\n');
  expect(before.map((d) => [lines[d.line - 1]?.trim(), /waits for `(\w+)`/.exec(d.message)?.[1]])).toEqual([
    ["await audit('started');", 'confirm'],
    ['await audit(`tagged ${item} ${tag.action}`);', 'tag'],
  ]);
});
