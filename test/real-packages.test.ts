/**
 * Published MCP servers, migrated with the CLI as a user would and run as real processes: the
 * original on the clients it was written for, the migrated copy on a client pinned to 2026-07-28
 * and on a 2025 client. Every tool that asks is called with accept and decline answers, and what
 * the migration cannot carry over (a task tool under v2) must be marked with an error-level reason.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare } from './harness/compare.js';
import { listEntry, runEntryCase, type EntryEra, type EntryPoint } from './harness/entry-point.js';
import { freePort } from './harness/http-entry.js';
import type { Answer, Call } from './harness/scenario.js';
import { cli, copyInstalledPackage, type CliRun } from './helpers/project.js';

interface Diagnostic {
  readonly file: string;
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
}

interface AskingCall {
  readonly name: string;
  readonly call: Call;
  readonly answers: readonly Answer[];
  readonly capabilities: Record<string, unknown>;
}

type Eras = readonly ('2026-07-28' | '2025')[];

const BOTH: Eras = ['2026-07-28', '2025'];
const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const ALL_CAPABILITIES = { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} };

/** The original on the era it serves (v1 for an SDK v1 server), against the migrated copy on `eras`. */
async function sameAsOriginal(
  before: EntryPoint,
  after: EntryPoint,
  cases: readonly AskingCall[],
  original: (era: '2026-07-28' | '2025') => EntryEra = () => 'v1',
  eras: Eras = BOTH,
): Promise<string[]> {
  const differences: string[] = [];
  for (const { name, call, answers, capabilities } of cases) {
    for (const era of eras) {
      const expected = await runEntryCase(before, original(era), call, answers, capabilities);
      const observed = await runEntryCase(after, era, call, answers, capabilities);
      if (era === '2026-07-28' && observed.protocolVersion !== '2026-07-28')
        differences.push(`${name} [${era}]: negotiated ${observed.protocolVersion ?? 'nothing'}`);
      const verdict = compare(expected, observed, () => false);
      if (verdict.kind !== 'equivalent') differences.push(`${name} [${era}]: ${JSON.stringify(verdict)}`);
    }
  }
  return differences;
}

function migrated(run: CliRun): Diagnostic[] {
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
}

