/**
 * Streamable HTTP serving, the way users run it: each HTTP project fixture's own entry file starts
 * on a free port and is called over real HTTP. Before the migration a v1 client calls a tool that
 * elicits, one that samples and one that lists roots; after it, a v2 client pinned to 2026-07-28
 * and a client on the 2025 era get the same results and questions. The route's own checks (auth,
 * host, origin) still answer first, `review` passes, and a second run changes nothing.
 */
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { caseLine } from './harness/check.js';
import { checkEntryPoint, runEntryCase, type EntryPoint } from './harness/entry-point.js';
import { runCase, type ServerModule } from './harness/run-cases.js';
import type { Scenario } from './harness/scenario.js';
import type { HttpServing } from './harness/http-entry.js';
import { cli, copyProject, read } from './helpers/project.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projects = path.join(root, 'fixtures', 'projects');

interface ServedFixture {
  readonly serve?: { readonly entry: string; readonly http?: HttpServing; readonly stateless?: boolean };
  readonly expectedRules: readonly string[];
}

const fixtureOf = (name: string) =>
  JSON.parse(readFileSync(path.join(projects, name, 'fixture.json'), 'utf8')) as ServedFixture;

/** The project fixtures served over HTTP whose route the migration rewrites. */
const rewritten = readdirSync(projects)
  .filter((name) => {
    try {
      const fixture = fixtureOf(name);
      return fixture.serve?.http && fixture.expectedRules.some((r) => r.endsWith(' mrtr/served-http'));
    } catch {
      return false;
    }
  })
  .sort();

