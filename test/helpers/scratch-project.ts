/**
 * A scratch project on disk for rule tests whose fixes read the project: its package.json, the
 * runtime module (whole, unless left out), and the files the cases name (a fix migrates a file that
 * exists, with the case's code standing for its unsaved contents).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RUNTIME = 'mrtr-request-state.ts';
const MANIFEST = {
  name: 'scratch',
  type: 'module',
  dependencies: { '@modelcontextprotocol/server': '^2.4.0', zod: '^4.0.0' },
};

export function scratchProject(
  files: readonly string[],
  options: { readonly runtime?: boolean; readonly contents?: Readonly<Record<string, string>> } = {},
): { readonly dir: string; file(name: string): string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-eslint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(MANIFEST, null, 2)}\n`);
  mkdirSync(path.join(dir, 'src'));
  if (options.runtime !== false) copyFileSync(path.join(ROOT, 'src/runtime', RUNTIME), path.join(dir, 'src', RUNTIME));
  for (const name of files) writeFileSync(path.join(dir, 'src', name), options.contents?.[name] ?? '');
  return { dir, file: (name) => path.join(dir, 'src', name) };
}