describe('@modelcontextprotocol/server-everything (SDK v1, stdio and Streamable HTTP)', () => {
  let before: string;
  let after: string;
  let diagnostics: Diagnostic[];
  beforeAll(async () => {
    before = copyInstalledPackage('@modelcontextprotocol/server-everything');
    after = copyInstalledPackage('@modelcontextprotocol/server-everything', { git: true });
    diagnostics = migrated(await cli(after, '--json', 'dist'));
  }, 120_000);

  const form = { elicitation: { form: {} } };
  const url = { elicitation: { url: {} } };
  const asking: AskingCall[] = [
    {
      name: 'form elicitation, accepted',
      call: { tool: 'trigger-elicitation-request' },
      answers: [{ elicit: { action: 'accept', content: { name: 'Ada Lovelace', check: true, integer: 7 } } }],
      capabilities: form,
    },
    {
      name: 'form elicitation, declined',
      call: { tool: 'trigger-elicitation-request' },
      answers: [{ elicit: { action: 'decline' } }],
      capabilities: form,
    },
    {
      name: 'form elicitation, cancelled',
      call: { tool: 'trigger-elicitation-request' },
      answers: [{ elicit: { action: 'cancel' } }],
      capabilities: form,
    },
    {
      name: 'URL elicitation, accepted',
      call: { tool: 'trigger-url-elicitation', arguments: { url: 'https://example.com/verify', elicitationId: 'v-1' } },
      answers: [{ elicit: { action: 'accept', content: {} } }],
      capabilities: url,
    },
    {
      name: 'URL elicitation, declined',
      call: { tool: 'trigger-url-elicitation', arguments: { url: 'https://example.com/verify', elicitationId: 'v-1' } },
      answers: [{ elicit: { action: 'decline' } }],
      capabilities: url,
    },
    {
      name: 'sampling',
      call: { tool: 'trigger-sampling-request', arguments: { prompt: 'Name a colour', maxTokens: 20 } },
      answers: [{ sample: { text: 'Teal.' } }],
      capabilities: { sampling: {} },
    },
    {
      name: 'roots',
      call: { tool: 'get-roots-list' },
      answers: [{ roots: [{ uri: 'file:///work/site', name: 'site' }] }],
      capabilities: { roots: {} },
    },
  ];

  const stdio = (cwd: string): EntryPoint => ({ cwd, file: 'dist/index.js', args: ['stdio'] });
  const http = (cwd: string): EntryPoint => ({
    cwd,
    file: 'dist/index.js',
    args: ['streamableHttp'],
    http: { path: '/mcp' },
  });

  it('lists the same tools, prompts and resources on both eras, but the task tool v2 cannot have', async () => {
    for (const entry of [stdio, http]) {
      const original = await listEntry(entry(before), 'v1', ALL_CAPABILITIES);
      expect(original.tools).toContain('simulate-research-query');
      const expected = { ...original, tools: original.tools.filter((t) => t !== 'simulate-research-query') };
      for (const era of BOTH) {
        const listed = await listEntry(entry(after), era, ALL_CAPABILITIES);
        expect({ ...listed, protocolVersion: undefined }).toEqual({ ...expected, protocolVersion: undefined });
        if (era === '2026-07-28') expect(listed.protocolVersion).toBe('2026-07-28');
      }
    }
  }, 120_000);

  it('marks every task tool with an error-level reason', () => {
    const tasks = diagnostics.filter((d) => d.ruleId === 'mrtr/task-based');
    expect(tasks.map((d) => `${d.file} ${d.severity}`).sort()).toEqual([
      'dist/tools/simulate-research-query.js error',
      'dist/tools/trigger-elicitation-request-async.js error',
      'dist/tools/trigger-sampling-request-async.js error',
    ]);
    // Nothing the run removed is still named, and nothing failed.
    expect(diagnostics.filter((d) => /removed-name-used|internal-error|parse-error/.test(d.ruleId))).toEqual([]);
  });

  it('answers every asking call over stdio as the original did, on both eras', async () => {
    expect(await sameAsOriginal(stdio(before), stdio(after), asking)).toEqual([]);
  }, 240_000);

  it('answers every asking call over Streamable HTTP as the original did, on both eras', async () => {
    expect(await sameAsOriginal(http(before), http(after), asking)).toEqual([]);
  }, 240_000);

  it('passes its own unit tests, but those that pin what 2026-07-28 had to change', () => {
    const original = ownSuiteFailures(before);
    expect(original.failed).toEqual([]);
    expect(original.passed).toBeGreaterThan(100);
    const afterMigration = ownSuiteFailures(after);
    // Its handler tests pass v1 stubs ({ sendRequest }) and go through callWithV1Extra. What still fails
    // checks the wire itself: a URL request carrying the caller's elicitationId and a third options
    // argument (2026-07-28 has neither), and no registration while capabilities are unknown (which
    // is how every 2026-07-28 client looks when the server is built).
    expect(afterMigration.failed.sort()).toEqual([
      'should ignore errorPath and take the request path when the same call is retried after the prerequisite',
      'should not register when client capabilities are undefined',
      'should send URL-mode elicitation request when errorPath is false',
    ]);
    expect(afterMigration.passed).toBe(original.passed - 3);
  }, 240_000);

  it('still serves SSE clients, and says the SSE entry serves only the 2025 era', async () => {
    const sse = (cwd: string): EntryPoint => ({
      cwd,
      file: 'dist/index.js',
      args: ['sse'],
      http: { path: '/sse', transport: 'sse' },
    });
    const original = await listEntry(sse(before), 'v1', ALL_CAPABILITIES);
    const listed = await listEntry(sse(after), '2025', ALL_CAPABILITIES);
    expect(listed.tools).toEqual(original.tools.filter((t) => t !== 'simulate-research-query'));
    expect(
      diagnostics.filter((d) => d.ruleId === 'mrtr/served-2025-only').map((d) => `${d.file} ${d.severity}`),
    ).toEqual(['dist/transports/sse.js error']);
  }, 60_000);
});

/** The package's own vitest suite (shipped compiled in dist/__tests__), run in its copy; which tests fail. */
function ownSuiteFailures(dir: string): { passed: number; failed: string[] } {
  writeFileSync(
    path.join(dir, 'own-suite.config.mjs'),
    "export default { test: { include: ['dist/__tests__/**/*.test.js'], watch: false } };\n",
  );
  const report = path.join(dir, 'own-suite.json');
  // The suite runs as its own process, not inside this one's workers.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  spawnSync(
    process.execPath,
    [VITEST, 'run', '--config', 'own-suite.config.mjs', '--reporter=json', `--outputFile=${report}`],
    { cwd: dir, env, encoding: 'utf8', timeout: 120_000 },
  );
  const results = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    testResults: { assertionResults: { title: string; status: string }[] }[];
  };
  return {
    passed: results.numPassedTests,
    failed: results.testResults.flatMap((file) =>
      file.assertionResults.filter((t) => t.status === 'failed').map((t) => t.title),
    ),
  };
}

