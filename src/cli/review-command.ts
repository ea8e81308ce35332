/** `mrtr-migrate review`: what is left to migrate, as a CI gate that exits 1 while anything is. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPORT_SCHEMA_VERSION } from '../report/json.js';
import { markdownReview } from '../report/markdown.js';
import { sarifReport } from '../report/sarif.js';
import { VERSION } from '../version.js';
import { EXIT, lineOf, REPORT_FORMAT, type Streams } from './streams.js';

export interface ReviewOptions {
  report?: string;
  json?: boolean;
  ignore?: string[];
  quiet?: boolean;
}

export async function runReview(paths: string[], options: ReviewOptions, streams: Streams): Promise<number> {
  if (options.report && !REPORT_FORMAT.test(options.report)) {
    streams.stderr.write(`mrtr-migrate: --report needs a .md, .json or .sarif file name, got ${options.report}\n`);
    return EXIT.usage;
  }
  // Loaded here: review parses files, which the migrate path leaves to its workers.
  const { review } = await import('../engine/review.js');
  const result = review({ paths, cwd: streams.cwd, ignore: options.ignore });
  if (result.discovery.missing.length > 0) {
    streams.stderr.write(`mrtr-migrate: no such file or directory: ${result.discovery.missing.join(', ')}\n`);
    return EXIT.usage;
  }
  if (result.discovery.files.length === 0) {
    streams.stderr.write(`mrtr-migrate: no source files matched ${paths.join(' ')}\n`);
    return EXIT.usage;
  }
  const human = options.json ? streams.stderr : streams.stdout;
  if (!options.quiet)
    for (const d of result.findings) human.write(`${d.file}:${d.line}:${d.column}  ${d.ruleId}  ${d.message}\n`);
  const files = new Set(result.findings.map((d) => d.file)).size;
  human.write(
    result.findings.length === 0
      ? `mrtr-migrate review: ${result.discovery.files.length} files reviewed, nothing left to migrate\n`
      : `mrtr-migrate review: ${result.findings.length} spots left to migrate in ${files} files\n`,
  );
  const document = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mrtr-migrate', version: VERSION },
    review: true,
    findings: result.findings,
  };
  if (options.report) {
    const report = options.report.endsWith('.json')
      ? `${JSON.stringify(document, null, 2)}\n`
      : options.report.endsWith('.sarif')
        ? `${JSON.stringify(sarifReport(result.findings, result.root, lineOf(result.texts)), null, 2)}\n`
        : markdownReview(result);
    writeFileSync(path.resolve(streams.cwd, options.report), report);
  }
  if (options.json) streams.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return result.findings.length > 0 ? EXIT.failed : EXIT.ok;
}
