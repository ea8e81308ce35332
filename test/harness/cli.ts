/** `npm run equivalence -- <dir>`: one line per case and a summary line; exit 1 if any case is not equivalent. */
import path from 'node:path';
import { caseLine, checkDirectory, summaryLine } from './check.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npm run equivalence -- <dir with <name>.input.ts, <name>.output.ts and <name>.scenario.ts>\n');
  process.exit(2);
}
const reports = await checkDirectory(path.resolve(dir));
for (const report of reports) process.stdout.write(`${caseLine(report)}\n`);
process.stdout.write(`${summaryLine(reports)}\n`);
const failed = reports.some((r) => r.verdict.kind === 'different' || r.verdict.kind === 'timeout');
process.exit(reports.length === 0 ? 2 : failed ? 1 : 0);
