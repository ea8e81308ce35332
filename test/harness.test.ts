/**
 * The behaviour harness itself: it must call real migrations equivalent, and it must catch each
 * kind of wrong migration. A harness that cannot fail proves nothing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkScenario, flaggedEffects, summaryLine, type CaseReport } from './harness/check.js';

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
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different']);
    expect(reasons(reports).some((r) => r.startsWith('questions differ'))).toBe(true);
  });

  it('a cleanup branch that was dropped', async () => {
    const reports = await checkScenario(files('cleanup-dropped'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different']);
    expect(reasons(reports)).toContain('effect mail.cancel ran 0 times, before 1');
  });

  it('a value lost between rounds', async () => {
    const reports = await checkScenario(files('carried-value-lost'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different']);
    expect(reasons(reports).some((r) => r.includes('Hello, undefined'))).toBe(true);
  });

  it('an effect that re-runs without a flag', async () => {
    const reports = await checkScenario(files('effect-rerun', 'effect-rerun-unflagged'));
    expect(reports.map((r) => r.verdict.kind)).toEqual(['different', 'different']);
    expect(reasons(reports)).toContain('effects re-ran without a flag: reservation.create');
    expect(summaryLine(reports)).toBe('0/1 cases equivalent on 2026-07-28, 0/1 on 2025, 2 unflagged re-runs');
  });

  it('accepts the same re-run once the codemod flagged it', async () => {
    const reports = await checkScenario(files('effect-rerun', 'effect-rerun-flagged'));
    expect(reports.map((r) => r.verdict)).toEqual([
      { kind: 'equivalent-with-flagged-reruns', reran: ['reservation.create'] },
      { kind: 'equivalent-with-flagged-reruns', reran: ['reservation.create'] },
    ]);
  });

  it('cuts a case that hangs instead of stalling', async () => {
    const reports = await checkScenario(files('hangs'), { timeoutMs: 500 });
    expect(reports.map((r) => r.verdict)).toEqual([
      { kind: 'timeout', era: '2026-07-28' },
      { kind: 'timeout', era: '2025' },
    ]);
  });
});

describe('flaggedEffects', () => {
  it('reads effects under a before-guard marker only', () => {
    const text = [
      "/* @mrtr-migrate mrtr/effect-before-guard: runs again */",
      "effects.record('a', x);",
      "effects.record('b', x);",
      "/* @mrtr-migrate mrtr/ask-in-loop: … */",
      "effects.record('c', x);",
    ].join('\n');
    expect([...flaggedEffects(text)]).toEqual(['a']);
  });
});
