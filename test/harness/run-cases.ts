/**
 * Runs one case against a server module on one era, with real SDK clients and transports:
 * v1 `Client` over `InMemoryTransport` (before); v2 `Client` pinned to 2026-07-28 through
 * `createMcpHandler`'s fetch and through `serveStdio` (after, modern, both serving entries); v2
 * `Client` over v2 `InMemoryTransport` through the SDK's legacy shim (after, 2025 era).
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport as V1InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { effects } from '../../fixtures/_support/effects.js';
import { forgetHeldCalls } from '../../src/runtime/mrtr-request-state.js';
import { normalize, ScriptedClient, type Observation } from './observe.js';
import type { Answer, Call } from './scenario.js';

export type Era = 'v1' | '2026-07-28' | '2026-07-28-stdio' | '2025-legacy-shim';

/** The 2026-07-28 serving entries, from the same build (ESM or CommonJS) as the server's McpServer. */
export interface Serving {
  readonly createMcpHandler: typeof createMcpHandler;
  readonly serveStdio: typeof serveStdio;
}

/** A server module exports `createServer()`, returning an McpServer or low-level Server. */
export interface ServerModule {
  createServer(): unknown;
  /** Set for a CommonJS server: the serving entries check instances of their own build's classes. */
  readonly serving?: Serving;
}

// Multi-round fixtures sign requestState; a fixed test key keeps runs deterministic.
process.env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';

const CAPABILITIES = { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} };
const CLIENT_INFO = { name: 'mrtr-harness', version: '1.0.0' };

export interface RunOptions {
  /** Forget every held call before each message the client sends, as a restart between rounds would. */
  readonly dropped?: boolean;
}

export async function runCase(
  module: ServerModule,
  era: Era,
  call: Call,
  answers: readonly Answer[],
  options: RunOptions = {},
): Promise<Observation> {
  effects.take();
  const scripted = new ScriptedClient(answers);
  dropHeldCalls = options.dropped === true;
  const random = Math.random;
  Math.random = seededForFixtures(random);
  let outcome: Observation['outcome'];
  try {
    const result =
      era === 'v1'
        ? await runV1(module, call, scripted)
        : era === '2026-07-28'
          ? await runModern(module, call, scripted)
          : era === '2026-07-28-stdio'
            ? await runStdio(module, call, scripted)
            : await runLegacy(module, call, scripted);
    outcome = { result: normalize(result) };
  } catch (error) {
    outcome = { error: describeError(error) };
  } finally {
    Math.random = random;
  }
  return { outcome, questions: scripted.questions, effects: effects.take() };
}

/**
 * `Math.random` for one case: a fixture's calls draw from a sequence seeded afresh for each case,
 * so a server draws the same values before and after migration unless a round draws again; the
 * SDK's own calls keep the real generator.
 */
export function seededForFixtures(real: () => number): () => number {
  let seed = 0x5eed;
  return () => {
    if (!/[\\/]fixtures[\\/]/.test(new Error().stack?.split('\n')[2] ?? '')) return real();
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dropHeldCalls = false;

/** Before each message the client sends: forget held calls, when the run asks for it. */
function beforeClientMessage(): void {
  if (dropHeldCalls) forgetHeldCalls();
}

/** The client's side of a transport, calling `beforeClientMessage` before each message. */
function dropping<T extends { send(...args: never[]): Promise<void> }>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (...args) => {
    beforeClientMessage();
    return send(...args);
  };
  return transport;
}

async function runV1(module: ServerModule, call: Call, scripted: ScriptedClient): Promise<unknown> {
  const server = (await built(module)) as { connect(t: unknown): Promise<void>; close(): Promise<void> };
  const client = new V1Client(CLIENT_INFO, { capabilities: CAPABILITIES });
  client.setRequestHandler(
    ElicitRequestSchema,
    async (req) => scripted.answer('elicitation/create', req.params) as never,
  );
  client.setRequestHandler(
    CreateMessageRequestSchema,
    async (req) => scripted.answer('sampling/createMessage', req.params) as never,
  );
  client.setRequestHandler(
    ListRootsRequestSchema,
    async (req) => scripted.answer('roots/list', req.params ?? {}) as never,
  );
  const [clientSide, serverSide] = V1InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  try {
    return await invoke(client, call);
  } finally {
    await client.close();
    await server.close();
  }
}

export function v2Client(scripted: ScriptedClient, modern: boolean): Client {
  const client = new Client(CLIENT_INFO, {
    capabilities: CAPABILITIES,
    ...(modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
  });
  client.setRequestHandler(
    'elicitation/create',
    async (req) => scripted.answer('elicitation/create', req.params) as never,
  );
  client.setRequestHandler(
    'sampling/createMessage',
    async (req) => scripted.answer('sampling/createMessage', req.params) as never,
  );
  client.setRequestHandler('roots/list', async (req) => scripted.answer('roots/list', req.params ?? {}) as never);
  return client;
}

async function runModern(module: ServerModule, call: Call, scripted: ScriptedClient): Promise<unknown> {
  const handler = (module.serving ?? { createMcpHandler }).createMcpHandler(async () => (await built(module)) as never);
  const transport = new StreamableHTTPClientTransport(new URL('http://mrtr-harness.invalid/mcp'), {
    fetch: (url, init) => {
      beforeClientMessage();
      return handler.fetch(new Request(url, init));
    },
  });
  return session(v2Client(scripted, true), transport, call, () => handler.close());
}

/** `serveStdio`, the other serving entry of 2026-07-28, over an in-memory pipe instead of a process's stdio. */
async function runStdio(module: ServerModule, call: Call, scripted: ScriptedClient): Promise<unknown> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = (module.serving ?? { serveStdio }).serveStdio(async () => (await built(module)) as never, {
    transport: serverSide,
  });
  return session(v2Client(scripted, true), dropping(clientSide), call, () => handle.close());
}

async function runLegacy(module: ServerModule, call: Call, scripted: ScriptedClient): Promise<unknown> {
  const server = (await built(module)) as { connect(t: unknown): Promise<void>; close(): Promise<void> };
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  return session(v2Client(scripted, false), dropping(clientSide), call, () => server.close());
}

/** What a module's `createServer()` builds, or its `server` when it returns more (`{ server, cleanup }`). */
export async function built(module: ServerModule): Promise<unknown> {
  const made = (await module.createServer()) as { connect?: unknown; server?: unknown };
  return typeof made.connect === 'function' ? made : made.server;
}

/** Connects a v2 client, makes the call, and closes both ends whatever happened. */
async function session(
  client: Client,
  transport: Parameters<Client['connect']>[0],
  call: Call,
  closeServer: () => Promise<void>,
): Promise<unknown> {
  await client.connect(transport);
  try {
    return await invoke(client, call);
  } finally {
    await client.close();
    await closeServer();
  }
}

interface AnyClient {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<unknown>;
  readResource(params: { uri: string }): Promise<unknown>;
}

export function invoke(client: unknown, call: Call): Promise<unknown> {
  const c = client as AnyClient;
  if ('tool' in call) return c.callTool({ name: call.tool, arguments: call.arguments ?? {} });
  if ('prompt' in call) return c.getPrompt({ name: call.prompt, arguments: call.arguments ?? {} });
  return c.readResource({ uri: call.resource });
}

/** Errors compare by JSON-RPC code and message, not by the SDK's class names. */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error)
    return `${String(error.code)}: ${String((error as { message?: unknown }).message)}`;
  return error instanceof Error ? error.message : String(error);
}
