/**
 * `npm run bench`: mrtr-migrate against what a user would otherwise run, on the same synthetic
 * monorepo, alternating and repeated. Prints medians, spread, peak memory and the ratios the
 * project targets, and writes them to bench/results.json. Timings are never asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate.js';
import { eslintCost, eslintCostLine } from './eslint-cost.js';
import { measure, median, type Measurement } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repetitions = Number(process.env.BENCH_REPETITIONS ?? 3);
const node = process.execPath;

interface Tool {
  readonly name: string;
  readonly run: (tree: string) => Promise<Measurement>;
}

const ours = (tree: string) =>
  measure(node, [path.join(root, 'bin/mrtr-migrate.js'), '--dry-run', '--quiet', '.'], tree);

const tools = (copies: Record<string, string>): Tool[] => [
  { name: 'mrtr-migrate', run: ours },
  // In the same alternation as the rest, so a machine that slows down mid-run does not pass for growth.
  ...(copies.doubled ? [{ name: DOUBLED, run: () => ours(copies.doubled) }] : []),
  { name: 'floor', run: (tree) => measure(node, [path.join(root, 'bench/floor.mjs'), '.'], tree) },
  { name: ENGINE_FLOOR, run: (tree) => measure(node, [path.join(root, 'bench/engine-floor.mjs'), '.'], tree) },
  {
    name: 'official codemod',
    run: () =>
      measure(
        node,
        [
          path.join(root, 'node_modules/@modelcontextprotocol/codemod/dist/cli.mjs'),
          'v1-to-v2',
          copies.official,
          '--dry-run',
        ],
        copies.official,
        [0, 1],
      ),
  },
  {
    name: 'jscodeshift',
    run: (tree) =>
      measure(
        node,
        [
          path.join(root, 'node_modules/jscodeshift/bin/jscodeshift.js'),
          '--dry',
          '--silent',
          '--parser=ts',
          '--extensions=ts',
          '--ignore-pattern=**/node_modules/**',
          '-t',
          path.join(root, 'bench/trivial-transform.cjs'),
          '.',
        ],
        tree,
      ),
  },
];

const DOUBLED = 'mrtr-migrate, 5000 unaffected files added';
const ENGINE_FLOOR = 'engine floor';

async function bench(label: string, tree: string, only?: readonly string[], doubled?: string) {
  const copies: Record<string, string> = {
    official: path.join(path.dirname(tree), `${path.basename(tree)}-official`),
    ...(doubled ? { doubled } : {}),
  };
  cpSync(tree, copies.official, { recursive: true });
  const selected = tools(copies).filter((t) => !only || only.includes(t.name));
  const samples = new Map<string, Measurement[]>(selected.map((t) => [t.name, []]));
  for (let r = 0; r < repetitions; r++) {
    // Alternate the order so no tool always runs on a warm or a cold cache.
    const order = r % 2 === 0 ? selected : [...selected].reverse();
    for (const tool of order) {
      const m = await tool.run(tree);
      samples.get(tool.name)!.push(m);
      process.stderr.write(`  ${label} ${tool.name} #${r + 1}: ${m.seconds.toFixed(2)} s, ${m.peakMegabytes} MB\n`);
    }
  }
  return Object.fromEntries(
    [...samples].map(([name, runs]) => {
      const seconds = runs.map((m) => m.seconds);
      return [
        name,
        {
          medianSeconds: +median(seconds).toFixed(3),
          minSeconds: +Math.min(...seconds).toFixed(3),
          maxSeconds: +Math.max(...seconds).toFixed(3),
          peakMegabytes: Math.max(...runs.map((m) => m.peakMegabytes)),
        },
      ];
    }),
  ) as Record<string, { medianSeconds: number; minSeconds: number; maxSeconds: number; peakMegabytes: number }>;
}

/**
 * What the type check adds to a run: a dry run over a project fixture with a tsconfig, with and
 * without it, alternating. The generated trees have no tsconfig, so nothing there is checked.
 */