function linkedCopy(name: string): string {
  const dir = copyProject(name);
  // The copy resolves the SDKs, the web frameworks and tsx through this repository's node_modules.
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

const sessionful = rewritten.filter((name) => !fixtureOf(name).serve?.stateless);

/** An untouched copy of the project and a migrated one. */
async function migratedPair(name: string): Promise<{ before: string; after: string }> {
  const before = linkedCopy(name);
  const after = linkedCopy(name);
  expect((await cli(after, '--allow-dirty', '.')).code).toBe(0);
  return { before, after };
}

it('finds the HTTP fixtures: Express, node:http and Hono (web and Node) with sessions, Express stateless', () => {
  expect(sessionful).toEqual(
    expect.arrayContaining(['http-express-sessions', 'http-hono-node', 'http-hono-sessions', 'http-node-sessions']),
  );
  expect(rewritten).toContain('http-express-stateless');
});

describe.each(sessionful)('%s, run from its own entry file over real HTTP', (name) => {
  const { serve } = fixtureOf(name);
  const entry = (cwd: string): EntryPoint => ({ cwd, file: serve!.entry, http: serve!.http });

  it('answers both eras after the migration as it answered its v1 client before', { timeout: 240_000 }, async () => {
    const before = linkedCopy(name);
    const after = linkedCopy(name);
    const run = await cli(after, '--allow-dirty', '--json', '.');
    expect(run.code).toBe(0);
    expect(read(after, serve!.entry)).toContain("{ legacy: 'reject' }");
    // The package the leg imports joins the project's manifest, where the v1 SDK was declared.
    const manifest = JSON.parse(read(after, 'package.json')) as { dependencies: Record<string, string> };
    const usesNode = read(after, serve!.entry).includes("from '@modelcontextprotocol/node'");
    expect(manifest.dependencies['@modelcontextprotocol/node']).toBe(usesNode ? '^2.1.2' : undefined);
    expect((await cli(after, 'review', '.')).code).toBe(0);
    // A second run finds the route served on both eras and leaves it be.
    const again = JSON.parse((await cli(after, '--allow-dirty', '--dry-run', '--json', '.')).stdout) as {
      summary: { filesChanged: number };
    };
    expect(again.summary.filesChanged).toBe(0);

    const scenarios = path.join(projects, name, 'scenarios');
    const reports = [];
    for (const scenario of readdirSync(scenarios).sort())
      reports.push(...(await checkEntryPoint(scenario, entry(before), entry(after), path.join(scenarios, scenario))));
    // Two eras for each of the four cases: an elicitation accepted and declined, a sampling, a roots list.
    expect(reports).toHaveLength(8);
    expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    // The harness tells the difference: before the migration a client pinned to 2026-07-28 gets nowhere.
    const unmigrated = await runEntryCase(entry(before), '2026-07-28', { tool: 'workspace' }, [{ roots: [] }]);
    expect(unmigrated.outcome).toEqual({ error: expect.stringContaining('2026-07-28') });
  });

  it(
    'still answers its own checks first: a request without the credentials is refused on both eras',
    {
      timeout: 120_000,
    },
    async () => {
      const after = linkedCopy(name);
      expect((await cli(after, '--allow-dirty', '.')).code).toBe(0);
      const bare = { ...entry(after), http: { path: serve!.http!.path } };
      for (const era of ['2026-07-28', '2025'] as const) {
        const observed = await runEntryCase(bare, era, { tool: 'workspace' }, [{ roots: [] }]);
        expect(observed.outcome).toEqual({ error: expect.stringMatching(/401|403|nauthori[sz]ed/i) });
      }
    },
  );
});

describe('http-express-stateless, run from its own entry file over real HTTP', () => {
  const name = 'http-express-stateless';
  const { serve } = fixtureOf(name);
  const entry = (cwd: string): EntryPoint => ({ cwd, file: serve!.entry, http: serve!.http });

  it(
    'asks a 2026-07-28 client what a connection that can ask got before; a 2025 client still cannot be asked',
    { timeout: 240_000 },
    async () => {
      const { before, after } = await migratedPair(name);
      expect((await cli(after, 'review', '.')).code).toBe(0);
      const original = (await import(path.join(before, 'src/server.ts'))) as ServerModule;
      const scenarios = path.join(projects, name, 'scenarios');
      const reports = [];
      for (const scenario of readdirSync(scenarios).sort()) {
        const file = path.join(scenarios, scenario);
        // Stateless serving never could ask: the baseline is the original server on a v1 connection that can.
        reports.push(
          ...(await checkEntryPoint(scenario, entry(before), entry(after), file, {
            eras: ['2026-07-28'],
            baseline: (call, answers) => runCase(original, 'v1', call, answers),
          })),
        );
      }
      // A 2025 client still gets an error result and no question: the stateless serving it had cannot ask.
      const elicits = ((await import(path.join(scenarios, 'confirm-order.ts'))) as { default: Scenario }).default;
      const answers = Object.values(elicits.scripts)[0];
      for (const [cwd, era] of [
        [before, 'v1'],
        [after, '2025'],
      ] as const) {
        const observed = await runEntryCase(entry(cwd), era, elicits.call, answers);
        expect(observed.outcome).toMatchObject({ result: { isError: true } });
        expect(observed.questions).toEqual([]);
      }
      expect(reports).toHaveLength(4);
      expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    },
  );
});

describe('http-session-state: a server that keeps state for its session is left served as it was, and marked', () => {
  const name = 'http-session-state';
  const { serve } = fixtureOf(name);
  const entry = (cwd: string): EntryPoint => ({ cwd, file: serve!.entry, http: serve!.http });

  it(
    'marks the connect call with the reason, fails review, and still serves its 2025 clients',
    { timeout: 120_000 },
    async () => {
      const { before, after } = await migratedPair(name);
      const migrated = read(after, serve!.entry);
      expect(migrated).not.toMatch(/import {[^}]*createMcpHandler/);
      expect(migrated).toMatch(/@mrtr-migrate mrtr\/served-2025-only: .*keeps per-server state in `orders`/);
      const review = await cli(after, 'review', '.');
      expect(review.code).toBe(1);
      expect(review.stdout).toContain('mrtr/served-2025-only');
      const scenario = path.join(projects, name, 'scenarios', 'confirm-order.ts');
      const reports = await checkEntryPoint('confirm-order.ts', entry(before), entry(after), scenario, {
        eras: ['2025'],
      });
      expect(reports).toHaveLength(2);
      expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    },
  );
});

it('a dry run shows the HTTP leg as a diff and writes nothing', async () => {
  const dir = copyProject('http-express-sessions');
  const entryBefore = read(dir, 'src/index.ts');
  const run = await cli(dir, '--allow-dirty', '--dry-run', '.');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('+  if (!(await isLegacyRequest(await toWebRequest(req, req.body))))');
  expect(run.stdout).toContain('+    "@modelcontextprotocol/node": "^2.1.2",');
  expect(read(dir, 'src/index.ts')).toBe(entryBefore);
});

describe('sse-entry: the deprecated SSE transport is left as it serves, and marked', () => {
  const name = 'sse-entry';
  const { serve } = fixtureOf(name);
  const entry = (cwd: string): EntryPoint => ({ cwd, file: serve!.entry, http: serve!.http });

  it(
    'marks the connect call with the steps, fails review, and still serves SSE clients',
    { timeout: 180_000 },
    async () => {
      const { before, after } = await migratedPair(name);
      const migrated = read(after, serve!.entry);
      expect(migrated).toContain("from '@modelcontextprotocol/server-legacy/sse'");
      expect(migrated).toMatch(/@mrtr-migrate mrtr\/served-2025-only: .*SSE transport is deprecated/);
      const manifest = JSON.parse(read(after, 'package.json')) as { dependencies: Record<string, string> };
      expect(manifest.dependencies['@modelcontextprotocol/server-legacy']).toBe('^2.3.1');
      expect((await cli(after, 'review', '.')).code).toBe(1);
      // A 2025 client over SSE gets what the v1 client got before: asks and all, through the legacy shim.
      const scenarios = path.join(projects, name, 'scenarios');
      const reports = [];
      for (const scenario of readdirSync(scenarios).sort())
        reports.push(
          ...(await checkEntryPoint(scenario, entry(before), entry(after), path.join(scenarios, scenario), {
            eras: ['2025'],
          })),
        );
      expect(reports).toHaveLength(4);
      expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    },
  );
});

describe.each([
  ['cloudflare-agent', /McpAgent` serves through its own Durable Object transport/],
  ['custom-transport', /a custom transport cannot serve 2026-07-28 through `connect\(\)`/],
])('%s: served by something the pass does not rewrite, and marked with the steps', (name, steps) => {
  it('marks the serving call, fails review while it is there, and marks it only once', async () => {
    const dir = linkedCopy(name);
    expect((await cli(dir, '--allow-dirty', '.')).code).toBe(0);
    const entry = read(dir, 'src/index.ts');
    expect(entry).toMatch(steps);
    const review = await cli(dir, 'review', '.');
    expect(review.code).toBe(1);
    expect(review.stdout).toContain('src/index.ts');
    expect((await cli(dir, '--allow-dirty', '.')).code).toBe(0);
    expect(read(dir, 'src/index.ts')).toBe(entry);
  });
});
