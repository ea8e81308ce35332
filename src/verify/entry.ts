/**
 * A server's entry point run as the user runs it: a child process over stdio, or listening on a
 * free `PORT` and called over Streamable HTTP. A v2 client connects on one era: pinned to
 * 2026-07-28, or on the 2025 era that an SDK v1 server (and the legacy path of a v2 one) serves.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { connect, createServer } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { normalize, ScriptedClient, type Answer, type Question } from './scripted-client.js';

export type Era = '2026-07-28' | '2025';

export interface Entry {
  /** The Node.js executable that runs it. */
  readonly node: string;
  readonly cwd: string;
  /** The entry file, relative to `cwd` (`.ts` files run with `--import tsx`). */
  readonly file: string;
  readonly args?: readonly string[];
  /** The whole environment it runs in. */
  readonly env: Readonly<Record<string, string>>;
  /** Served over HTTP at this path, on the port given in `PORT`. */
  readonly httpPath?: string;
}

export type Call =
  | { readonly tool: string; readonly arguments?: Record<string, unknown> }
  | { readonly prompt: string; readonly arguments?: Record<string, string> }
  | { readonly resource: string };

export interface Listing {
  readonly tools: readonly string[];
  readonly prompts: readonly string[];
  readonly resources: readonly string[];
  readonly protocolVersion: string | undefined;
}

export interface Observation {
  readonly outcome: { readonly result: unknown } | { readonly error: string };
  readonly questions: readonly Question[];
  readonly protocolVersion: string | undefined;
}

export type Capabilities = Record<string, unknown>;

export const ALL_CAPABILITIES: Capabilities = { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} };

export function listEntry(
  entry: Entry,
  era: ClientEra,
  capabilities: Capabilities = ALL_CAPABILITIES,
): Promise<Listing> {
  return connected(entry, era, new ScriptedClient([]), capabilities, async (client) => {
    const server = client.getServerCapabilities() ?? {};
    const names = (items: readonly { name: string }[]) => items.map((item) => item.name).sort();
    return {
      tools: server.tools ? names((await client.listTools()).tools) : [],
      prompts: server.prompts ? names((await client.listPrompts()).prompts) : [],
      resources: server.resources ? names((await client.listResources()).resources) : [],
      protocolVersion: client.getNegotiatedProtocolVersion?.(),
    };
  });
}

