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
