/**
 * Every fixture with a scenario declaration runs before and after migration on both eras;
 * a case that is not equivalent (or re-runs an effect without a flag) fails the suite. A
 * resumable call waits in the process between rounds, so nothing of it runs twice; with the
 * held calls dropped between rounds (the replay fallback), and with two instances serving the
 * rounds in turn, every re-run must carry a flag. What `once` carries above a guard runs in the
 * first round only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseLine, checkScenario, findScenarios, usesHeldCalls, type CaseReport } from './harness/check.js';
import { FIXTURES } from './helpers/fixtures.js';

const scenarios = readdirSync(FIXTURES)
  .filter((d) => !d.startsWith('_') && statSync(path.join(FIXTURES, d)).isDirectory())
  .flatMap((d) => findScenarios(path.join(FIXTURES, d)).map((s) => ({ ...s, name: `${d}/${s.name}` })));

const failures = (reports: readonly CaseReport[]) =>
  reports.filter((r) => r.verdict.kind === 'different' || r.verdict.kind === 'timeout').map(caseLine);

const carriesEverything = (output: string) => {
  const text = readFileSync(output, 'utf8');
  return text.includes('mrtr/carried-once') && !/mrtr\/[\w-]*before-guard/.test(text);
};

/** Native output that flags nothing before a guard: whatever it carries, nothing may run twice. */
const flagsNothing = (output: string) => !/mrtr\/[\w-]*before-guard/.test(readFileSync(output, 'utf8'));

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (name, files) => {
  it('behaves the same before and after on 2026-07-28 and on 2025', async () => {
    const reports = await checkScenario(files);
    expect(failures(reports)).toEqual([]);
    expect(reports.length).toBeGreaterThan(0);
    // Resumable handlers wait between rounds, and handlers whose every before-guard statement
    // `once` carries run it in the first round only: not even a flagged effect runs again.
    if (name.startsWith('resumable/') || carriesEverything(files.after)) {
      expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    }
  });

  // Two processes behind one URL, the retries alternating: what a load balancer without affinity does.
  it('behaves the same when two instances serve the rounds in turn', async () => {
    const reports = await checkScenario(files, { instances: 2 });
    expect(failures(reports)).toEqual([]);
    expect(reports.some((r) => r.era === '2026-07-28 two instances')).toBe(true);
    // Native code keeps nothing between rounds but the signed state: with nothing flagged, nothing re-runs.
    if (!usesHeldCalls(files.after) && flagsNothing(files.after)) {
      expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    }
  }, 120_000);

  it.runIf(usesHeldCalls(files.after))('flags every re-run when held calls are lost between rounds', async () => {
    const reports = await checkScenario(files, { continuations: 'dropped' });
    expect(failures(reports)).toEqual([]);
    expect(reports.length).toBeGreaterThan(0);
  });
});
