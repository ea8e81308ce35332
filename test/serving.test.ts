/**
 * Serving, the way users run it: the project's own entry file in a real child process over stdio
 * (the harness's entry-point mode). Before the migration a v1 client calls a tool that elicits,
 * one that samples and one that lists roots; after it, a v2 client pinned to 2026-07-28 and a
 * client on the 2025 era get the same results and questions, and the shutdown hooks (closing the
 * transport, closing the server) still end the process. Each rewritten fixture shape is spawned too.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioClientTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { caseLine } from './harness/check.js';
import { checkEntryPoint, runEntryCase } from './harness/entry-point.js';
import { cli, copyProject, read, write } from './helpers/project.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, MCP_REQUEST_STATE_KEY: 'mrtr-serving-test-request-state-key-0123456789' } as Record<
  string,
  string
>;
const entry = (dir: string) => ({
  command: process.execPath,
  args: ['--import', 'tsx', 'src/index.ts'],
  cwd: dir,
  env,
});

/** Starts the entry, waits for it to say it runs, sends `signal`: the hook must end it with 0. */
function exitOn(dir: string, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(entry(dir).command, entry(dir).args, { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the entry did not exit on ${signal}`));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('running on stdio')) child.kill(signal);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('a stdio entry point, run as a real process', () => {
  it('answers both eras after the migration as it answered its v1 client before', { timeout: 180_000 }, async () => {
    const copy = () => {
      const dir = copyProject('stdio-entry');
      // The copy resolves the SDKs and tsx through this repository's node_modules.
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      return dir;
    };
    const before = copy();
    const after = copy();
    const run = await cli(after, '--allow-dirty', '--json', '.');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { diagnostics: { ruleId: string; file: string }[] };
    expect(report.diagnostics.map((d) => `${d.file} ${d.ruleId}`)).toContain('src/index.ts mrtr/served-stdio');
    expect(read(after, 'src/index.ts')).toContain('const transport = serveStdio(() => server);');

    const scenarios = path.join(root, 'fixtures', 'projects', 'stdio-entry', 'scenarios');
    const reports = [];
    for (const scenario of readdirSync(scenarios).sort())
      reports.push(
        ...(await checkEntryPoint(
          scenario,
          { cwd: before, file: 'src/index.ts' },
          { cwd: after, file: 'src/index.ts' },
          path.join(scenarios, scenario),
        )),
      );
    // Two eras for each of the four cases: an elicitation accepted and declined, a sampling, a roots list.
    expect(reports).toHaveLength(8);
    expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    expect(await exitOn(after, 'SIGINT')).toBe(0);
    expect(await exitOn(after, 'SIGTERM')).toBe(0);
  });

  it(
    'the harness tells a difference apart: the unmigrated entry cannot serve a client pinned to 2026-07-28',
    {
      timeout: 60_000,
    },
    async () => {
      const dir = copyProject('stdio-entry');
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      const entry = { cwd: dir, file: 'src/index.ts' };
      const observed = await runEntryCase(entry, '2026-07-28', { tool: 'workspace' }, [{ roots: [] }]);
      expect(observed.outcome).toEqual({
        error: expect.stringContaining('did not offer pinned protocol version 2026-07-28'),
      });
    },
  );
});

/** Every project fixture whose stdio entry the migration serves: its entry file, from the fixture's expectations. */
const servedProjects = readdirSync(path.join(root, 'fixtures', 'projects'))
  .filter((name) => name !== 'stdio-entry')
  .flatMap((name) => {
    const fixture = path.join(root, 'fixtures', 'projects', name, 'fixture.json');
    if (!existsSync(fixture)) return [];
    const { expectedRules: rules, entryChecks } = JSON.parse(readFileSync(fixture, 'utf8')) as {
      expectedRules: string[];
      entryChecks?: string;
    };
    // A project whose calls need their own client capabilities is run from its entries by `verify`.
    if (entryChecks === 'verify') return [];
    const served = rules.find((r) => r.endsWith(' mrtr/served-stdio'));
    return served ? [{ name, entry: served.split(' ')[0] }] : [];
  });

describe('the other project fixtures, run from their own entry files', () => {
  it('includes every project with a stdio entry', () => {
    expect(servedProjects.map((p) => p.name).sort()).toEqual([
      'batch-cleanup',
      'commonjs-ts',
      'confirm-tools',
      'dispatch-table',
      'javascript-esm',
      'manager-setter',
      'project-setup',
      'reservations',
      'service-locator',
    ]);
  });

  it.each(servedProjects)(
    '$name: its scenarios behave the same through $entry on both eras',
    {
      timeout: 240_000,
    },
    async ({ name, entry }) => {
      const copy = () => {
        const dir = copyProject(name);
        symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
        return dir;
      };
      const before = copy();
      const after = copy();
      expect((await cli(after, '--allow-dirty', '.')).code).toBe(0);
      const scenarios = path.join(root, 'fixtures', 'projects', name, 'scenarios');
      const reports = [];
      for (const scenario of readdirSync(scenarios).sort())
        reports.push(
          ...(await checkEntryPoint(
            `${name}/${scenario}`,
            { cwd: before, file: entry },
            { cwd: after, file: entry },
            path.join(scenarios, scenario),
          )),
        );
      expect(reports.length).toBeGreaterThan(0);
      expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    },
  );
});

const servingFixtures = path.join(root, 'fixtures', 'serving');
const servedOutputs = readdirSync(servingFixtures)
  .filter((f) => f.endsWith('.report.json'))
  .filter((f) => readFileSync(path.join(servingFixtures, f), 'utf8').includes('mrtr/served-stdio'))
  .map((f) => readdirSync(servingFixtures).find((o) => o.startsWith(f.replace('.report.json', '.output.')))!);

/** Ping through a fixture output run as its own process, from this repository (its node_modules). */
async function pingWith(version: 'v1' | 'v2', file: string): Promise<unknown> {
  const spawnArgs = {
    command: process.execPath,
    args: ['--import', 'tsx', file],
    cwd: root,
    env,
    stderr: 'ignore' as const,
  };
  if (version === 'v1') {
    const client = new ClientV1({ name: 'v1-client', version: '1.0.0' });
    await client.connect(new StdioClientTransportV1(spawnArgs));
    try {
      return (await client.callTool({ name: 'ping', arguments: {} })).content;
    } finally {
      await client.close();
    }
  }
  const client = new ClientV2(
    { name: 'v2-client', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StdioClientTransportV2(spawnArgs));
  try {
    expect(client.getNegotiatedProtocolVersion?.()).toBe('2026-07-28');
    return (await client.callTool({ name: 'ping', arguments: {} })).content;
  } finally {
    await client.close();
  }
}

describe('each migrated stdio shape, run as a real process', () => {
  it('covers every shape the serving fixtures rewrite', () => {
    expect(servedOutputs.sort()).toEqual([
      'catch-chain-v1.output.ts',
      'class-start-v1.output.ts',
      'main-variable-v1.output.ts',
      'shutdown-hooks-v1.output.ts',
      'top-level-inline-v1.output.ts',
    ]);
  });

  it.each(servedOutputs)('serves %s to a 2026-07-28 client and to a 2025 client', { timeout: 60_000 }, async (file) => {
    const output = path.join(servingFixtures, file);
    const pong = [{ type: 'text', text: 'pong' }];
    expect(await pingWith('v2', output)).toEqual(pong);
    expect(await pingWith('v1', output)).toEqual(pong);
  });
});

describe('review, while a server is served only on the 2025 era', () => {
  it('fails on a marked entry point and on one no migration touched, and passes once served', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/sse.mjs', readFileSync(path.join(servingFixtures, 'sse-v1.output.mjs'), 'utf8'));
    write(
      dir,
      'src/stdio.ts',
      "import { McpServer } from '@modelcontextprotocol/server';\n" +
        "import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';\n\n" +
        "const server = new McpServer({ name: 'x', version: '1.0.0' });\n" +
        'await server.connect(new StdioServerTransport());\n',
    );
    const failing = await cli(dir, 'review', '--json', 'src/sse.mjs', 'src/stdio.ts');
    expect(failing.code).toBe(1);
    const findings = (JSON.parse(failing.stdout) as { findings: { file: string; ruleId: string }[] }).findings;
    expect(findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([
      'src/sse.mjs mrtr/served-2025-only',
      'src/stdio.ts mrtr/served-2025-only',
    ]);
    expect((await cli(dir, '--allow-dirty', '-t', 'serving', 'src/stdio.ts')).code).toBe(0);
    expect(read(dir, 'src/stdio.ts')).toContain('serveStdio(() => server);');
    expect((await cli(dir, 'review', 'src/stdio.ts')).code).toBe(0);
  });
});
