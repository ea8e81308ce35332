/**
 * The behaviour harness itself: it must call real migrations equivalent, and it must catch each
 * kind of wrong migration. A harness that cannot fail proves nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { attributionFor } from './harness/attribution.js';
import { caseLine, checkScenario, summaryLine, type CaseReport, type FlagTally } from './harness/check.js';

const wrong = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness', 'wrong');
const files = (name: string, after = name) => ({
  name,
  before: path.join(wrong, `${name}.input.ts`),
  after: path.join(wrong, `${after}.output.ts`),
  scenario: path.join(wrong, `${name}.scenario.ts`),
});

function reasons(reports: CaseReport[]): string[] {
  return reports.flatMap((r) => (r.verdict.kind === 'different' ? r.verdict.reasons : []));
}

describe('behaviour harness catches wrong migrations', () => {
  it('a decline that turns into asking again', async () => {
    const reports = await checkScenario(files('decline-asks-again'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different', 'different']);
    expect(reasons(reports).some((r) => r.startsWith('questions differ'))).toBe(true);
  });

  it('a cleanup branch that was dropped', async () => {
    const reports = await checkScenario(files('cleanup-dropped'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different', 'different']);
    expect(reasons(reports)).toContain('effect mail.cancel ran 0 times, before 1');
  });

  it('a value lost between rounds', async () => {
    const reports = await checkScenario(files('carried-value-lost'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different', 'different']);
    expect(reasons(reports).some((r) => r.includes('Hello, undefined'))).toBe(true);
  });

  it('an effect that re-runs without a flag', async () => {
    const reports = await checkScenario(files('effect-rerun', 'effect-rerun-unflagged'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different', 'different']);
    expect(reasons(reports)).toContain('effects re-ran without a flag: reservation.create');
    expect(summaryLine(reports)).toBe(
      '0/2 cases equivalent on 2026-07-28, 0/1 on 2025, 3 unflagged re-runs, 0 with flagged re-runs',
    );
  });

  it('accepts the same re-run once the codemod flagged it', async () => {
    const reports = await checkScenario(files('effect-rerun', 'effect-rerun-flagged'));
    expect(reports.map((r) => r.verdict)).toEqual([
      { kind: 'equivalent-with-flagged-reruns', reran: ['reservation.create'] },
      { kind: 'equivalent-with-flagged-reruns', reran: ['reservation.create'] },
      { kind: 'equivalent-with-flagged-reruns', reran: ['reservation.create'] },
    ]);
  });

  it('a flag on an effect that never re-runs (noise)', async () => {
    const reports = await checkScenario(files('effect-rerun', 'noisy-flag'));
    expect(reports.at(-1)).toEqual({
      scenario: 'effect-rerun',
      caseName: '(flags)',
      era: '2026-07-28',
      verdict: { kind: 'different', reasons: ['flagged statements at lines 21-21 never re-ran an effect'] },
    });
  });

  it('cuts a case that hangs instead of stalling', async () => {
    const reports = await checkScenario(files('hangs'), { timeoutMs: 500 });
    expect(reports.map((r) => r.verdict)).toEqual([
      { kind: 'timeout', era: '2026-07-28' },
      { kind: 'timeout', era: '2026-07-28 stdio' },
      { kind: 'timeout', era: '2025' },
    ]);
  });
});

describe('attribution', () => {
  it('ties a recorded effect to the flagged statement that caused it, through its stack', () => {
    const file = path.join(wrong, 'effect-rerun-flagged.output.ts');
    const attribution = attributionFor(file);
    expect(attribution.flaggedStatements).toEqual([[9, 9]]);
    const record = (line: number) => ({
      name: 'x',
      detail: '',
      stack: `Error\n    at record (/x/effects.ts:3:5)\n    at fn (${file}:${line}:7)`,
    });
    expect(attribution.isFlagged(record(9))).toBe(true);
    expect(attribution.isFlagged(record(10))).toBe(false);
    expect(attribution.isFlagged({ name: 'x', detail: '', stack: 'Error\n    at other (/elsewhere.ts:9:1)' })).toBe(
      false,
    );
  });
});

describe('the precision of before-guard flags', () => {
  it('counts the flags whose statements re-ran an effect, and lists those that were harmless to repeat', async () => {
    const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'guard-first');
    const name = 'effects-precision-v1';
    const tally: FlagTally = { flagged: 0, reran: 0, quiet: [] };
    await checkScenario(
      {
        name,
        before: path.join(fixtures, `${name}.input.ts`),
        after: path.join(fixtures, `${name}.output.ts`),
        scenario: path.join(fixtures, `${name}.scenario.ts`),
      },
      { tally },
    );
    // The two real effects and the idempotent memo are carried by once, so they no longer repeat;
    // the unseen pure call and the fresh counter cannot be carried, stay flagged, and are harmless.
    expect(tally).toEqual({
      flagged: 2,
      reran: 0,
      quiet: [`${name}:22 mrtr/unknown-call-before-guard`, `${name}:25 mrtr/outer-mutation-before-guard`],
    });
    const output = readFileSync(path.join(fixtures, `${name}.output.ts`), 'utf8');
    expect(output.match(/mrtr\/carried-once/g)).toHaveLength(3);
  });
});

/** A fixture's input, output and scenario, from its strategy's folder. */
function fixtureFiles(folder: string, name: string) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', folder);
  return {
    name,
    before: path.join(dir, `${name}.input.ts`),
    after: path.join(dir, `${name}.output.ts`),
    scenario: path.join(dir, `${name}.scenario.ts`),
  };
}

