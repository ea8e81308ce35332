/**
 * Registrations that waited for `initialize` exist from the start, and a capability gate that
 * decided whether to register a tool now decides, per request, whether the tool answers: checked
 * against real clients with and without the capability, on both eras.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';

const migrated = path.join(FIXTURES, 'registration', 'after-initialize-v1.output.ts');
const module = (await import(migrated)) as { createServer: () => McpServer };
const createServer = () => module.createServer();

type Era = '2026-07-28 http' | '2026-07-28 stdio' | '2025';

async function withClient<T>(era: Era, roots: boolean, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(
    { name: 'registration-test', version: '1.0.0' },
    {
      capabilities: roots ? { roots: {} } : {},
      ...(era === '2025' ? {} : { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
    },
  );
  if (roots) client.setRequestHandler('roots/list', async () => ({ roots: [] }));
  if (era === '2026-07-28 http') {
    const handler = createMcpHandler(() => createServer());
    const transport = new StreamableHTTPClientTransport(new URL('http://registration.invalid/mcp'), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    });
    await client.connect(transport);
    try {
      return await use(client);
    } finally {
      await client.close();
      await handler.close();
    }
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createServer();
  const handle = era === '2025' ? undefined : serveStdio(() => server, { transport: serverSide });
  if (era === '2025') await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    return await use(client);
  } finally {
    await client.close();
    await (handle ? handle.close() : server.close());
  }
}

describe.each<Era>(['2026-07-28 http', '2026-07-28 stdio', '2025'])('on %s', (era) => {
  it('lists the tools registered after initialize', async () => {
    const names = await withClient(era, true, async (client) => (await client.listTools()).tools.map((t) => t.name));
    expect(names.sort()).toEqual(['ping', 'workspace-info', 'workspace-scope']);
  });

  it('serves a client that declares the capability as before', async () => {
    const result = await withClient(era, true, (client) =>
      client.callTool({ name: 'workspace-scope', arguments: { folder: 'docs' } }),
    );
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'Scoped to docs.' }] });
    expect(result).not.toHaveProperty('isError', true);
  });

  it('answers a client without the capability with an error result', async () => {
    const result = await withClient(era, false, (client) => client.callTool({ name: 'workspace-info', arguments: {} }));
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'workspace-info needs a client that supports roots.' }],
    });
  });
});