export async function callEntry(
  entry: Entry,
  era: ClientEra,
  call: Call,
  answers: readonly Answer[],
  capabilities: Capabilities = ALL_CAPABILITIES,
): Promise<Observation> {
  const scripted = new ScriptedClient(answers);
  let protocolVersion: string | undefined;
  let outcome: Observation['outcome'];
  try {
    const result = await connected<unknown>(entry, era, scripted, capabilities, (client) => {
      protocolVersion = client.getNegotiatedProtocolVersion?.();
      if ('tool' in call) return client.callTool({ name: call.tool, arguments: call.arguments ?? {} });
      if ('prompt' in call) return client.getPrompt({ name: call.prompt, arguments: call.arguments ?? {} });
      return client.readResource({ uri: call.resource });
    });
    outcome = { result: normalize(result) };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  return { outcome, questions: scripted.questions, protocolVersion };
}

/** The client the code before the migration was written for: SDK v1's, from the project's own packages. */
export const V1 = 'v1';
export type ClientEra = Era | typeof V1;

/** What verify uses of SDK v1's client, loosely typed: the project's copy, not one this package depends on. */
export interface V1Sdk {
  readonly Client: new (info: object, options: object) => AnyClient;
  readonly StdioClientTransport: new (options: object) => object;
  readonly StreamableHTTPClientTransport: new (url: URL) => object;
  readonly schemas: Readonly<
    Record<'ElicitRequestSchema' | 'CreateMessageRequestSchema' | 'ListRootsRequestSchema', object>
  >;
}

interface AnyClient {
  connect(transport: object): Promise<void>;
  close(): Promise<void>;
  setRequestHandler(schema: object, handler: (request: { params?: unknown }) => Promise<unknown>): void;
  getServerCapabilities(): { tools?: object; prompts?: object; resources?: object } | undefined;
  listTools(): Promise<{ tools: { name: string }[] }>;
  listPrompts(): Promise<{ prompts: { name: string }[] }>;
  listResources(): Promise<{ resources: { name: string }[] }>;
  callTool(params: object): Promise<unknown>;
  getPrompt(params: object): Promise<unknown>;
  readResource(params: object): Promise<unknown>;
  getNegotiatedProtocolVersion?(): string | undefined;
}

/** SDK v1's client as the project has it installed, or undefined where it has none. */
export function v1ClientOf(cwd: string): V1Sdk | undefined {
  try {
    const load = createRequire(path.join(cwd, 'package.json'));
    const client = load('@modelcontextprotocol/sdk/client/index.js') as Pick<V1Sdk, 'Client'>;
    const stdio = load('@modelcontextprotocol/sdk/client/stdio.js') as Pick<V1Sdk, 'StdioClientTransport'>;
    const http = load('@modelcontextprotocol/sdk/client/streamableHttp.js') as Pick<
      V1Sdk,
      'StreamableHTTPClientTransport'
    >;
    return {
      Client: client.Client,
      StdioClientTransport: stdio.StdioClientTransport,
      StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
      schemas: load('@modelcontextprotocol/sdk/types.js') as V1Sdk['schemas'],
    };
  } catch {
    return undefined;
  }
}

async function connected<T>(
  entry: Entry,
  era: ClientEra,
  scripted: ScriptedClient,
  capabilities: Capabilities,
  use: (client: AnyClient) => Promise<T>,
): Promise<T> {
  const v1 = era === V1 ? v1ClientOf(entry.cwd) : undefined;
  if (era === V1 && !v1) throw new Error(`no @modelcontextprotocol/sdk client is installed for ${entry.cwd}`);
  const child = commandOf(entry);
  const served = entry.httpPath ? await listening(child, entry.httpPath) : undefined;
  const client = v1 ? v1Client(v1, scripted, capabilities) : v2Client(era as Era, scripted, capabilities);
  try {
    const transport = served
      ? v1
        ? new v1.StreamableHTTPClientTransport(served.url)
        : new StreamableHTTPClientTransport(served.url)
      : v1
        ? new v1.StdioClientTransport({ ...child, stderr: 'ignore' })
        : new StdioClientTransport({ ...child, stderr: 'ignore' });
    await client.connect(transport);
    return await use(client);
  } finally {
    await client.close();
    await served?.stop();
  }
}

function v1Client(sdk: V1Sdk, scripted: ScriptedClient, capabilities: Capabilities): AnyClient {
  const client = new sdk.Client({ name: 'mrtr-migrate-verify', version: '1.0.0' }, { capabilities });
  const answer = (method: string) => (request: { params?: unknown }) =>
    Promise.resolve(scripted.answer(method, request.params ?? {}));
  // An SDK refuses a handler for a capability the client did not declare.
  if (capabilities.elicitation) client.setRequestHandler(sdk.schemas.ElicitRequestSchema, answer('elicitation/create'));
  if (capabilities.sampling)
    client.setRequestHandler(sdk.schemas.CreateMessageRequestSchema, answer('sampling/createMessage'));
  if (capabilities.roots) client.setRequestHandler(sdk.schemas.ListRootsRequestSchema, answer('roots/list'));
  return client;
}

function v2Client(era: Era, scripted: ScriptedClient, capabilities: Capabilities): AnyClient {
  const client = new Client(
    { name: 'mrtr-migrate-verify', version: '1.0.0' },
    { capabilities, ...(era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  if (capabilities.elicitation)
    client.setRequestHandler('elicitation/create', (r) =>
      Promise.resolve(scripted.answer('elicitation/create', r.params) as never),
    );
  if (capabilities.sampling)
    client.setRequestHandler('sampling/createMessage', (r) =>
      Promise.resolve(scripted.answer('sampling/createMessage', r.params) as never),
    );
  if (capabilities.roots)
    client.setRequestHandler('roots/list', (r) =>
      Promise.resolve(scripted.answer('roots/list', r.params ?? {}) as never),
    );
  return client;
}

interface Command {
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

function commandOf(entry: Entry): Command {
  const env = { ...entry.env };
  // Both copies sign requestState with the same key, so nothing differs for want of one.
  env.MCP_REQUEST_STATE_KEY ??= 'mrtr-migrate-verify-request-state-key-0123456789';
  const typescript = /\.[cm]?tsx?$/.test(entry.file);
  return {
    command: entry.node,
    args: [...(typescript ? ['--import', 'tsx'] : []), entry.file, ...(entry.args ?? [])],
    cwd: entry.cwd,
    env,
  };
}

async function listening(entry: Command, httpPath: string): Promise<{ url: URL; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(entry.command, entry.args, {
    cwd: entry.cwd,
    env: { ...entry.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (child.exitCode !== null) throw new Error(`the entry exited with ${child.exitCode} before listening: ${stderr}`);
    if (await accepts(port)) return { url: new URL(httpPath, `http://127.0.0.1:${port}`), stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`the entry did not listen on PORT ${port} within 30 s: ${stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
