/**
 * Resumable calls wait in the serving process between rounds, against the real SDK: effects run
 * once and the retry's context is the one used; a state resumes only the call it was minted for,
 * once; held calls are bounded (cap, expiry, cancel, close) and their `finally` runs when released;
 * a lost call replays from the top, or is refused when told to.
 */
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { CallToolResultSchema } from '@modelcontextprotocol/core';
import { createMcpHandler, InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import {
  askElicit,
  configureRequestState,
  forgetHeldCalls,
  heldCalls,
  verifyRequestState,
} from '../src/runtime/mrtr-request-state.js';

process.env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';

const yes = { type: 'object' as const, properties: { yes: { type: 'boolean' as const } }, required: ['yes'] };
const accept = { action: 'accept', content: { yes: true } };

interface Log {
  readonly placed: string[];
  readonly cleanups: string[];
  readonly ids: unknown[];
}

/** A server whose one tool places a hold, asks twice, and cleans up in `finally`. */
function createServer(log: Log) {
  const server = new McpServer(
    { name: 'held', version: '1.0.0' },
    { capabilities: { logging: {} }, requestState: { verify: verifyRequestState } },
  );
  server.registerTool('book', { inputSchema: z.object({ seat: z.string() }) }, async ({ seat }, ctx) => {
    log.placed.push(seat);
    log.ids.push(ctx.mcpReq.id);
    try {
      const first = await askElicit('first', { message: `Book ${seat}?`, requestedSchema: yes });
      log.ids.push(ctx.mcpReq.id);
      await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: `asked ${seat}` } });
      if (first.action !== 'accept') return { content: [{ type: 'text', text: 'no' }] };
      const second = await askElicit('second', { message: 'Sure?', requestedSchema: yes });
      return { content: [{ type: 'text', text: `${seat}: ${second.action}` }] };
    } catch (error) {
      log.cleanups.push(`caught ${String(error)}`);
      throw error;
    } finally {
      log.cleanups.push(seat);
    }
  });
  return server;
}

const newLog = (): Log => ({ placed: [], cleanups: [], ids: [] });

