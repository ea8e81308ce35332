// The floor: the least any tool can do on a tree: list the source files, read them, keep those
// whose text mentions an input point, and parse only those with the TypeScript compiler.
// Plain JavaScript so that no loader start-up is counted against it.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Must equal INPUT_POINT_TEXT in src/analysis/input-point-text.ts (a test checks it).
const WORDS = [
  'elicitInput',
  'createMessage',
  'listRoots',
  'requestSampling',
  'sendRequest',
  'mcpReq.send',
  'server.request',
  'elicitation/create',
  'sampling/createMessage',
  'roots/list',
];
export const FLOOR_TEXT_TEST = new RegExp(WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));
const SKIP = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) walk(path.join(dir, entry.name), out);
    } else if (entry.isFile() && /\.[cm]?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path.join(dir, entry.name));
    }
  }
}

/** The source files under `dir` whose text mentions an input point, with that text. */
export function matchingFiles(dir) {
  const files = [];
  walk(dir, files);
  const matching = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (FLOOR_TEXT_TEST.test(text)) matching.push({ file, text });
  }
  return { count: files.length, matching };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { count, matching } = matchingFiles(process.argv[2] ?? '.');
  const ts = createRequire(import.meta.url)('typescript');
  for (const { file, text } of matching) ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  process.stdout.write(`${count} files, ${matching.length} parsed\n`);
}
