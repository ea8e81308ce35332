/**
 * The harness's entry-point mode: the project's own entry file runs as a real child process, the
 * way users run it, instead of a factory the test wraps: over stdio, or listening on a free port
 * and called over real HTTP. Before the migration a v1
 * client talks to it; after, a v2 client pinned to 2026-07-28 and a v2 client on the 2025 era.
 * Effects happen in the child, out of sight: results and questions are compared.
 */
import { pathToFileURL } from 'node:url';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SSEClientTransport as V1SseTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { listening, type HttpServing } from './http-entry.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CaseReport } from './check.js';
import { compare } from './compare.js';
import { normalize, ScriptedClient, type Observation } from './observe.js';
import type { Answer, Call, Scenario } from './scenario.js';

export interface EntryPoint {
  /** The project directory; the entry resolves its packages from there. */
  readonly cwd: string;
  /** The entry file, relative to `cwd`, run with `node --import tsx`. */
  readonly file: string;
  /** Command-line arguments after the file (`stdio`, an allowed directory). */
  readonly args?: readonly string[];
  /** Environment added to the harness's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Served over HTTP rather than stdio: the entry listens on `PORT` and serves MCP at `path`. */
  readonly http?: HttpServing;
}

export type EntryEra = 'v1' | '2026-07-28' | '2025';

const CAPABILITIES = { elicitation: { form: {} }, sampling: {}, roots: {} };
const CLIENT_INFO = { name: 'mrtr-harness-entry', version: '1.0.0' };

function processOf(entry: EntryPoint) {
  const env = { ...process.env, ...entry.env } as Record<string, string>;
  env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';
  return {
    command: process.execPath,
    args: ['--import', 'tsx', entry.file, ...(entry.args ?? [])],
    cwd: entry.cwd,
    env,
    stderr: 'ignore' as const,
  };
}

