/**
 * What the ESLint plugin adds to linting: the project fixtures, migrated by the CLI, linted by one
 * ESLint process with @eslint/js and typescript-eslint's recommended rules, with and without
 * `mrtr-migrate/eslint`'s recommended config, alternating. Run alone: `npm run bench:eslint`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median, type Measurement } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;

export interface EslintCost {
  readonly projects: number;
  readonly files: number;
  readonly withoutSeconds: number;
  readonly withSeconds: number;
  readonly addedSeconds: number;
  readonly withoutMegabytes: number;
  readonly withMegabytes: number;
  readonly runs: number;
}

export async function eslintCost(work: string, runs: number): Promise<EslintCost> {
  const dirs: string[] = [];
  let files = 0;
  for (const name of readdirSync(path.join(root, 'fixtures', 'projects')).sort()) {
    const dir = path.join(work, 'eslint', name);
    cpSync(path.join(root, 'fixtures', 'projects', name), dir, { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const migrated = spawnSync(node, [path.join(root, 'bin/mrtr-migrate.js'), '--quiet', '--no-typecheck', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrating ${name} failed: ${migrated.stderr}`);
    files += sourceFiles(dir);
    dirs.push(dir);
  }
  const lint = (plugin: boolean) =>
    measure(node, [path.join(root, 'bench/eslint-lint.mjs'), ...dirs, ...(plugin ? ['--plugin'] : [])], root);
  const without: Measurement[] = [];
  const withIt: Measurement[] = [];
  for (let r = 0; r < runs; r++) {
    for (const plugin of r % 2 === 0 ? [false, true] : [true, false]) {
      const m = await lint(plugin);
      (plugin ? withIt : without).push(m);
      process.stderr.write(`  eslint ${plugin ? 'with' : 'without'} the plugin #${r + 1}: ${m.seconds.toFixed(2)} s\n`);
    }
  }
  const a = median(without.map((m) => m.seconds));
  const b = median(withIt.map((m) => m.seconds));
  return {
    projects: dirs.length,
    files,
    withoutSeconds: +a.toFixed(2),
    withSeconds: +b.toFixed(2),
    addedSeconds: +(b - a).toFixed(2),
    withoutMegabytes: Math.max(...without.map((m) => m.peakMegabytes)),
    withMegabytes: Math.max(...withIt.map((m) => m.peakMegabytes)),
    runs,
  };
}

function sourceFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => !f.startsWith('node_modules') && /\.[cm]?[jt]sx?$/.test(f),
  ).length;
}

export function eslintCostLine(cost: EslintCost): string {
  return (
    `eslint on ${cost.projects} migrated projects (${cost.files} files): median ${cost.withoutSeconds} s without ` +
    `the plugin, ${cost.withSeconds} s with it (+${cost.addedSeconds} s; peak ${cost.withoutMegabytes} MB against ` +
    `${cost.withMegabytes} MB, ${cost.runs} runs each)\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const work = mkdtempSync(path.join(tmpdir(), 'mrtr-bench-eslint-'));
  try {
    process.stdout.write(eslintCostLine(await eslintCost(work, Number(process.env.BENCH_REPETITIONS ?? 7))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
