/**
 * Where the runtime module goes: one copy per package, inside what the package's tsconfig
 * compiles. Outside `rootDir` tsc refuses the program (TS6059); outside `include` an editor
 * checks the file with default settings, not the project's.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ts } from '../../src/ts-morph.js';

/** `<package>/src` when the file lives there, else the package root; then moved inside the tsconfig's reach. */
export function defaultRuntimeDir(serverFile: string): string {
  for (let dir = path.dirname(serverFile); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const src = path.join(dir, 'src');
      const preferred = serverFile.startsWith(src + path.sep) ? src : dir;
      return withinTsconfig(preferred, serverFile, dir);
    }
    if (path.dirname(dir) === dir) return path.dirname(serverFile);
  }
}

function withinTsconfig(preferred: string, serverFile: string, packageDir: string): string {
  const config = nearestTsconfig(serverFile, packageDir);
  if (!config) return preferred;
  const bases = compiledDirs(config);
  const covers = (dir: string) => bases.some((base) => isWithin(dir, base));
  if (covers(preferred)) return preferred;
  // The widest compiled directory that holds the server file keeps one copy for every file beside it.
  const holding = bases.filter((base) => isWithin(path.dirname(serverFile), base));
  return holding.sort((a, b) => a.length - b.length)[0] ?? path.dirname(serverFile);
}

function nearestTsconfig(serverFile: string, packageDir: string): string | undefined {
  for (let dir = path.dirname(serverFile); isWithin(dir, packageDir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (hasFile(candidate)) return candidate;
    if (dir === packageDir || path.dirname(dir) === dir) break;
  }
  return undefined;
}

// Every file of a run asks about the same few directories.
const seenFiles = new Map<string, boolean>();

function hasFile(file: string): boolean {
  let found = seenFiles.get(file);
  if (found === undefined) seenFiles.set(file, (found = existsSync(file)));
  return found;
}

const compiled = new Map<string, string[]>();

/** The directories a tsconfig compiles: its include patterns up to their first wildcard, inside rootDir. */
function compiledDirs(configFile: string): string[] {
  let dirs = compiled.get(configFile);
  if (!dirs) compiled.set(configFile, (dirs = readCompiledDirs(configFile)));
  return dirs;
}

// Only the settings are needed: a host that lists no files keeps tsc from walking the tree.
const SETTINGS_ONLY: Parameters<typeof ts.parseJsonConfigFileContent>[1] = { ...ts.sys, readDirectory: () => [] };

function readCompiledDirs(configFile: string): string[] {
  const read = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (read.error) return [];
  const base = path.dirname(configFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, SETTINGS_ONLY, base, undefined, configFile);
  const raw = parsed.raw as { include?: unknown; files?: unknown } | undefined;
  const patterns = Array.isArray(raw?.include)
    ? raw.include.filter((p): p is string => typeof p === 'string')
    : Array.isArray(raw?.files)
      ? []
      : ['**/*'];
  const dirs = patterns.map((pattern) => literalDir(path.resolve(base, pattern)));
  const rootDir = parsed.options.rootDir;
  if (rootDir === undefined) return dirs;
  const root = path.resolve(base, rootDir);
  const inside = dirs.filter((dir) => isWithin(dir, root));
  return inside.length > 0 ? inside : [root];
}

function literalDir(pattern: string): string {
  const segments = pattern.split(path.sep);
  const wild = segments.findIndex((segment) => /[*?]/.test(segment));
  if (wild !== -1) return segments.slice(0, wild).join(path.sep) || path.sep;
  // A pattern without wildcards names a directory, or a file (then its directory compiles).
  return path.extname(pattern) === '' ? pattern : path.dirname(pattern);
}

function isWithin(dir: string, base: string): boolean {
  const relative = path.relative(base, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const loose = new Map<string, boolean>();

/**
 * The project checks without `strictNullChecks` (no `strict`): there an inline handler's added
 * context parameter is not typed by the registration (it comes out `unknown`), so it is annotated.
 */
export function checksLoosely(file: string): boolean {
  const config = nearestTsconfig(file, path.parse(file).root);
  if (!config) return false;
  let answer = loose.get(config);
  if (answer === undefined) {
    const read = ts.readConfigFile(config, (name) => ts.sys.readFile(name));
    const parsed = read.error
      ? undefined
      : ts.parseJsonConfigFileContent(read.config, SETTINGS_ONLY, path.dirname(config), undefined, config);
    const options = parsed?.options ?? {};
    answer = parsed !== undefined && options.strict !== true && options.strictNullChecks !== true;
    loose.set(config, answer);
  }
  return answer;
}
