/**
 * The jscodeshift face: run by the real jscodeshift CLI, in its default Babel mode and with
 * --no-babel, every fixture input comes out exactly as the fixture output says.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findFixtures, FIXTURES } from './helpers/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pairs = findFixtures().filter((p) => p.transform === 'guard-first');

/** Fixture options as jscodeshift CLI flags, which it hands to the transform. */
function flagsFor(options: (typeof pairs)[number]['options']): string[] {
  return [...(options.fixEffects ? ['--fixEffects'] : []), ...(options.maxRisk !== 'review' ? [`--maxRisk=${options.maxRisk}`] : []), ...(options.style !== 'guard' ? [`--style=${options.style}`] : [])];
}

const groups = [...new Map(pairs.map((p) => [flagsFor(p.options).join(' '), pairs.filter((q) => flagsFor(q.options).join(' ') === flagsFor(p.options).join(' '))])).values()];

describe.each([['babel', []], ['no-babel', ['--no-babel']]] as const)('jscodeshift (%s)', (_mode, modeFlags) => {
  it.each(groups.map((g) => [flagsFor(g[0].options).join(' ') || 'default options', g] as const))('gives the same output as mrtr-migrate on every fixture (%s)', (_label, group) => {
    const flags = [...modeFlags, ...flagsFor(group[0].options)];
    // The copies keep the fixture tree's layout: what a call does is read through its imports.
    const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-jscodeshift-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(path.join(FIXTURES, '_support'), path.join(dir, '_support'), { recursive: true });
    mkdirSync(path.join(dir, 'guard-first'));
    const copies = group.map((pair) => {
      const copy = path.join(dir, 'guard-first', path.basename(pair.input).replace('.input.', '.'));
      copyFileSync(pair.input, copy);
      return { pair, copy };
    });
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/jscodeshift/bin/jscodeshift.js'), ...flags, '-t', path.join(root, 'transforms/jscodeshift/mrtr-migrate.cjs'), '--extensions=ts,mjs', '--parser=ts', '--fail-on-error', ...copies.map((c) => c.copy)],
      { encoding: 'utf8' },
    );
    expect(result.stderr).not.toContain('ERR');
    expect(result.status).toBe(0);
    for (const { pair, copy } of copies) expect([pair.scenario, readFileSync(copy, 'utf8')]).toEqual([pair.scenario, readFileSync(pair.output, 'utf8')]);
  });
});
