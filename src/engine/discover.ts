/**
 * Which files a run covers: source files under the given paths, minus default ignores, every
 * applicable `.gitignore` (nested files and negations, from the repository root down) and the
 * user's `--ignore` globs. Symlinks are never followed. Each exclusion is counted by its rule so
 * an empty run can say why it is empty.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
const DEFAULT_IGNORED_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

export type SkipReason = 'default ignores' | '.gitignore' | '--ignore' | 'declaration file' | 'symlink';

export interface Discovery {
  /** Repository root (the directory holding `.git`), else the working directory. */
  readonly root: string;
  readonly files: string[];
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Paths given that do not exist. */
  readonly missing: string[];
}

export function findRepositoryRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function discoverFiles(paths: readonly string[], cwd: string, ignoreGlobs: readonly string[]): Discovery {
  const targets = (paths.length > 0 ? paths : ['.']).map((p) => path.resolve(cwd, p));
  const root = findRepositoryRoot(targets[0] ?? cwd) ?? fallbackRoot(targets[0] ?? cwd, cwd);
  const skipped: Record<SkipReason, number> = {
    'default ignores': 0,
    '.gitignore': 0,
    '--ignore': 0,
    'declaration file': 0,
    symlink: 0,
  };
  const userIgnore = ignore().add([...ignoreGlobs]);
  const files = new Set<string>();
  const missing: string[] = [];
  const gitignores = new GitignoreStack(root);

  const consider = (file: string): void => {
    if (!SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext))) return;
    if (DECLARATION_FILE.test(file)) return void skipped['declaration file']++;
    if (gitignores.ignores(file, false)) return void skipped['.gitignore']++;
    if (ignoreGlobs.length > 0 && matchesUser(userIgnore, file, cwd)) return void skipped['--ignore']++;
    files.add(file);
  };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        skipped.symlink++;
        continue;
      }
      if (entry.isDirectory()) {
        if (DEFAULT_IGNORED_DIRS.has(entry.name)) skipped['default ignores'] += countSources(full);
        else if (gitignores.ignores(full, true)) skipped['.gitignore'] += countSources(full);
        else if (ignoreGlobs.length > 0 && matchesUser(userIgnore, full + '/', cwd))
          skipped['--ignore'] += countSources(full);
        else walk(full);
      } else if (entry.isFile()) {
        consider(full);
      }
    }
  };

  for (const target of targets) {
    if (!existsSync(target)) {
      missing.push(path.relative(cwd, target) || target);
      continue;
    }
    const stat = lstatSync(target);
    if (stat.isSymbolicLink()) skipped.symlink++;
    else if (stat.isDirectory()) walk(target);
    else consider(target);
  }
  return { root, files: [...files], skipped, missing };
}

/** Outside git: the working directory when the target is inside it, else the target itself. */
function fallbackRoot(target: string, cwd: string): string {
  const relative = path.relative(cwd, target);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return cwd;
  return existsSync(target) && lstatSync(target).isDirectory() ? target : path.dirname(target);
}

function matchesUser(rules: Ignore, file: string, cwd: string): boolean {
  const relative = path.relative(cwd, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return rules.ignores(relative.split(path.sep).join('/'));
}

/** Counts source files under an excluded directory, cheaply, for the "why is nothing matched" message. */
function countSources(dir: string): number {
  let count = 0;
  const stack = [dir];
  while (stack.length > 0 && count < 100_000) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) stack.push(path.join(current, entry.name));
      else if (entry.isFile() && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) count++;
    }
  }
  return count;
}

/** `.gitignore` files apply to their own directory and below, deeper files overriding shallower. */
class GitignoreStack {
  private readonly rules = new Map<string, Ignore | null>();
  /** Per directory: the `.gitignore` files that apply to its entries, shallowest first. */
  private readonly applicable = new Map<string, readonly { dir: string; rules: Ignore }[]>();

  constructor(private readonly root: string) {}

  ignores(file: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const { dir, rules } of this.applicableTo(path.dirname(file))) {
      const relative = path.relative(dir, file).split(path.sep).join('/') + (isDirectory ? '/' : '');
      const verdict = rules.test(relative);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }

  private applicableTo(dir: string): readonly { dir: string; rules: Ignore }[] {
    const cached = this.applicable.get(dir);
    if (cached) return cached;
    const parent = path.dirname(dir);
    const inherited =
      dir === this.root || parent === dir || !dir.startsWith(this.root) ? [] : this.applicableTo(parent);
    const own = this.rulesFor(dir);
    const result = own ? [...inherited, { dir, rules: own }] : inherited;
    this.applicable.set(dir, result);
    return result;
  }

  private rulesFor(dir: string): Ignore | null {
    if (!this.rules.has(dir)) {
      const file = path.join(dir, '.gitignore');
      this.rules.set(dir, existsSync(file) ? ignore().add(readFileSync(file, 'utf8')) : null);
    }
    return this.rules.get(dir) ?? null;
  }
}
