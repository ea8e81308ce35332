/** The bench's floors must do exactly the work they claim, or the ratios mean nothing. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { INPUT_POINT_TEXT } from '../src/analysis/input-point-text.js';
// @ts-expect-error plain JavaScript module without types, kept loader-free for a fair floor
import { FLOOR_TEXT_TEST } from '../bench/floor.mjs';
import { generateTree } from '../bench/generate.js';

const root = path.resolve(import.meta.dirname, '..');

it('uses the same text test as the pre-filter', () => {
  expect((FLOOR_TEXT_TEST as RegExp).source).toBe(INPUT_POINT_TEXT.source);
});

it('the engine floor runs the official transforms on every file the floor parses', () => {
  const tree = mkdtempSync(path.join(tmpdir(), 'mrtr-engine-floor-'));
  try {
    generateTree(tree, { files: 40, handlers: 4 });
    const run = (script: string) =>
      spawnSync(process.execPath, [path.join(root, 'bench', script), '.'], { cwd: tree, encoding: 'utf8' });
    const floor = run('floor.mjs');
    const engine = run('engine-floor.mjs');
    expect(floor.status, floor.stderr).toBe(0);
    expect(engine.status, engine.stderr).toBe(0);
    const parsed = /(\d+) files, (\d+) parsed/.exec(floor.stdout);
    const transformed = /(\d+) files, (\d+) transformed, (\d+) changed/.exec(engine.stdout);
    expect(parsed).not.toBeNull();
    expect(transformed?.slice(1, 3)).toEqual(parsed?.slice(1, 3));
    // Every asking file of the generated tree is v1 code the official codemod upgrades.
    expect(Number(transformed?.[3])).toBe(Number(parsed?.[2]));
    expect(Number(parsed?.[2])).toBeGreaterThan(0);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});
