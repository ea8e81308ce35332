/**
 * What held calls cost in memory: N tools/call first rounds through createMcpHandler, each left
 * waiting at its ask, then all released (by the cap, so their `finally` runs). Heap after a full
 * GC before, while they wait, and after. Run with --expose-gc, as a child of bench/run.ts and of
 * test/held-calls-memory.test.ts. PARKED_BALLAST_BYTES gives each call that much more to hold.
 */
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { CallToolResultSchema } from '@modelcontextprotocol/core';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { askElicit, configureRequestState, heldCalls, verifyRequestState } from '../src/runtime/mrtr-request-state.js';

const CALLS = Number(process.env.PARKED_CALLS ?? 1000);
const BALLAST = Number(process.env.PARKED_BALLAST_BYTES ?? 0);
process.env.MCP_REQUEST_STATE_KEY ??= 'mrtr-bench-request-state-key-0123456789abcdef';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

let finallyRan = 0;
const handler = createMcpHandler(async () => {
  const server = new McpServer({ name: 'parked', version: '1.0.0' }, { requestState: { verify: verifyRequestState } });
  server.registerTool('hold', { inputSchema: z.object({ n: z.number() }) }, async ({ n }) => {
    const ballast = new Uint8Array(BALLAST);
    try {
      const answer = await askElicit('confirm', {
        message: `Keep ${n}?`,
        requestedSchema: { type: 'object', properties: { yes: { type: 'boolean' } } },
      });
      return { content: [{ type: 'text' as const, text: `${answer.action} ${ballast.length}` }] };
    } finally {
      finallyRan++;
    }
  });
  return server;
});
const client = new Client(
  { name: 'bench', version: '1.0.0' },
  {
    capabilities: { elicitation: { form: {} } },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
    inputRequired: { autoFulfill: false },
  },
);
await client.connect(
  new StreamableHTTPClientTransport(new URL('http://parked.invalid/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  }),
);
const firstRound = (n: number) =>
  client.request(
    { method: 'tools/call', params: { name: 'hold', arguments: { n } } },
    withInputRequired(CallToolResultSchema),
    { allowInputRequired: true },
  );

const heap = async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
// Warm up the SDK's lazily built schemas, then release the warm-up calls.
configureRequestState({ maxParked: 0 });
for (let i = 0; i < 20; i++) await firstRound(i);
configureRequestState({ maxParked: process.env.PARKED_REPLAY ? 0 : CALLS });
const before = await heap();
for (let i = 0; i < CALLS; i++) await firstRound(i);
const parked = heldCalls().parked;
const during = await heap();
// A cap of none releases every call that waited.
configureRequestState({ maxParked: 0 });
const after = await heap();
await client.close();
await handler.close();
process.stdout.write(
  JSON.stringify({
    calls: CALLS,
    parked,
    stillParked: heldCalls().parked,
    finallyRan,
    bytesPerParkedCall: Math.round((during - before) / CALLS),
    parkedMegabytes: +((during - before) / 1e6).toFixed(2),
    leftAfterReleaseMegabytes: +((after - before) / 1e6).toFixed(2),
  }),
);
