/**
 * The engine's CommonJS dependencies are loaded with require (src/ts-morph.ts, and the official
 * codemod's CommonJS build): imported as ES modules, Node lexes and compiles them without the code
 * cache, about 130 ms of every run. A value import that slips past the shim brings that back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const VALUE_IMPORT = /^import\s+(?!type\b)[^;]*?from\s+'(ts-morph|@modelcontextprotocol\/codemod)'/gm;

describe('engine loading', () => {
  it('imports ts-morph and the official codemod as values only through require', () => {
    const offenders = [...sources('src'), ...sources('transforms')].flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(VALUE_IMPORT)].map(
        (m) => `${file}: ${m[0].split('\n')[0]}`,
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('the shim hands out the same ts-morph the official codemod uses', async () => {
    const { Node } = await import('../src/ts-morph.js');
    const { createRequire } = await import('node:module');
    const require = createRequire(path.join(root, 'node_modules/@modelcontextprotocol/codemod/dist/index.cjs'));
    expect(Node).toBe(require('ts-morph').Node);
  });
});