function client(options: { manual?: boolean; modern?: boolean } = {}) {
  const c = new Client(
    { name: 'held-calls', version: '1.0.0' },
    {
      capabilities: { elicitation: { form: {} } },
      ...(options.modern === false ? {} : { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
      ...(options.manual ? { inputRequired: { autoFulfill: false } } : {}),
    },
  );
  c.setRequestHandler('elicitation/create', async () => accept as never);
  return c;
}

function overHttp(log: Log, authInfo?: { token: string; clientId: string; scopes: string[] }) {
  const handler = createMcpHandler(async () => createServer(log));
  return {
    handler,
    transport: (clientId = authInfo?.clientId) =>
      new StreamableHTTPClientTransport(new URL('http://held.invalid/mcp'), {
        fetch: (url, init) =>
          handler.fetch(new Request(url, init), clientId ? { authInfo: { token: 't', clientId, scopes: [] } } : {}),
      }),
  };
}

type Round = { resultType?: string; requestState: string; inputRequests?: object; content?: unknown };

const manualCall = (c: Client, params: Record<string, unknown>) =>
  c.request(
    { method: 'tools/call', params: { name: 'book', arguments: { seat: 'A1' }, ...params } },
    withInputRequired(CallToolResultSchema),
    { allowInputRequired: true },
  ) as Promise<Round>;

afterEach(() => {
  configureRequestState({ maxParked: 1000, ttlSeconds: 600, whenGone: 'replay' });
  forgetHeldCalls();
});

describe('a held call', () => {
  it.each(['createMcpHandler', 'serveStdio', '2025 legacy shim'] as const)(
    'runs what comes before its asks once, and serves the retry with the retry’s context (%s)',
    async (serving) => {
      const log = newLog();
      const notes: unknown[] = [];
      const c = client({ modern: serving !== '2025 legacy shim' });
      c.setNotificationHandler('notifications/message', (n) => void notes.push(n.params.data));
      let close: () => Promise<void>;
      if (serving === 'createMcpHandler') {
        const http = overHttp(log);
        await c.connect(http.transport());
        close = () => http.handler.close();
      } else {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        if (serving === 'serveStdio') {
          const handle = serveStdio(async () => createServer(log), { transport: serverSide });
          close = () => handle.close();
        } else {
          const server = createServer(log);
          await server.connect(serverSide);
          close = () => server.close();
        }
        await c.connect(clientSide);
      }
      const result = await c.callTool({ name: 'book', arguments: { seat: 'B2' } });
      expect(result.content).toEqual([{ type: 'text', text: 'B2: accept' }]);
      expect(log.placed).toEqual(['B2']);
      expect(log.cleanups).toEqual(['B2']);
      // The notification after the first answer went out on the request being served then.
      expect(notes).toEqual(['asked B2']);
      if (serving !== '2025 legacy shim') expect(log.ids[1]).not.toEqual(log.ids[0]);
      expect(heldCalls().parked).toBe(0);
      await c.close();
      await close();
    },
  );
});

describe('a held call resumes only with the state minted for it', () => {
  it('refuses a state already used, one for other arguments, one for another client, and a forged one', async () => {
    const log = newLog();
    const http = overHttp(log, { token: 't', clientId: 'alice', scopes: [] });
    const alice = client({ manual: true });
    await alice.connect(http.transport());
    const first = await manualCall(alice, {});
    expect(first.resultType).toBe('input_required');
    const answered = { inputResponses: { first: accept }, requestState: first.requestState };
    const second = await manualCall(alice, answered);
    expect(Object.keys(second.inputRequests ?? {})).toEqual(['second']);
    const refused = { code: -32602, message: expect.stringContaining('Invalid or expired requestState') };
    await expect(manualCall(alice, answered)).rejects.toMatchObject({
      ...refused,
      message: expect.stringContaining('already used'),
    });
    await expect(
      manualCall(alice, {
        arguments: { seat: 'Z9' },
        inputResponses: { second: accept },
        requestState: second.requestState,
      }),
    ).rejects.toMatchObject({ ...refused, message: expect.stringContaining('another call') });
    const mallory = client({ manual: true });
    await mallory.connect(http.transport('mallory'));
    await expect(
      manualCall(mallory, { inputResponses: { second: accept }, requestState: second.requestState }),
    ).rejects.toMatchObject(refused);
    const [version, , mac] = second.requestState.split('.');
    const payload = { handler: 'tool book', answers: {}, continuation: { id: 'guessed', round: 1 } };
    const body = Buffer.from(JSON.stringify({ p: payload, exp: 9_999_999_999 })).toString('base64url');
    const forged = `${version}.${body}.${mac}`;
    await expect(manualCall(alice, { inputResponses: { second: accept }, requestState: forged })).rejects.toMatchObject(
      refused,
    );
    // The honest retry still gets through, and the hold was placed once.
    const done = await manualCall(alice, { inputResponses: { second: accept }, requestState: second.requestState });
    expect(done.content).toEqual([{ type: 'text', text: 'A1: accept' }]);
    expect(log.placed).toEqual(['A1']);
    await alice.close();
    await mallory.close();
    await http.handler.close();
  });
});

describe('a call no longer held', () => {
  it('replays from the top with the carried answers, or is refused with whenGone: refuse', async () => {
    const log = newLog();
    const http = overHttp(log);
    const c = client({ manual: true });
    await c.connect(http.transport());
    const first = await manualCall(c, {});
    forgetHeldCalls();
    const second = await manualCall(c, { inputResponses: { first: accept }, requestState: first.requestState });
    expect(Object.keys(second.inputRequests ?? {})).toEqual(['second']);
    expect(log.placed).toEqual(['A1', 'A1']);
    configureRequestState({ whenGone: 'refuse' });
    forgetHeldCalls();
    await expect(
      manualCall(c, { inputResponses: { second: accept }, requestState: second.requestState }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('no longer held by this server') });
    await c.close();
    await http.handler.close();
  });
});

describe('held calls are bounded', () => {
  it('releases the calls that waited longest past the cap: their finally runs, and their retry replays', async () => {
    configureRequestState({ maxParked: 2 });
    const log = newLog();
    const http = overHttp(log);
    const c = client({ manual: true });
    await c.connect(http.transport());
    const states: string[] = [];
    for (const seat of ['s1', 's2', 's3', 's4']) {
      states.push((await manualCall(c, { arguments: { seat } })).requestState);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heldCalls().parked).toBe(2);
    expect(log.cleanups.filter((x) => !x.startsWith('caught'))).toEqual(['s1', 's2']);
    expect(log.cleanups.filter((x) => x.startsWith('caught'))[0]).toContain('evicted');
    const replayed = await manualCall(c, {
      arguments: { seat: 's1' },
      inputResponses: { first: accept },
      requestState: states[0],
    });
    expect(Object.keys(replayed.inputRequests ?? {})).toEqual(['second']);
    await c.close();
    await http.handler.close();
  });

  it('releases a call when its state expires', async () => {
    configureRequestState({ ttlSeconds: 1 });
    const log = newLog();
    const http = overHttp(log);
    const c = client({ manual: true });
    await c.connect(http.transport());
    await manualCall(c, {});
    expect(heldCalls().parked).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(heldCalls().parked).toBe(0);
    expect(log.cleanups.at(-1)).toBe('A1');
    expect(log.cleanups[0]).toContain('expired');
    await c.close();
    await http.handler.close();
  });

  it('releases the calls of a connection that closes (serveStdio)', async () => {
    const log = newLog();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const handle = serveStdio(async () => createServer(log), { transport: serverSide });
    const c = client({ manual: true });
    await c.connect(clientSide);
    await manualCall(c, {});
    expect(heldCalls().parked).toBe(1);
    await c.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heldCalls().parked).toBe(0);
    expect(log.cleanups).toEqual([expect.stringContaining('connection closed'), 'A1']);
    await handle.close();
  });

  it('releases a call whose request is cancelled (2025, answer pending)', async () => {
    const log = newLog();
    const server = createServer(log);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const c = new Client({ name: 'held-calls', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    const abort = new AbortController();
    c.setRequestHandler('elicitation/create', async () => {
      abort.abort('user gave up');
      return new Promise(() => {}) as never;
    });
    await c.connect(clientSide);
    await expect(c.callTool({ name: 'book', arguments: { seat: 'C3' } }, { signal: abort.signal })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heldCalls().parked).toBe(0);
    expect(log.cleanups).toEqual([expect.stringContaining('cancelled'), 'C3']);
    await c.close();
    await server.close();
  });
});
