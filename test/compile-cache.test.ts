/**
 * The code cache the CLI keeps for TypeScript's compiler bundle on Node versions without a
 * built-in one: written on the first run, accepted on the next, and the module still works.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function loadTypeScript(cacheDir: string) {
  const script = `
    const { enableCompileCache } = await import(${JSON.stringify(path.join(root, 'src/cli/compile-cache.ts'))});
    enableCompileCache(${JSON.stringify(cacheDir)});
    const { createRequire } = await import('node:module');
    const ts = createRequire(${JSON.stringify(path.join(root, 'package.json'))})('@ts-morph/common').ts;
    const file = ts.createSourceFile('a.ts', 'const a: number = 1;', ts.ScriptTarget.Latest, true);
    console.log(file.statements.length, typeof ts.version);
  `;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
}

it('caches the compiled TypeScript bundle and reuses it', () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'mrtr-cache-'));
  const first = loadTypeScript(cacheDir);
  expect(first.stderr).toBe('');
  expect(first.stdout.trim()).toBe('1 string');
  const written = readdirSync(cacheDir);
  // Node 22 keeps its own layout; older Node gets one file per large bundle.
  expect(written.length).toBeGreaterThan(0);
  const stamps = written.map((f) => statSync(path.join(cacheDir, f)).mtimeMs);

  const second = loadTypeScript(cacheDir);
  expect(second.stdout.trim()).toBe('1 string');
  // Accepted, so not written again.
  expect(readdirSync(cacheDir)).toEqual(written);
  expect(written.map((f) => statSync(path.join(cacheDir, f)).mtimeMs)).toEqual(stamps);
});
