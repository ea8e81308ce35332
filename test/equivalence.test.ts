/**
 * Every fixture with a scenario declaration runs before and after migration on both eras;
 * a case that is not equivalent (or re-runs an effect without a flag) fails the suite.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseLine, checkScenario, findScenarios } from './harness/check.js';
import { FIXTURES } from './helpers/fixtures.js';

const scenarios = readdirSync(FIXTURES)
  .filter((d) => !d.startsWith('_') && statSync(path.join(FIXTURES, d)).isDirectory())
  .flatMap((d) => findScenarios(path.join(FIXTURES, d)).map((s) => ({ ...s, name: `${d}/${s.name}` })));

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, files) => {
  it('behaves the same before and after on 2026-07-28 and on 2025', async () => {
    const reports = await checkScenario(files);
    const failures = reports
      .filter((r) => r.verdict.kind === 'different' || r.verdict.kind === 'timeout')
      .map(caseLine);
    expect(failures).toEqual([]);
    expect(reports.length).toBeGreaterThan(0);
  });
});
