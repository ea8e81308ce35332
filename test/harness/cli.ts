/**
 * `npm run equivalence [-- [--drop-continuations] [--instances 2] <dir>...]`: one line per case
 * and a summary line, over the given directories or, by default, every fixture folder; exit 1 if
 * any case is not equivalent. `--drop-continuations` forgets held calls between rounds (the replay
 * fallback); `--instances 2` serves 2026-07-28 from two processes, the asking calls alternating.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/fixtures.js';
import { caseLine, checkDirectory, summaryLine, type CaseReport, type FlagTally } from './check.js';

const args = process.argv.slice(2);
const instancesAt = args.indexOf('--instances');
const instances = instancesAt === -1 ? 1 : Number(args.splice(instancesAt, 2)[1]);
if (instances !== 1 && instances !== 2) {
  process.stderr.write('--instances takes 1 or 2\n');
  process.exit(2);
}
const flags = new Set(args.filter((a) => a.startsWith('--')));
const given = args.filter((a) => !a.startsWith('--'));
const continuations = flags.has('--drop-continuations') ? 'dropped' : 'kept';
const dirs =
  given.length > 0
    ? given.map((dir) => path.resolve(dir))
    : readdirSync(FIXTURES)
        .filter((d) => !d.startsWith('_') && statSync(path.join(FIXTURES, d)).isDirectory())
        .map((d) => path.join(FIXTURES, d));
const reports: CaseReport[] = [];
const tally: FlagTally = { flagged: 0, reran: 0, quiet: [] };
for (const dir of dirs) {
  const found = await checkDirectory(dir, { tally, continuations, instances });
  for (const report of found) process.stdout.write(`${path.basename(dir)}/${caseLine(report)}\n`);
  if (dirs.length > 1 && found.length > 0) process.stdout.write(`# ${path.basename(dir)}: ${summaryLine(found)}\n`);
  reports.push(...found);
}
for (const flag of tally.quiet) process.stdout.write(`# harmless to repeat here: ${flag}\n`);
process.stdout.write(
  `# before-guard effect flags: ${tally.flagged}; ${tally.reran} re-ran an effect, ` +
    `${tally.quiet.length} were harmless to repeat in their scenarios\n`,
);
process.stdout.write(`${summaryLine(reports)}\n`);
const failed = reports.some((r) => r.verdict.kind === 'different' || r.verdict.kind === 'timeout');
process.exit(reports.length === 0 ? 2 : failed ? 1 : 0);
