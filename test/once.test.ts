/**
 * `once`, against the real SDK: what it wraps runs in the first round only and its value reaches
 * the later rounds through the signed requestState, on every serving path; carried values are bound
 * to the call; only plain JSON travels; a stub context just runs the function.
 */
import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { CallToolResultSchema } from '@modelcontextprotocol/core';
import {
  createMcpHandler,
  InMemoryTransport,
  inputRequired,
  inputResponse,
  McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import {
  carryAnswers,
  collectedAnswers,
  configureRequestState,
  forgetHeldCalls,
  once,
  verifyRequestState,
} from '../src/runtime/mrtr-request-state.js';

process.env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';

const yes = { type: 'object' as const, properties: { yes: { type: 'boolean' as const } }, required: ['yes'] };
const accept = { action: 'accept', content: { yes: true } };

interface Log {
  readonly mails: string[];
  readonly holds: string[];
}

/** The shapes the codemod writes: a guard-first tool, a multi-round tool, and a value that is not JSON. */
function createServer(log: Log, options: { verify?: boolean } = {}) {
  const server = new McpServer(
    { name: 'once', version: '1.0.0' },
    options.verify === false ? {} : { requestState: { verify: verifyRequestState } },
  );
  server.registerTool('order', { inputSchema: z.object({ item: z.string() }) }, async ({ item }, ctx) => {
    await once(ctx, 'sendMail', () => void log.mails.push(item));
    const orderId = await once(ctx, 'orderId', () => randomUUID());
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
    if (answer.kind !== 'elicit') {
      return inputRequired({
        inputRequests: { confirm: inputRequired.elicit({ message: `Place ${orderId}?`, requestedSchema: yes }) },
      });
    }
    return { content: [{ type: 'text', text: `${answer.action} ${orderId}` }] };
  });
  server.registerTool('trip', { inputSchema: z.object({ seat: z.string() }) }, async ({ seat }, ctx) => {
    const answers = await collectedAnswers(ctx, 'tool trip');
    const first = inputResponse(answers, 'first');
    if (first.kind !== 'elicit') {
      const requestState = await carryAnswers(answers, ctx, 'tool trip');
      return inputRequired({
        inputRequests: { first: inputRequired.elicit({ message: 'Go?', requestedSchema: yes }) },
        requestState,
      });
    }
    const hold = await once(ctx, 'hold', () => {
      log.holds.push(seat);
      return { id: `hold-${log.holds.length}` };
    });
    const second = inputResponse(answers, 'second');
    if (second.kind !== 'elicit') {
      const requestState = await carryAnswers(answers, ctx, 'tool trip');
      return inputRequired({
        inputRequests: { second: inputRequired.elicit({ message: 'Pay?', requestedSchema: yes }) },
        requestState,
      });
    }
    const third = inputResponse(answers, 'third');
    if (third.kind !== 'elicit') {
      const requestState = await carryAnswers(answers, ctx, 'tool trip');
      return inputRequired({
        inputRequests: { third: inputRequired.elicit({ message: 'Sure?', requestedSchema: yes }) },
        requestState,
      });
    }
    return { content: [{ type: 'text', text: `${seat} ${hold.id}` }] };
  });
  server.registerTool('stamp', { inputSchema: z.object({}) }, async (_args, ctx) => {
    const started = await once(ctx, 'started', () => new Date());
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
    if (answer.kind !== 'elicit') {
      return inputRequired({
        inputRequests: { confirm: inputRequired.elicit({ message: 'Stamp?', requestedSchema: yes }) },
      });
    }
    return { content: [{ type: 'text', text: started.toISOString() }] };
  });
  return server;
}

const newLog = (): Log => ({ mails: [], holds: [] });

function client(options: { manual?: boolean; modern?: boolean } = {}) {
  const c = new Client(
    { name: 'once', version: '1.0.0' },
    {
      capabilities: { elicitation: { form: {} } },
      ...(options.modern === false ? {} : { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
      ...(options.manual ? { inputRequired: { autoFulfill: false } } : {}),
    },
  );
  const questions: string[] = [];
  c.setRequestHandler('elicitation/create', async (request) => {
    questions.push(request.params.message);
    return accept as never;
  });
  return { c, questions };
}

function overHttp(log: Log, verify = true) {
  const handler = createMcpHandler(async () => createServer(log, { verify }));
  return {
    handler,
    transport: (clientId?: string) =>
      new StreamableHTTPClientTransport(new URL('http://once.invalid/mcp'), {
        fetch: (url, init) =>
          handler.fetch(new Request(url, init), clientId ? { authInfo: { token: 't', clientId, scopes: [] } } : {}),
      }),
  };
}

type Round = {
  resultType?: string;
  requestState: string;
  inputRequests?: object;
  content?: unknown;
  isError?: boolean;
};

const manualCall = (c: Client, name: string, params: Record<string, unknown>) =>
  c.request({ method: 'tools/call', params: { name, ...params } }, withInputRequired(CallToolResultSchema), {
    allowInputRequired: true,
  }) as Promise<Round>;

async function connected(serving: 'createMcpHandler' | 'serveStdio' | '2025 legacy shim', log: Log) {
  const { c, questions } = client({ modern: serving !== '2025 legacy shim' });
  if (serving === 'createMcpHandler') {
    const http = overHttp(log);
    await c.connect(http.transport());
    return { c, questions, close: () => http.handler.close() };
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  let close: () => Promise<void>;
  if (serving === 'serveStdio') {
    const handle = serveStdio(async () => createServer(log), { transport: serverSide });
    close = () => handle.close();
  } else {
    const server = createServer(log);
    await server.connect(serverSide);
    close = () => server.close();
  }
  await c.connect(clientSide);
  return { c, questions, close };
}

afterEach(() => {
  configureRequestState({ maxParked: 1000 });
  forgetHeldCalls();
});

describe('once', () => {
  it.each(['createMcpHandler', 'serveStdio', '2025 legacy shim'] as const)(
    'runs in the first round only, and the value it made reaches the last round (%s)',
    async (serving) => {
      const log = newLog();
      const { c, questions, close } = await connected(serving, log);
      const result = await c.callTool({ name: 'order', arguments: { item: 'tea' } });
      const orderId = /^Place (.+)\?$/.exec(questions[0] ?? '')?.[1];
      expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.content).toEqual([{ type: 'text', text: `accept ${orderId}` }]);
      expect(log.mails).toEqual(['tea']);
      const trip = await c.callTool({ name: 'trip', arguments: { seat: '3C' } });
      expect(trip.content).toEqual([{ type: 'text', text: '3C hold-1' }]);
      expect(log.holds).toEqual(['3C']);
      await c.close();
      await close();
    },
  );

  it('carries its values through the replay path and without the verify hook too', async () => {
    configureRequestState({ maxParked: 0 });
    const log = newLog();
    const http = overHttp(log, false);
    const { c } = client();
    await c.connect(http.transport());
    const trip = await c.callTool({ name: 'trip', arguments: { seat: '4D' } });
    expect(trip.content).toEqual([{ type: 'text', text: '4D hold-1' }]);
    expect(log.holds).toEqual(['4D']);
    await c.close();
    await http.handler.close();
  });

  it('refuses carried values minted for other arguments or another client', async () => {
    const log = newLog();
    const http = overHttp(log);
    const alice = client({ manual: true });
    await alice.c.connect(http.transport('alice'));
    const first = await manualCall(alice.c, 'order', { arguments: { item: 'tea' } });
    expect(first.resultType).toBe('input_required');
    expect(typeof first.requestState).toBe('string');
    const refused = { code: -32602, message: expect.stringContaining('Invalid or expired requestState') };
    await expect(
      manualCall(alice.c, 'order', {
        arguments: { item: 'coffee' },
        inputResponses: { confirm: accept },
        requestState: first.requestState,
      }),
    ).rejects.toMatchObject({ ...refused, message: expect.stringContaining('another call') });
    const mallory = client({ manual: true });
    await mallory.c.connect(http.transport('mallory'));
    await expect(
      manualCall(mallory.c, 'order', {
        arguments: { item: 'tea' },
        inputResponses: { confirm: accept },
        requestState: first.requestState,
      }),
    ).rejects.toMatchObject(refused);
    const done = await manualCall(alice.c, 'order', {
      arguments: { item: 'tea' },
      inputResponses: { confirm: accept },
      requestState: first.requestState,
    });
    expect(done.content).toEqual([{ type: 'text', text: expect.stringMatching(/^accept [0-9a-f-]{36}$/) }]);
    expect(log.mails).toEqual(['tea']);
    await alice.c.close();
    await mallory.c.close();
    await http.handler.close();
  });

  it('fails clearly when the value is not plain JSON', async () => {
    const http = overHttp(newLog());
    const { c } = client();
    await c.connect(http.transport());
    const result = await c.callTool({ name: 'stamp', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("once('started'): the value is not plain JSON");
    await c.close();
    await http.handler.close();
  });

  it('just runs the function outside a served request', async () => {
    let runs = 0;
    const stub = { mcpReq: { inputResponses: {} } } as unknown as ServerContext;
    expect(await once(stub, 'n', () => ++runs)).toBe(1);
    expect(await once(stub, 'n', () => ++runs)).toBe(2);
  });
});
