/**
 * The command line. The only code that touches process streams and the file system for
 * writing: the engine plans, this applies or prints the plan and picks the exit code.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { findRepositoryRoot } from '../engine/discover.js';
import { migrate, toDisplayPath, UsageError, type MigrationResult } from '../engine/migrate.js';
import { allRules, getRule, isRuleId } from '../diagnostics/rules.js';
import { jsonReport, REPORT_SCHEMA_VERSION } from '../report/json.js';
import { explainStrategy, explainText } from '../report/explain.js';
import { markdownReport, markdownReview } from '../report/markdown.js';
import { sarifReport } from '../report/sarif.js';
import { allDiagnostics, isFlag, summarize } from '../report/summary.js';
import { registry as transforms, selectableIds, strategies, strategyOf, strategyReporting } from '../../transforms/registry.js';
import type { FlowStyle, Strategy } from '../../transforms/types.js';
import { VERSION } from '../version.js';
import { unifiedDiff } from './diff.js';
import { gitState } from './git.js';
import { writeAtomic, writeNew } from './write.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface Streams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

interface CliOptions {
  dryRun?: boolean;
  check?: boolean;
  report?: string;
  json?: boolean;
  ignore?: string[];
  allowDirty?: boolean;
  quiet?: boolean;
  transforms?: string;
  list?: boolean;
  fixEffects?: boolean;
  maxRisk?: 'safe' | 'review';
  style?: FlowStyle;
  runtimeDir?: string;
}

export async function main(argv: readonly string[], streams: Streams = processStreams()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('mrtr-migrate')
    .description('Move MCP servers onto multi round-trip requests (protocol revision 2026-07-28).')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => streams.stdout.write(s), writeErr: (s) => streams.stderr.write(s) });

  program
    .command('migrate', { isDefault: true })
    .description('rewrite the files in place (the default command)')
    .argument('[paths...]', 'files or directories to migrate', ['.'])
    .option('--dry-run', 'write nothing; print a unified diff of every change')
    .option('--check', 'write nothing; exit 1 if any file would change or any flag would be raised')
    .option('--report <file>', 'write the migration report (.md, .json or .sarif)')
    .option('--json', 'print a machine-readable summary on stdout (human text goes to stderr)')
    .option('--ignore <glob...>', 'skip files matching these globs (gitignore syntax)')
    .addOption(new Option('--allow-dirty', 'run even if the target paths have uncommitted changes').default(false))
    .option('--quiet', 'print only errors (never changes the exit code)')
    .option('--fix-effects', 'move side effects that nothing before the ask depends on to just after the guard (graded review)')
    .addOption(new Option('--max-risk <class>', 'apply rewrites up to this risk class; report the rest').choices(['safe', 'review']).default('review'))
    .addOption(new Option('--style <style>', 'handlers with dependent questions: guards carrying answers in requestState, or ToolBuilder steps').choices(['guard', 'steps']).default('guard'))
    .option('--runtime-dir <dir>', "where to write the mrtr-request-state module (default: the package's src, else its root)")
    .option('-t, --transforms <ids>', `comma-separated transforms and strategies to run (${selectableIds.join(', ')})`)
    .option('--list', 'list the transforms and exit')
    .action(async (paths: string[], options: CliOptions) => {
      exitCode = await run(paths.length > 0 ? paths : ['.'], options, streams);
    });

  program
    .command('review')
    .description('list markers and SSE-era asks left to migrate; exit 1 while any remain')
    .argument('[paths...]', 'files or directories to review', ['.'])
    .option('--report <file>', 'also write the findings (.md, .json or .sarif)')
    .option('--json', 'print the findings as JSON on stdout')
    .option('--ignore <glob...>', 'skip files matching these globs (gitignore syntax)')
    .option('--quiet', 'print only the summary line (never changes the exit code)')
    .action(async (paths: string[], options: ReviewOptions) => {
      exitCode = await runReview(paths.length > 0 ? paths : ['.'], options, streams);
    });

  program
    .command('explain')
    .description('explain a rule (what it means, why it matters, how to fix it) or a strategy (where its code lives)')
    .argument('[id]', 'a rule such as mrtr/effect-before-guard, or a strategy such as resumable; omit to list them')
    .action((ruleId: string | undefined) => {
      exitCode = explain(ruleId, streams);
    });

  try {
    await program.parseAsync([...argv], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  return exitCode;
}

async function run(paths: string[], options: CliOptions, streams: Streams): Promise<number> {
  const dataOnStdout = Boolean(options.json || options.dryRun);
  const human = dataOnStdout ? streams.stderr : streams.stdout;
  const say = (line: string) => {
    if (!options.quiet) human.write(`${line}\n`);
  };
  const fail = (line: string) => streams.stderr.write(`mrtr-migrate: ${line}\n`);

  if (options.list) {
    for (const t of transforms.filter((d) => selectableIds.includes(d.id))) streams.stdout.write(`${t.id.padEnd(14)} ${t.description}\n`);
    for (const t of strategies) streams.stdout.write(`${t.id.padEnd(14)} strategy: ${t.description}\n`);
    return EXIT.ok;
  }
  if (options.report && !REPORT_FORMAT.test(options.report)) {
    fail(`--report needs a .md, .json or .sarif file name, got ${options.report}`);
    return EXIT.usage;
  }

  const writes = !options.dryRun && !options.check;

  let result: MigrationResult;
  try {
    if (writes) {
      const root = findRepositoryRoot(path.resolve(streams.cwd, paths[0]));
      const state = root ? gitState(root, streams.cwd, paths) : ({ kind: 'not-a-repository' } as const);
      if (state.kind === 'not-a-repository') say('mrtr-migrate: not inside a git repository; changes cannot be reviewed or undone with git');
      if (state.kind === 'dirty' && !options.allowDirty) {
        fail(`the target paths have uncommitted changes; commit or stash them, or pass --allow-dirty:\n${state.files.map((f) => `  ${f}`).join('\n')}`);
        return EXIT.usage;
      }
    }
    const progress = progressLine(streams, Boolean(options.quiet || options.json));
    result = await migrate({
      onProgress: progress.update,
      paths,
      cwd: streams.cwd,
      ignore: options.ignore,
      only: options.transforms?.split(',').map((s) => s.trim()).filter(Boolean),
      rewrite: {
        fixEffects: options.fixEffects ?? false,
        maxRisk: options.maxRisk ?? 'review',
        style: options.style ?? 'guard',
        runtimeDir: options.runtimeDir ? path.resolve(streams.cwd, options.runtimeDir) : undefined,
      },
    });
    progress.done();
  } catch (error) {
    if (error instanceof UsageError) {
      fail(error.message);
      return EXIT.usage;
    }
    throw error;
  }

  if (result.discovery.missing.length > 0) {
    fail(`no such file or directory: ${result.discovery.missing.join(', ')}`);
    return EXIT.usage;
  }
  if (result.files.length === 0) {
    fail(`no source files matched ${paths.join(' ')}${skipReasons(result)}`);
    return EXIT.usage;
  }

  const colour = Boolean(streams.stdout.isTTY) && !streams.env.NO_COLOR;
  if (options.dryRun) {
    for (const file of result.files.filter((f) => f.status === 'changed')) {
      streams.stdout.write(`${unifiedDiff(toDisplayPath(result.root, file.path), file.original, file.output, colour)}\n`);
    }
    for (const manifest of result.manifests.filter((m) => m.output !== m.original)) {
      streams.stdout.write(`${unifiedDiff(toDisplayPath(result.root, manifest.path), manifest.original, manifest.output, colour)}\n`);
    }
    for (const file of result.created) streams.stdout.write(`${unifiedDiff(toDisplayPath(result.root, file.path), undefined, file.text, colour)}\n`);
  }

  let writeFailures = 0;
  if (writes) {
    for (const file of result.files.filter((f) => f.status === 'changed')) {
      try {
        writeAtomic(file.path, file.output);
      } catch (error) {
        writeFailures++;
        fail(`could not write ${toDisplayPath(result.root, file.path)}: ${(error as Error).message}`);
      }
    }
    for (const manifest of result.manifests.filter((m) => m.output !== m.original)) writeAtomic(manifest.path, manifest.output);
    for (const file of result.created) writeNew(file.path, file.text);
  }

  for (const d of allDiagnostics(result)) {
    if (!isFlag(d)) continue;
    const line = `${d.file}:${d.line}:${d.column}  ${d.ruleId}  ${d.message}`;
    if (d.severity === 'error') streams.stderr.write(`${line}\n`);
    else say(line);
  }
  say(summaryLine(result, writes));

  if (options.report) {
    // Only files with findings are quoted; an unchanged file's text would be read from disk again.
    const outputs = new Map(result.files.filter((f) => f.diagnostics.length > 0).map((f) => [toDisplayPath(result.root, f.path), f.output]));
    const report = options.report.endsWith('.json')
      ? `${JSON.stringify(jsonReport(result, { dryRun: !writes }), null, 2)}\n`
      : options.report.endsWith('.sarif')
        ? `${JSON.stringify(sarifReport(allDiagnostics(result), result.root, lineOf(outputs)), null, 2)}\n`
        : markdownReport(result, { dryRun: !writes });
    writeFileSync(path.resolve(streams.cwd, options.report), report);
  }
  if (options.json) streams.stdout.write(`${JSON.stringify(jsonReport(result, { dryRun: !writes }), null, 2)}\n`);

  const summary = summarize(result);
  if (summary.filesErrored > 0 || writeFailures > 0) return EXIT.failed;
  if (options.check && (summary.filesChanged > 0 || allDiagnostics(result).some(isFlag))) return EXIT.failed;
  return EXIT.ok;
}

interface ReviewOptions {
  report?: string;
  json?: boolean;
  ignore?: string[];
  quiet?: boolean;
}

const REPORT_FORMAT = /\.(md|json|sarif)$/;

async function runReview(paths: string[], options: ReviewOptions, streams: Streams): Promise<number> {
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
  if (!options.quiet) for (const d of result.findings) human.write(`${d.file}:${d.line}:${d.column}  ${d.ruleId}  ${d.message}\n`);
  const files = new Set(result.findings.map((d) => d.file)).size;
  human.write(
    result.findings.length === 0
      ? `mrtr-migrate review: ${result.discovery.files.length} files reviewed, nothing left to migrate\n`
      : `mrtr-migrate review: ${result.findings.length} spots left to migrate in ${files} files\n`,
  );
  const document = { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'mrtr-migrate', version: VERSION }, review: true, findings: result.findings };
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

function explain(ruleId: string | undefined, streams: Streams): number {
  if (!ruleId) {
    for (const rule of allRules) streams.stdout.write(`${rule.id.padEnd(36)} ${rule.severity.padEnd(8)} ${rule.title}\n`);
    for (const strategy of strategies) streams.stdout.write(`${strategy.id.padEnd(36)} strategy ${strategy.title}\n`);
    return EXIT.ok;
  }
  const strategy = strategyOf(ruleId) ?? strategyReporting(ruleId as Strategy);
  if (strategy) {
    streams.stdout.write(`${explainStrategy(strategy)}\n`);
    return EXIT.ok;
  }
  const id = ruleId.startsWith('mrtr/') ? ruleId : `mrtr/${ruleId}`;
  if (!isRuleId(id)) {
    streams.stderr.write(`mrtr-migrate: no rule or strategy ${ruleId}; run \`mrtr-migrate explain\` for the list\n`);
    return EXIT.usage;
  }
  streams.stdout.write(`${explainText(getRule(id))}\n`);
  return EXIT.ok;
}

function lineOf(texts: ReadonlyMap<string, string>): (file: string, line: number) => string {
  return (file, line) => texts.get(file)?.split('\n')[line - 1] ?? '';
}

/** `[120/5000] src/foo.ts` on a terminal's stderr, for runs long enough to need it. */
function progressLine(streams: Streams, silent: boolean): { update: (done: number, total: number, file: string) => void; done: () => void } {
  const enabled = !silent && Boolean(streams.stderr.isTTY);
  let shown = false;
  let last = 0;
  return {
    update(done, total, file) {
      if (!enabled || total < 50) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      streams.stderr.write(`\r\u001b[2K[${done}/${total}] ${file}`.slice(0, 200));
    },
    done() {
      if (shown) streams.stderr.write('\r\u001b[2K');
    },
  };
}

function skipReasons(result: MigrationResult): string {
  const reasons = Object.entries(result.discovery.skipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} skipped by ${reason}`);
  return reasons.length > 0 ? ` (${reasons.join(', ')})` : ' (no .ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs files there)';
}

function summaryLine(result: MigrationResult, wrote: boolean): string {
  const s = summarize(result);
  const handlers = Object.values(s.handlersByStrategy).reduce((a, b) => a + b, 0);
  const left = s.handlersByStrategy['left-unchanged'] ?? 0;
  const flags = allDiagnostics(result).filter(isFlag).length;
  const risk = Object.entries(s.handlersByRisk).map(([r, n]) => `${n} ${r}`).join(', ');
  return (
    `mrtr-migrate: ${s.filesScanned} files scanned, ${s.filesChanged} ${wrote ? 'changed' : 'would change'}, ${s.filesErrored} errored; ` +
    `${handlers - left} handlers rewritten, ${left} left unchanged${risk ? ` (${risk})` : ''}; ${flags} flags`
  );
}

function processStreams(): Streams {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
