/**
 * A route whose factory returns more than the server (`const { server, stop } = createServer()`):
 * 2026-07-28 requests get a server per request, taken out of what the factory returns, and what
 * the route ran when a session closed (stopping the status poller) runs when each request's server
 * closes. Checked over real HTTP in this process, counting the timers that are left.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import path from 'node:path';
import { expect, it } from 'vitest';
import { freePort } from './harness/http-entry.js';
import { FIXTURES } from './helpers/fixtures.js';

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

it('stops what each 2026-07-28 request started once its server closes', async () => {
  const port = await freePort();
  process.env.PORT = String(port);
  await import(path.join(FIXTURES, 'serving', 'factory-object-route-v1.output.ts'));
  delete process.env.PORT;
  const before = timers();
  for (let call = 0; call < 3; call++) {
    const client = new Client(
      { name: 'factory-test', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(await client.callTool({ name: 'status', arguments: {} })).toMatchObject({
      content: [{ type: 'text', text: 'All systems go.' }],
    });
    await client.close();
  }
  // Each request's server started a poller; each one was stopped when that server closed.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(timers()).toBeLessThanOrEqual(before);
});
