/**
 * `mrtr-migrate verify <entry> [args...]`: starts the project's own entry point as it was (the git
 * commit the migration started from, or `--original <dir>`) and as it is now, as real processes,
 * and compares what clients of both eras see. Exits 1 on any difference.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findRepositoryRoot } from '../engine/discover.js';
import type { Entry } from '../verify/entry.js';
import type { VerifyCase } from '../verify/verify.js';
import { EXIT, type Streams } from './streams.js';

export interface VerifyOptions {
  original?: string;
  ref?: string;
  scenarios?: string;
  http?: string;
  env?: string[];
  json?: boolean;
  report?: string;
}

export async function runVerify(
  file: string,
  args: readonly string[],
  options: VerifyOptions,
  streams: Streams,
): Promise<number> {
  const fail = (line: string) => {
    streams.stderr.write(`mrtr-migrate verify: ${line}\n`);
    return EXIT.usage;
  };
  if (!existsSync(path.resolve(streams.cwd, file))) return fail(`no entry file ${file}`);
  if (options.report && !/\.(md|json)$/.test(options.report))
    return fail(`--report needs a .md or .json file name, got ${options.report}`);
  let cases;
  try {
    cases = options.scenarios ? readCases(path.resolve(streams.cwd, options.scenarios)) : [];
  } catch (error) {
    return fail(`cannot read the scenarios: ${(error as Error).message}`);
  }
  const extraEnv = Object.fromEntries((options.env ?? []).map((pair) => pair.split(/=(.*)/s, 2) as [string, string]));
  const env = { ...(streams.env as Record<string, string>), ...extraEnv };
  const base = { node: process.execPath, file, args, env, ...(options.http ? { httpPath: options.http } : {}) };
  const migrated: Entry = { ...base, cwd: streams.cwd };
  const snapshot = options.original
    ? { dir: path.resolve(streams.cwd, options.original), remove: () => undefined }
    : exportCommit(streams.cwd, options.ref ?? 'HEAD');
  if ('error' in snapshot) return fail(snapshot.error);
  const { verify } = await import('../verify/verify.js');
  try {
    const result = await verify({ ...base, cwd: snapshot.dir }, migrated, cases);
    const human = options.json ? streams.stderr : streams.stdout;
    for (const d of result.differences) human.write(`${d.era}  ${d.what}  ${d.detail}\n`);
    human.write(
      result.differences.length === 0
        ? `mrtr-migrate verify: ${result.compared.length} comparisons, no difference\n`
        : `mrtr-migrate verify: ${result.differences.length} differences in ${result.compared.length} comparisons\n`,
    );
    const document = { entry: file, args, ...result };
    if (options.json) streams.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    if (options.report)
      writeFileSync(
        path.resolve(streams.cwd, options.report),
        options.report.endsWith('.json') ? `${JSON.stringify(document, null, 2)}\n` : markdown(document),
      );
    return result.differences.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    snapshot.remove();
  }
}

function readCases(file: string) {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const cases = Array.isArray(parsed) ? parsed : (parsed as { cases?: unknown }).cases;
  if (!Array.isArray(cases)) throw new Error('expected an array of cases, or { "cases": [...] }');
  return cases as VerifyCase[];
}

/**
 * The project as committed at `ref`, in a temporary directory laid out as the repository is, with
 * the installed `node_modules` linked in: the original runs on the packages installed now.
 */
function exportCommit(cwd: string, ref: string): { dir: string; remove: () => void } | { error: string } {
  const root = findRepositoryRoot(cwd);
  if (!root) return { error: 'not inside a git repository; pass --original <dir> with the unmigrated project' };
  const copy = mkdtempSync(path.join(tmpdir(), 'mrtr-verify-'));
  const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: root, maxBuffer: 1 << 30 });
  const unpacked =
    archive.status === 0 ? spawnSync('tar', ['-x', '-C', copy], { input: archive.stdout }) : { status: 1 };
  if (unpacked.status !== 0) {
    rmSync(copy, { recursive: true, force: true });
    return { error: `cannot export ${ref} from git: ${String(archive.stderr ?? '').trim()}` };
  }
  // Every node_modules between the working directory and the root, as the original resolves them;
  // one above the repository (a workspace's) goes at the copy's root.
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const modules = path.join(dir, 'node_modules');
    const inside = !path.relative(root, dir).startsWith('..');
    const linked = path.join(copy, inside ? path.relative(root, dir) : '', 'node_modules');
    if (existsSync(modules) && !existsSync(linked)) symlinkSync(modules, linked);
    if ((!inside && existsSync(linked)) || path.dirname(dir) === dir) break;
  }
  return {
    dir: path.join(copy, path.relative(root, cwd)),
    remove: () => rmSync(copy, { recursive: true, force: true }),
  };
}

function markdown(document: {
  entry: string;
  args: readonly string[];
  differences: readonly { what: string; era: string; detail: string }[];
  compared: readonly string[];
}): string {
  const lines = [
    '# mrtr-migrate verify',
    '',
    `Entry: \`${[document.entry, ...document.args].join(' ')}\`, before and after, on 2026-07-28 and 2025 clients.`,
    '',
    document.differences.length === 0
      ? `No difference in ${document.compared.length} comparisons.`
      : `${document.differences.length} differences in ${document.compared.length} comparisons:`,
    '',
    ...document.differences.map((d) => `- **${d.what}** (${d.era}): ${d.detail}`),
    '',
    '## Compared',
    '',
    ...document.compared.map((c) => `- ${c}`),
    '',
  ];
  return lines.join('\n');
}
