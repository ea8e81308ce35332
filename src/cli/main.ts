/**
 * The command line. The only code that touches process streams and the file system for
 * writing: the engine plans, this applies or prints the plan and picks the exit code.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { findRepositoryRoot } from '../engine/discover.js';
import { migrate, toDisplayPath, UsageError, type MigrationResult } from '../engine/migrate.js';
import { jsonReport } from '../report/json.js';
import { markdownReport } from '../report/markdown.js';
import { sarifReport } from '../report/sarif.js';
import { allDiagnostics, isFlag, summarize } from '../report/summary.js';
import { registry as transforms, selectableIds, strategies } from '../../transforms/registry.js';
import type { FlowStyle } from '../../transforms/types.js';
import { VERSION } from '../version.js';
import { unifiedDiff } from './diff.js';
import { explain } from './explain-command.js';
import { gitState } from './git.js';
import { runReview, type ReviewOptions } from './review-command.js';
import { runVerify, type VerifyOptions } from './verify-command.js';
import { EXIT, lineOf, processStreams, REPORT_FORMAT, type Streams } from './streams.js';
import { progressLine, skipReasons, summaryLine } from './summary-line.js';
import { writeAtomic, writeNew } from './write.js';

export { EXIT, type Streams } from './streams.js';

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
  carryEffects?: boolean;
  maxRisk?: 'safe' | 'review';
  style?: FlowStyle;
  target?: 'native' | 'any';
  runtimeDir?: string;
  typecheck?: boolean;
}

export async function main(argv: readonly string[], streams: Streams = processStreams()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('mrtr-migrate')
    .description('Move MCP servers onto multi round-trip requests (protocol revision 2026-07-28).')
    .version(VERSION)
    .exitOverride()
    .enablePositionalOptions()
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
    .option(
      '--fix-effects',
      'move side effects that nothing before the ask depends on to just after the guard (graded review)',
    )
    .option(
      '--no-carry-effects',
      'leave effects and varying values above a guard flagged, instead of running them once with their result ' +
        'carried in requestState',
    )
    .addOption(
      new Option('--max-risk <class>', 'apply rewrites up to this risk class; report the rest')
        .choices(['safe', 'review'])
        .default('review'),
    )
    .addOption(
      new Option(
        '--style <style>',
        'handlers with dependent questions: guards carrying answers in requestState, or ToolBuilder steps',
      )
        .choices(['guard', 'steps'])
        .default('guard'),
    )
    .addOption(
      new Option(
        '--target <form>',
        'native: no held calls (an ask that only a held call could serve is left as written, marked as an ' +
          'error); any: native where it can be, held elsewhere. Default: native for a Worker, a serverless ' +
          'function or a stateless HTTP route, any otherwise',
      ).choices(['native', 'any']),
    )
    .option(
      '--runtime-dir <dir>',
      "where to write the mrtr-request-state module (default: the package's src, else its root)",
    )
    .option(
      '--no-typecheck',
      "skip type-checking the changed files with the project's tsconfig (new type errors are reported by default)",
    )
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
    .command('verify')
    .description(
      'run the entry point as it was (the last commit) and as it is, and compare what 2026-07-28 and 2025 ' +
        'clients see; exit 1 on any difference',
    )
    .argument('<entry>', 'the entry file (run with node; .ts with --import tsx)')
    .argument('[args...]', 'arguments for the entry')
    .option('--original <dir>', 'the unmigrated project, instead of the last commit')
    .option('--ref <ref>', 'the git commit to take the original from', 'HEAD')
    .option(
      '--scenarios <file>',
      'a JSON list of calls with scripted answers: [{ name, call, answers, capabilities? }]',
    )
    .option('--http <path>', 'the entry listens on PORT and serves MCP at this path, over Streamable HTTP')
    .option('--env <pair...>', 'KEY=VALUE for both processes')
    .option('--json', 'print the comparison as JSON on stdout')
    .option('--report <file>', 'write the comparison (.md or .json)')
    .passThroughOptions()
    .action(async (entry: string, args: string[], options: VerifyOptions) => {
      exitCode = await runVerify(entry, args, options, streams);
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
    // In run order: the strategies stand where the handler pass runs.
    for (const id of selectableIds) {
      const strategy = strategies.find((s) => s.id === id);
      const line = strategy ? `strategy: ${strategy.description}` : transforms.find((t) => t.id === id)!.description;
      streams.stdout.write(`${id.padEnd(14)} ${line}\n`);
    }
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
      if (state.kind === 'not-a-repository')
        say('mrtr-migrate: not inside a git repository; changes cannot be reviewed or undone with git');
      if (state.kind === 'dirty' && !options.allowDirty) {
        fail(
          `the target paths have uncommitted changes; commit or stash them, or pass ` +
            `--allow-dirty:\n${state.files.map((f) => `  ${f}`).join('\n')}`,
        );
        return EXIT.usage;
      }
    }
    const progress = progressLine(streams, Boolean(options.quiet || options.json));
    result = await migrate({
      onProgress: progress.update,
      paths,
      cwd: streams.cwd,
      ignore: options.ignore,
      typecheck: options.typecheck ?? true,
      only: options.transforms
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      rewrite: {
        fixEffects: options.fixEffects ?? false,
        carryEffects: options.carryEffects ?? true,
        maxRisk: options.maxRisk ?? 'review',
        style: options.style ?? 'guard',
        target: options.target,
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

  // With --json, stdout is one JSON document: the dry run's diff travels inside it, as `diff`.
  const colour = Boolean(streams.stdout.isTTY) && !streams.env.NO_COLOR && !options.json;
  const diff = options.dryRun ? dryRunDiff(result, colour) : undefined;
  if (diff !== undefined && !options.json) streams.stdout.write(diff);

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
    for (const manifest of result.manifests.filter((m) => m.output !== m.original))
      writeAtomic(manifest.path, manifest.output);
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
    const outputs = new Map(
      result.files.filter((f) => f.diagnostics.length > 0).map((f) => [toDisplayPath(result.root, f.path), f.output]),
    );
    const report = options.report.endsWith('.json')
      ? `${JSON.stringify(jsonReport(result, { dryRun: !writes }), null, 2)}\n`
      : options.report.endsWith('.sarif')
        ? `${JSON.stringify(sarifReport(allDiagnostics(result), result.root, lineOf(outputs)), null, 2)}\n`
        : markdownReport(result, { dryRun: !writes });
    writeFileSync(path.resolve(streams.cwd, options.report), report);
  }
  if (options.json) {
    const document = { ...jsonReport(result, { dryRun: !writes }), ...(diff !== undefined ? { diff } : {}) };
    streams.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  const summary = summarize(result);
  if (summary.filesErrored > 0 || writeFailures > 0) return EXIT.failed;
  if (options.check && (summary.filesChanged > 0 || allDiagnostics(result).some(isFlag))) return EXIT.failed;
  return EXIT.ok;
}

/** Every change of a dry run as one unified diff, which `git apply` accepts. */
function dryRunDiff(result: MigrationResult, colour: boolean): string {
  const shown = (file: string) => toDisplayPath(result.root, file);
  return [
    ...result.files
      .filter((f) => f.status === 'changed')
      .map((f) => unifiedDiff(shown(f.path), f.original, f.output, colour)),
    ...result.manifests
      .filter((m) => m.output !== m.original)
      .map((m) => unifiedDiff(shown(m.path), m.original, m.output, colour)),
    ...result.created.map((f) => unifiedDiff(shown(f.path), undefined, f.text, colour)),
  ]
    .map((d) => `${d}\n`)
    .join('');
}
