/**
 * What the round costs a handler that never asks: the same server serves the same tools/call many
 * times through createMcpHandler, once in a process that loads the runtime module (which installs
 * the round on every Server) and once in a process that does not. Run as a child of bench/run.ts.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';

const CALLS = Number(process.env.ROUND_COST_CALLS ?? 2000);

if (process.argv.includes('--with-runtime')) await import('../src/runtime/mrtr-request-state.js');

const handler = createMcpHandler(async () => {
  const server = new McpServer({ name: 'cost', version: '1.0.0' });
  server.registerTool('noop', {}, async () => ({ content: [{ type: 'text' as const, text: 'ok' }] }));
  return server;
});
const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
await client.connect(
  new StreamableHTTPClientTransport(new URL('http://round-cost.invalid/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  }),
);
// Warm up the code paths before timing.
for (let i = 0; i < 200; i++) await client.callTool({ name: 'noop', arguments: {} });
const start = process.hrtime.bigint();
for (let i = 0; i < CALLS; i++) await client.callTool({ name: 'noop', arguments: {} });
const micros = Number(process.hrtime.bigint() - start) / 1000 / CALLS;
await client.close();
await handler.close();
process.stdout.write(`${JSON.stringify({ microsPerCall: +micros.toFixed(1) })}\n`);