describe('held calls in the harness', () => {
  const fixture = (name: string) => fixtureFiles('resumable', name);

  it('kept, nothing runs twice; dropped between rounds, the replay repeats the hold, under its flag', async () => {
    const kept = await checkScenario(fixture('reservation-v1'));
    expect(new Set(kept.map((r) => r.verdict.kind))).toEqual(new Set(['equivalent']));
    const dropped = await checkScenario(fixture('reservation-v1'), { continuations: 'dropped' });
    expect(dropped.map((r) => r.verdict)).toContainEqual({
      kind: 'equivalent-with-flagged-reruns',
      reran: ['hold.place'],
    });
    expect(dropped.every((r) => r.verdict.kind === 'equivalent-with-flagged-reruns')).toBe(true);
  });

  it('dropped between rounds, a random id changes under the replay, and only its flag accounts for it', async () => {
    const dropped = await checkScenario(fixture('random-order-id-v1'), { continuations: 'dropped' });
    expect(new Set(dropped.map((r) => r.verdict.kind))).toEqual(new Set(['equivalent-with-flagged-reruns']));
    // Without the flag's marker, the changed order id is a difference.
    const dir = mkdtempSync(path.join(wrong, 'unflagged-'));
    try {
      const original = fixture('random-order-id-v1');
      const resumable = path.dirname(original.after);
      const text = readFileSync(original.after, 'utf8')
        .replace(/^\s*\/\* @mrtr-migrate mrtr\/nondeterministic-on-replay[^\n]*\n/m, '')
        .replace("'../_support/clients.js'", `'${path.join(resumable, '../_support/clients.js')}'`)
        .replace("'./mrtr-request-state.js'", `'${path.join(resumable, 'mrtr-request-state.js')}'`);
      expect(text).not.toContain('@mrtr-migrate');
      writeFileSync(path.join(dir, 'random-order-id-v1.output.ts'), text);
      const bare = await checkScenario(
        { ...original, after: path.join(dir, 'random-order-id-v1.output.ts') },
        { continuations: 'dropped' },
      );
      expect(reasons(bare).some((r) => r.startsWith('result differs'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two instances', () => {
  const fixture = fixtureFiles;

  it('the retry reaches the other process: a held call is not there, and the hold is placed again', async () => {
    const reports = await checkScenario(fixture('resumable', 'reservation-v1'), { instances: 2 });
    const twice = reports.filter((r) => r.era === '2026-07-28 two instances');
    expect(twice.length).toBeGreaterThan(0);
    for (const report of twice)
      expect(report.verdict).toEqual({ kind: 'equivalent-with-flagged-reruns', reran: ['hold.place'] });
    // The 2025 session stays on one connection, where the held call waits.
    expect(reports.filter((r) => r.era === '2025').map((r) => r.verdict.kind)).not.toContain('different');
  }, 60_000);

  it('a native handler carrying its effect and random id with once runs and draws once across both', async () => {
    const reports = await checkScenario(fixture('guard-first', 'carried-order-id-v1'), { instances: 2 });
    expect(reports.filter((r) => r.era === '2026-07-28 two instances').length).toBeGreaterThan(0);
    expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
  }, 60_000);
});