describe('@modelcontextprotocol/server-filesystem (SDK v1, roots after initialize)', () => {
  let before: string;
  let after: string;
  let diagnostics: Diagnostic[];
  let allowed: string;
  beforeAll(async () => {
    before = copyInstalledPackage('@modelcontextprotocol/server-filesystem');
    after = copyInstalledPackage('@modelcontextprotocol/server-filesystem', { git: true });
    diagnostics = migrated(await cli(after, '--json', 'dist'));
    allowed = mkdtempSync(path.join(tmpdir(), 'mrtr-fs-'));
    writeFileSync(path.join(allowed, 'notes.txt'), 'first line\nsecond line\n');
  }, 120_000);

  const entry = (cwd: string): EntryPoint => ({ cwd, file: 'dist/index.js', args: [allowed] });

  it('starts and lists the same tools on both eras', async () => {
    const original = await listEntry(entry(before), 'v1', {});
    expect(original.tools.length).toBeGreaterThan(10);
    for (const era of BOTH) expect((await listEntry(entry(after), era, {})).tools).toEqual(original.tools);
  }, 60_000);

  it('serves its tools as before on both eras', async () => {
    const calls: AskingCall[] = [
      { name: 'allowed directories', call: { tool: 'list_allowed_directories' }, answers: [], capabilities: {} },
      {
        name: 'read a file',
        call: { tool: 'read_text_file', arguments: { path: path.join(allowed, 'notes.txt'), head: 1 } },
        answers: [],
        capabilities: {},
      },
    ];
    expect(await sameAsOriginal(entry(before), entry(after), calls)).toEqual([]);
  }, 120_000);

  it('says where it asks for roots outside any request, which a 2026-07-28 client never answers', () => {
    const outside = diagnostics.filter((d) => d.ruleId === 'mrtr/ask-outside-request');
    expect(outside.map((d) => d.file)).toEqual(['dist/index.js', 'dist/index.js']);
    expect(diagnostics.filter((d) => d.ruleId === 'mrtr/served-stdio')).toHaveLength(1);
  });
});

describe('@upstash/context7-mcp (SDK v2 already, a fire-and-forget elicitation)', () => {
  let before: string;
  let after: string;
  let diagnostics: Diagnostic[];
  let api: HttpServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    before = copyInstalledPackage('@upstash/context7-mcp');
    after = copyInstalledPackage('@upstash/context7-mcp', { git: true });
    diagnostics = migrated(await cli(after, '--json', 'dist'));
    // The documentation service the tools call, on a local port: it asks anonymous callers to sign in.
    const port = await freePort();
    api = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://api');
      res.setHeader('X-Context7-Auth-Prompt', '1');
      if (url.pathname === '/v2/libs/search') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ results: [{ id: '/acme/widgets', title: 'Widgets', description: 'UI kit' }] }));
      } else res.end(`Docs for ${url.searchParams.get('libraryId')}: use <Widget />.`);
    }).listen(port, '127.0.0.1');
    env = { CONTEXT7_API_URL: `http://127.0.0.1:${port}`, CONTEXT7_TELEMETRY_DISABLED: '1' };
  }, 120_000);
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  const entry = (cwd: string): EntryPoint => ({ cwd, file: 'dist/index.js', env });

  it('is left as written apart from markers on the ask nothing waits for', () => {
    // Its HTTP mode is a createMcpHandler route: the run says it takes --target native there.
    expect(diagnostics.map((d) => `${d.file} ${d.ruleId}`).sort()).toEqual([
      'dist/index.js mrtr/native-by-deployment',
      'dist/lib/auth/auth-prompt.js mrtr/ask-not-awaited',
      'dist/lib/auth/auth-prompt.js mrtr/stale-capability-check',
    ]);
  });

  it('lists and answers as the original did, on each era', async () => {
    for (const era of BOTH)
      expect((await listEntry(entry(after), era, form)).tools).toEqual(
        (await listEntry(entry(before), era, form)).tools,
      );
    const calls: AskingCall[] = [
      {
        name: 'query docs, nudged to sign in',
        call: { tool: 'query-docs', arguments: { query: 'how to render', libraryId: '/acme/widgets' } },
        answers: [{ elicit: { action: 'decline' } }],
        capabilities: form,
      },
    ];
    expect(await sameAsOriginal(entry(before), entry(after), calls, (era) => era)).toEqual([]);
    // The nudge reaches a 2025 client, and by the authors' design never a 2026-07-28 one.
    const [nudged] = calls;
    for (const era of BOTH) {
      const observed = await runEntryCase(entry(after), era, nudged.call, nudged.answers, nudged.capabilities);
      expect(observed.questions.map((q) => q.method)).toEqual(era === '2025' ? ['elicitation/create'] : []);
    }
  }, 120_000);

  const form = { elicitation: { form: {} } };
});
