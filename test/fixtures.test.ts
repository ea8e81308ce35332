/**
 * Every fixture pair: the output matches exactly (no trimming), the report of diagnostics and
 * handler outcomes matches, and a second run over the output changes nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findFixtures, readIfExists, reportOf, runFixture } from './helpers/fixtures.js';

const pairs = findFixtures();

describe.each(pairs.map((p) => [`${p.transform}/${p.scenario}`, p] as const))('%s', (_name, pair) => {
  it('produces the expected output and report', async () => {
    const result = await runFixture(pair);
    expect(result.output).toBe(readFileSync(pair.output, 'utf8'));
    expect(reportOf(result)).toEqual(JSON.parse(readIfExists(pair.report) ?? 'null'));
    // The output imports the runtime from beside it and the harness runs that copy: it must be
    // what the codemod writes today, or behaviour would be proven against a stale runtime.
    for (const file of result.newFiles) expect(readIfExists(file.path), file.path).toBe(file.text);
  });

  it('is idempotent: a second run changes nothing and adds no markers', async () => {
    const output = readFileSync(pair.output, 'utf8');
    const again = await runFixture(pair, output);
    expect(again.output).toBe(output);
    expect(again.status).not.toBe('error');
  });
});

it('has fixtures', () => {
  expect(pairs.length).toBeGreaterThan(0);
});

// The steps fixtures that rerun a multi-round scenario under --style steps keep its input and
// scenario byte for byte, so "passes in both styles" keeps meaning the same handlers.
const twins = findFixtures()
  .filter((p) => p.scenario.startsWith('steps-'))
  .map((p) => ({ steps: p.input, multiRound: p.input.replace('/steps-', '/multi-round-') }))
  .filter(({ multiRound }) => readIfExists(multiRound) !== undefined);

it.each(twins.map((t) => [t.steps.split('/').at(-1)!, t] as const))('%s keeps the input and scenario of its multi-round twin', (_name, { steps, multiRound }) => {
  expect(readFileSync(steps, 'utf8')).toBe(readFileSync(multiRound, 'utf8'));
  const scenario = (input: string) => readFileSync(input.replace(/\.input\.\w+$/, '.scenario.ts'), 'utf8');
  expect(scenario(steps)).toBe(scenario(multiRound));
});

it('has steps twins of the multi-round scenarios', () => {
  expect(twins.length).toBeGreaterThanOrEqual(5);
});

