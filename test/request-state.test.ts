/**
 * Multi-round state is attacker-controlled: a migrated server, in both styles, must refuse forged
 * and expired requestState with the SDK's own error, driven by a real v2 client in manual mode on
 * 2026-07-28.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { CallToolResultSchema } from '@modelcontextprotocol/core';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';

process.env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';

const mars = { kind: 'elicit', action: 'accept', content: { to: 'Mars' } };
const styles = [
  // What a forger would like the server to believe: the first answer was Mars.
  {
    fixture: 'multi-round/booking-v1',
    forged: { handler: 'tool book', answers: { to: { action: 'accept', content: { to: 'Mars' } } } },
  },
  {
    fixture: 'steps/booking-v1',
    forged: { handler: 'tool book', answers: {}, steps: { done: ['to'], carried: { route: mars } } },
  },
];

afterEach(() => {
  vi.useRealTimers();
});

async function manualClient(createServer: () => unknown) {
  const handler = createMcpHandler(async () => createServer() as never);
  const client = new Client(
    { name: 'attacker', version: '1.0.0' },
    {
      capabilities: { elicitation: { form: {} } },
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      inputRequired: { autoFulfill: false },
    },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://mrtr.invalid/mcp'), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    }),
  );
  const call = (params: Record<string, unknown>) =>
    client.request(
      { method: 'tools/call', params: { name: 'book', arguments: {}, ...params } },
      withInputRequired(CallToolResultSchema),
      { allowInputRequired: true },
    );
  return { client, handler, call };
}

const accepted = { to: { action: 'accept', content: { to: 'Oslo' } } };

describe.each(styles)('requestState ($fixture)', ({ fixture, forged: payload }) => {
  let createServer: () => unknown;

  beforeAll(async () => {
    const module = await import(pathToFileURL(path.join(FIXTURES, `${fixture}.output.ts`)).href);
    createServer = module.createServer;
  });

  it('carries a signed state the honest client gets through with', async () => {
    const { client, handler, call } = await manualClient(createServer);
    const first = (await call({})) as { resultType: string; inputRequests: object; requestState: string };
    expect(first.resultType).toBe('input_required');
    expect(Object.keys(first.inputRequests)).toEqual(['to']);
    const second = (await call({ inputResponses: accepted, requestState: first.requestState })) as {
      inputRequests: object;
      requestState: string;
    };
    expect(Object.keys(second.inputRequests)).toEqual(['date']);
    const done = await call({
      inputResponses: { date: { action: 'accept', content: { date: 'Monday' } } },
      requestState: second.requestState,
    });
    expect(done).toMatchObject({ content: [{ type: 'text', text: 'Booked Oslo on Monday.' }] });
    await client.close();
    await handler.close();
  });

  it('refuses a tampered state with the SDK error', async () => {
    const { client, handler, call } = await manualClient(createServer);
    const first = (await call({})) as { requestState: string };
    const second = (await call({ inputResponses: accepted, requestState: first.requestState })) as {
      requestState: string;
    };
    const [version, , mac] = second.requestState.split('.');
    const forged = Buffer.from(JSON.stringify({ p: payload, exp: 9_999_999_999 })).toString('base64url');
    await expect(
      call({
        inputResponses: { date: { action: 'accept', content: { date: 'Monday' } } },
        requestState: `${version}.${forged}.${mac}`,
      }),
    ).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Invalid or expired requestState'),
    });
    await client.close();
    await handler.close();
  });

  it('refuses an expired state with the SDK error', async () => {
    const { client, handler, call } = await manualClient(createServer);
    const first = (await call({})) as { requestState: string };
    const second = (await call({ inputResponses: accepted, requestState: first.requestState })) as {
      requestState: string;
    };
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 60 * 1000 });
    await expect(
      call({
        inputResponses: { date: { action: 'accept', content: { date: 'Monday' } } },
        requestState: second.requestState,
      }),
    ).rejects.toMatchObject({
      code: -32602,
    });
    await client.close();
    await handler.close();
  });
});
