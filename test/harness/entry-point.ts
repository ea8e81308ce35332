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
  /** Served over HTTP rather than stdio: the entry listens on `PORT` and serves MCP at `path`. */
  readonly http?: HttpServing;
}

export type EntryEra = 'v1' | '2026-07-28' | '2025';

const CAPABILITIES = { elicitation: { form: {} }, sampling: {}, roots: {} };
const CLIENT_INFO = { name: 'mrtr-harness-entry', version: '1.0.0' };

function processOf(entry: EntryPoint) {
  const env = { ...process.env } as Record<string, string>;
  env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';
  return {
    command: process.execPath,
    args: ['--import', 'tsx', entry.file],
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
): Promise<Observation & { readonly protocolVersion?: string }> {
  const scripted = new ScriptedClient(answers);
  const client = era === 'v1' ? v1Client(scripted) : v2Client(scripted, era === '2026-07-28');
  let outcome: Observation['outcome'];
  let protocolVersion: string | undefined;
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
      protocolVersion = client.getNegotiatedProtocolVersion?.();
    }
    outcome = { result: normalize(await invoke(client, call)) };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close();
    await server?.stop();
  }
  return { outcome, questions: scripted.questions, effects: [], protocolVersion };
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

function v1Client(scripted: ScriptedClient): V1Client {
  const client = new V1Client(CLIENT_INFO, { capabilities: CAPABILITIES });
  client.setRequestHandler(ElicitRequestSchema, async (r) => scripted.answer('elicitation/create', r.params) as never);
  client.setRequestHandler(
    CreateMessageRequestSchema,
    async (r) => scripted.answer('sampling/createMessage', r.params) as never,
  );
  client.setRequestHandler(ListRootsRequestSchema, async (r) => scripted.answer('roots/list', r.params ?? {}) as never);
  return client;
}

function v2Client(scripted: ScriptedClient, modern: boolean): Client {
  const client = new Client(CLIENT_INFO, {
    capabilities: CAPABILITIES,
    ...(modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
  });
  client.setRequestHandler('elicitation/create', async (r) => scripted.answer('elicitation/create', r.params) as never);
  client.setRequestHandler(
    'sampling/createMessage',
    async (r) => scripted.answer('sampling/createMessage', r.params) as never,
  );
  client.setRequestHandler('roots/list', async (r) => scripted.answer('roots/list', r.params ?? {}) as never);
  return client;
}

function invoke(client: V1Client | Client, call: Call): Promise<unknown> {
  if ('tool' in call) return client.callTool({ name: call.tool, arguments: call.arguments ?? {} });
  if ('prompt' in call) return client.getPrompt({ name: call.prompt, arguments: call.arguments ?? {} });
  return client.readResource({ uri: call.resource });
}
