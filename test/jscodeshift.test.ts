/**
 * The jscodeshift face: run by the real jscodeshift CLI, in its default Babel mode and with
 * --no-babel, every fixture input comes out exactly as the fixture output says.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findFixtures } from './helpers/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pairs = findFixtures().filter((p) => p.transform === 'guard-first');

describe.each([['babel', []], ['no-babel', ['--no-babel']]] as const)('jscodeshift (%s)', (_mode, flags) => {
  it('gives the same output as mrtr-migrate on every fixture', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-jscodeshift-'));
    // Each input keeps its own extension; relative imports do not matter to a text transform.
    const copies = pairs.map((pair) => {
      const copy = path.join(dir, path.basename(pair.input).replace('.input.', '.'));
      copyFileSync(pair.input, copy);
      return { pair, copy };
    });
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/jscodeshift/bin/jscodeshift.js'), ...flags, '-t', path.join(root, 'transforms/jscodeshift/mrtr-migrate.cjs'), '--extensions=ts,mjs', '--parser=ts', '--fail-on-error', dir],
      { encoding: 'utf8' },
    );
    expect(result.stderr).not.toContain('ERR');
    expect(result.status).toBe(0);
    for (const { pair, copy } of copies) expect([pair.scenario, readFileSync(copy, 'utf8')]).toEqual([pair.scenario, readFileSync(pair.output, 'utf8')]);
  });
});