async function typecheckCost(work: string) {
  const project = 'late-registration';
  const dir = path.join(work, project);
  cpSync(path.join(root, 'fixtures', 'projects', project), dir, { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  const run = (flags: string[]) =>
    measure(node, [path.join(root, 'bin/mrtr-migrate.js'), '--dry-run', '--quiet', ...flags, '.'], dir);
  const withIt: Measurement[] = [];
  const without: Measurement[] = [];
  for (let r = 0; r < repetitions; r++) {
    for (const checked of r % 2 === 0 ? [true, false] : [false, true]) {
      const m = await run(checked ? [] : ['--no-typecheck']);
      (checked ? withIt : without).push(m);
      process.stderr.write(`  typecheck ${checked ? 'on' : 'off'} #${r + 1}: ${m.seconds.toFixed(2)} s\n`);
    }
  }
  return {
    project,
    withSeconds: +median(withIt.map((m) => m.seconds)).toFixed(2),
    withoutSeconds: +median(without.map((m) => m.seconds)).toFixed(2),
    withMegabytes: Math.max(...withIt.map((m) => m.peakMegabytes)),
    withoutMegabytes: Math.max(...without.map((m) => m.peakMegabytes)),
  };
}

/** Alternating child processes, so neither always runs on a warm machine. */
function roundCost(): { withoutRuntime: number; withRuntime: number; ratio: number; runs: number } {
  const runs = 5;
  const sample = (flag: string[]) => {
    const child = spawnSync(node, ['--import', 'tsx', path.join(root, 'bench/round-cost.ts'), ...flag], {
      cwd: root,
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`round-cost failed: ${child.stderr}`);
    return (JSON.parse(child.stdout) as { microsPerCall: number }).microsPerCall;
  };
  const without: number[] = [];
  const withRuntime: number[] = [];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? [false, true] : [true, false];
    for (const loaded of order) (loaded ? withRuntime : without).push(sample(loaded ? ['--with-runtime'] : []));
  }
  process.stderr.write(`  round cost: without ${without.join(', ')} µs; with ${withRuntime.join(', ')} µs\n`);
  const a = median(without);
  const b = median(withRuntime);
  return { withoutRuntime: a, withRuntime: b, ratio: +(b / a).toFixed(3), runs };
}

/** Memory held by calls waiting between rounds (1,000 of them), and what is left once they are released. */
function parkedCalls(): Record<string, number> {
  const child = spawnSync(node, ['--expose-gc', '--import', 'tsx', path.join(root, 'bench/parked-calls.ts')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`parked-calls failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, number>;
}

const work = mkdtempSync(path.join(tmpdir(), 'mrtr-bench-'));
try {
  const large = path.join(work, 'tree-5000');
  const doubled = path.join(work, 'tree-doubled');
  generateTree(large, { files: 5000, handlers: 50 });
  generateTree(doubled, { files: 5000, handlers: 50, extraUnaffected: 5000 });
  const fixtures = path.join(work, 'fixtures');
  cpSync(path.join(root, 'fixtures'), fixtures, { recursive: true });

  process.stderr.write(`bench: ${repetitions} repetitions each, alternating\n`);
  const { [DOUBLED]: growth, ...main } = await bench('5000', large, undefined, doubled);
  const small = await bench('fixtures', fixtures, ['mrtr-migrate', 'floor', ENGINE_FLOOR]);

  const typecheck = await typecheckCost(work);
  const eslint = await eslintCost(work, Math.max(repetitions, 5));
  const round = roundCost();
  const parked = parkedCalls();
  const ours = main['mrtr-migrate'];
  const ratios = {
    oursOverFloor: +(ours.medianSeconds / main.floor.medianSeconds).toFixed(2),
    officialOverOurs: +(main['official codemod'].medianSeconds / ours.medianSeconds).toFixed(2),
    jscodeshiftOverOurs: +(main.jscodeshift.medianSeconds / ours.medianSeconds).toFixed(2),
    oursMemoryOverOfficial: +(ours.peakMegabytes / main['official codemod'].peakMegabytes).toFixed(2),
    doubledUnaffectedOverOurs: +(growth.medianSeconds / ours.medianSeconds).toFixed(2),
    // No targets: where the time above the floor goes (the engine this project is built on, or its own work).
    engineFloorOverFloor: +(main[ENGINE_FLOOR].medianSeconds / main.floor.medianSeconds).toFixed(2),
    oursOverEngineFloor: +(ours.medianSeconds / main[ENGINE_FLOOR].medianSeconds).toFixed(2),
  };
  const targets = {
    oursOverFloor: '<= 2',
    officialOverOurs: '>= 10',
    jscodeshiftOverOurs: '>= 5',
    oursMemoryOverOfficial: '<= 0.33',
    doubledUnaffectedOverOurs: '<= 1.10',
    engineFloorOverFloor: 'none (reference)',
    oursOverEngineFloor: 'none (reference)',
  };
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    repetitions,
    trees: { '5000': main, '10000 (5000 unaffected added)': { 'mrtr-migrate': growth }, fixtures: small },
    // The check of what a run writes with the project's own tsconfig, on a project that has one.
    typecheck,
    // A migrated server's cost when nothing asks: tools/call served with and without the runtime loaded.
    round,
    parkedCalls: parked,
    // Linting the migrated project fixtures with and without the ESLint plugin's recommended config.
    eslint,
    ratios,
    targets,
  };
  writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  for (const [name, m] of Object.entries(main))
    process.stdout.write(
      `${name.padEnd(18)} median ${m.medianSeconds.toFixed(2)} s ` +
        `(${m.minSeconds.toFixed(2)}–${m.maxSeconds.toFixed(2)}), peak ${m.peakMegabytes} MB\n`,
    );
  process.stdout.write(
    `mrtr-migrate on 10000 files (5000 unaffected added): median ${growth.medianSeconds.toFixed(2)} s\n`,
  );
  process.stdout.write(
    `tools/call that never asks: ${round.withoutRuntime} µs without the runtime, ${round.withRuntime} µs with it ` +
      `(${round.ratio}×, medians of ${round.runs})\n`,
  );
  process.stdout.write(
    `held calls: ${parked.bytesPerParkedCall} bytes per waiting call, ${parked.parkedMegabytes} MB for ` +
      `${parked.calls}; ${parked.leftAfterReleaseMegabytes} MB left once released\n`,
  );
  process.stdout.write(
    `type check on ${typecheck.project}: median ${typecheck.withSeconds} s with it, ` +
      `${typecheck.withoutSeconds} s with --no-typecheck (peak ${typecheck.withMegabytes} MB against ` +
      `${typecheck.withoutMegabytes} MB)\n`,
  );
  process.stdout.write(eslintCostLine(eslint));
  for (const [name, value] of Object.entries(ratios))
    process.stdout.write(
      `${name.padEnd(26)} ${String(value).padStart(6)}   target ${targets[name as keyof typeof targets]}\n`,
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}