/** One case against the entry, spawned afresh. */
export async function runEntryCase(
  entry: EntryPoint,
  era: EntryEra,
  call: Call,
  answers: readonly Answer[],
  capabilities: ClientCapabilities = CAPABILITIES,
): Promise<Observation & { readonly protocolVersion?: string }> {
  const scripted = new ScriptedClient(answers);
  let outcome: Observation['outcome'];
  let protocolVersion: string | undefined;
  try {
    const result = await connected(entry, era, scripted, capabilities, async (client) => {
      protocolVersion = client instanceof Client ? client.getNegotiatedProtocolVersion?.() : undefined;
      return invoke(client, call);
    });
    outcome = { result: normalize(result) };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  return { outcome, questions: scripted.questions, effects: [], protocolVersion };
}

type ClientCapabilities = Record<string, unknown>;

export interface Listing {
  readonly tools: readonly string[];
  readonly prompts: readonly string[];
  readonly resources: readonly string[];
  readonly protocolVersion?: string;
}

/** What the entry lists to a client of one era: tool, prompt and resource names, sorted. */
export async function listEntry(
  entry: EntryPoint,
  era: EntryEra,
  capabilities: ClientCapabilities = CAPABILITIES,
): Promise<Listing> {
  return connected(entry, era, new ScriptedClient([]), capabilities, async (client) => {
    const server = client.getServerCapabilities() ?? {};
    const names = (items: readonly { name: string }[]) => items.map((item) => item.name).sort();
    return {
      tools: server.tools ? names((await client.listTools()).tools) : [],
      prompts: server.prompts ? names((await client.listPrompts()).prompts) : [],
      resources: server.resources ? names((await client.listResources()).resources) : [],
      ...(client instanceof Client ? { protocolVersion: client.getNegotiatedProtocolVersion?.() } : {}),
    };
  });
}

/** A client of the era connected to a fresh start of the entry, closed (and the entry stopped) after `use`. */
async function connected<T>(
  entry: EntryPoint,
  era: EntryEra,
  scripted: ScriptedClient,
  capabilities: ClientCapabilities,
  use: (client: V1Client | Client) => Promise<T>,
): Promise<T> {
  const client =
    era === 'v1' ? v1Client(scripted, capabilities) : v2Client(scripted, era === '2026-07-28', capabilities);
  const server = entry.http ? await listening(processOf(entry), entry.http) : undefined;
  try {
    if (client instanceof V1Client) {
      await client.connect(
        server
          ? server.sse
            ? new V1SseTransport(server.url, { requestInit: { headers: server.headers } })
            : new V1HttpTransport(server.url, { requestInit: { headers: server.headers } })
          : new V1StdioClientTransport(processOf(entry)),
      );
    } else {
      await client.connect(
        server
          ? server.sse
            ? new SSEClientTransport(server.url, { requestInit: { headers: server.headers } })
            : new StreamableHTTPClientTransport(server.url, { requestInit: { headers: server.headers } })
          : new StdioClientTransport(processOf(entry)),
      );
    }
    return await use(client);
  } finally {
    await client.close();
    await server?.stop();
  }
}

export interface EntryCheckOptions {
  /** Where the expected observation comes from, when not the unmigrated entry on v1. */
  readonly baseline?: (call: Call, answers: readonly Answer[]) => Promise<Observation>;
  readonly eras?: readonly ('2026-07-28' | '2025')[];
}

/** Every script of the scenario: the unmigrated entry on v1 against the migrated one on both eras. */
export async function checkEntryPoint(
  name: string,
  before: EntryPoint,
  after: EntryPoint,
  scenarioFile: string,
  options: EntryCheckOptions = {},
): Promise<CaseReport[]> {
  const scenario = ((await import(pathToFileURL(scenarioFile).href)) as { default: Scenario }).default;
  const reports: CaseReport[] = [];
  for (const [caseName, answers] of Object.entries(scenario.scripts)) {
    const baseline = options.baseline
      ? await options.baseline(scenario.call, answers)
      : await runEntryCase(before, 'v1', scenario.call, answers);
    for (const era of options.eras ?? (['2026-07-28', '2025'] as const)) {
      const observed = await runEntryCase(after, era, scenario.call, answers);
      const negotiated = era === '2026-07-28' ? observed.protocolVersion === '2026-07-28' : true;
      const verdict = negotiated
        ? compare(baseline, observed, () => false)
        : {
            kind: 'different' as const,
            reasons: [`negotiated ${observed.protocolVersion ?? 'nothing'}, not 2026-07-28`],
          };
      reports.push({ scenario: name, caseName, era: `${era} entry`, verdict });
    }
  }
  return reports;
}

/** Answers only what the client declares: an SDK refuses a handler for a capability it did not. */
function v1Client(scripted: ScriptedClient, capabilities: ClientCapabilities): V1Client {
  const client = new V1Client(CLIENT_INFO, { capabilities });
  if (capabilities.elicitation)
    client.setRequestHandler(
      ElicitRequestSchema,
      async (r) => scripted.answer('elicitation/create', r.params) as never,
    );
  if (capabilities.sampling)
    client.setRequestHandler(
      CreateMessageRequestSchema,
      async (r) => scripted.answer('sampling/createMessage', r.params) as never,
    );
  if (capabilities.roots)
    client.setRequestHandler(
      ListRootsRequestSchema,
      async (r) => scripted.answer('roots/list', r.params ?? {}) as never,
    );
  return client;
}

function v2Client(scripted: ScriptedClient, modern: boolean, capabilities: ClientCapabilities): Client {
  const client = new Client(CLIENT_INFO, {
    capabilities,
    ...(modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
  });
  if (capabilities.elicitation)
    client.setRequestHandler(
      'elicitation/create',
      async (r) => scripted.answer('elicitation/create', r.params) as never,
    );
  if (capabilities.sampling)
    client.setRequestHandler(
      'sampling/createMessage',
      async (r) => scripted.answer('sampling/createMessage', r.params) as never,
    );
  if (capabilities.roots)
    client.setRequestHandler('roots/list', async (r) => scripted.answer('roots/list', r.params ?? {}) as never);
  return client;
}

function invoke(client: V1Client | Client, call: Call): Promise<unknown> {
  if ('tool' in call) return client.callTool({ name: call.tool, arguments: call.arguments ?? {} });
  if ('prompt' in call) return client.getPrompt({ name: call.prompt, arguments: call.arguments ?? {} });
  return client.readResource({ uri: call.resource });
}
