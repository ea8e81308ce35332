/**
 * Every fixture pair: the output matches exactly (no trimming), the report of diagnostics and
 * handler outcomes matches, and a second run over the output changes nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { RuleId } from '../src/diagnostics/rules.js';
import { strategies, strategyOf, strategyReporting } from '../transforms/registry.js';
import type { Strategy } from '../transforms/types.js';
import { findFixtures, FIXTURES, readIfExists, reportOf, runFixture } from './helpers/fixtures.js';

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
  .filter((p) => p.transform === 'steps')
  .map((p) => ({ steps: p.input, multiRound: path.join(FIXTURES, 'multi-round', path.basename(p.input)) }))
  .filter(({ multiRound }) => readIfExists(multiRound) !== undefined);

it.each(twins.map((t) => [t.steps.split('/').at(-1)!, t] as const))(
  'steps/%s keeps the input and scenario of its multi-round twin',
  (_name, { steps, multiRound }) => {
    expect(readFileSync(steps, 'utf8')).toBe(readFileSync(multiRound, 'utf8'));
    const scenario = (input: string) => readFileSync(input.replace(/\.input\.\w+$/, '.scenario.ts'), 'utf8');
    expect(scenario(steps)).toBe(scenario(multiRound));
  },
);

it('has steps twins of the multi-round scenarios', () => {
  expect(twins.length).toBeGreaterThanOrEqual(5);
});

// A fixture sits in the folder of the strategy it shows: a handler it rewrites, or a helper or
// registration that strategy wraps. What no strategy takes sits in the handler pass's folder.
it.each(pairs.map((p) => [`${p.transform}/${p.scenario}`, p] as const))(
  '%s sits in the folder of the strategy it shows',
  (_name, pair) => {
    const report = JSON.parse(readFileSync(pair.report, 'utf8')) as {
      transforms: string[];
      handlers: { strategy: Strategy }[];
      diagnostics: { ruleId: string }[];
    };
    const strategy = strategyOf(pair.transform);
    if (strategy) {
      const rewritten = report.handlers.map((h) => strategyReporting(h.strategy)?.id);
      // A handler the strategy would have taken, left unchanged by one of its own rules (--max-risk), counts too.
      const heldBack =
        report.handlers.length > 0 &&
        report.handlers.every((h) => h.strategy === 'left-unchanged') &&
        report.diagnostics.some((d) => strategy.rules.includes(d.ruleId as RuleId));
      expect(
        [...rewritten, ...report.transforms, ...(heldBack ? [strategy.id] : [])],
        'a strategy folder holds what that strategy rewrote',
      ).toContain(pair.transform);
      return;
    }
    // The pass's own folder: code that must not change, or a finding no strategy raises.
    const strategyRules = new Set(strategies.flatMap((s) => s.rules));
    const unchanged = readFileSync(pair.input, 'utf8') === readFileSync(pair.output, 'utf8');
    expect(
      unchanged ||
        report.diagnostics.some((d) => !strategyRules.has(d.ruleId as RuleId) && d.ruleId !== 'mrtr/v2-upgrade-note'),
      'only what no one strategy owns',
    ).toBe(true);
  },
);
