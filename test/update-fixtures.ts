/**
 * Regenerates fixture outputs and reports from the current code: `npm run fixtures:update`.
 * Review every changed output with `git diff fixtures/` before committing it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findFixtures, FIXTURES, reportOf, runFixture } from './helpers/fixtures.js';

const filter = process.argv[2];
for (const pair of findFixtures()) {
  if (filter && !pair.input.includes(filter)) continue;
  const result = await runFixture(pair);
  writeFileSync(pair.output, result.output);
  writeFileSync(pair.report, `${JSON.stringify(reportOf(result), null, 2)}\n`);
  // The runtime module the outputs import sits beside them, as it would in a project.
  for (const file of result.newFiles) writeFileSync(file.path, file.text);
  process.stdout.write(`${path.relative(FIXTURES, pair.input)}: ${result.status}\n`);
}
