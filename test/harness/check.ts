/**
 * The programmatic API: compare every case of a scenario before and after migration on both
 * eras, and the same over a directory of `<name>.input.ts` / `<name>.output.ts` /
 * `<name>.scenario.ts` triples.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeRegExp } from '../../src/text/regexp.js';
import { attributionFor, type Attribution } from './attribution.js';
import { compare, type Verdict } from './compare.js';
import { runCase, type Era, type ServerModule, type Serving } from './run-cases.js';
import type { Observation } from './observe.js';
import type { Scenario } from './scenario.js';
import { startInstances, type Instances } from './two-instances.js';

export interface ScenarioFiles {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly scenario: string;
}

export interface CaseReport {
  readonly scenario: string;
  readonly caseName: string;
  /** How the migrated server was reached; `… entry` for the project's own entry file run as a process. */
  readonly era:
    '2026-07-28' | '2026-07-28 stdio' | '2026-07-28 two instances' | '2025' | '2026-07-28 entry' | '2025 entry';
  readonly verdict: Verdict;
}

export interface CheckOptions {
  /** A case still running after this long is cut and reported, never stalls the run. */
  readonly timeoutMs?: number;
  /** Where to count the before-guard flags, for the analysis's precision. */
  readonly tally?: FlagTally;
  /**
   * `'dropped'` forgets every held call before each message the client sends, as a restart
   * would, so resumable calls take the replay fallback; scenarios without resumable asks are
   * skipped then. The default keeps them, as one serving process does.
   */
  readonly continuations?: 'kept' | 'dropped';
  /**
   * 2: the migrated module is served on 2026-07-28 by two processes through `createMcpHandler`,
   * its asking calls alternating between them (two-instances.ts), in place of the in-process
   * entries; 2025 stays one connection to one server, as a 2025 session is.
   */
  readonly instances?: 1 | 2;
}

/**
 * Before-guard flags, and whether the scenarios showed them to matter. A flag whose statement
 * caused no effect in any case, though every case ran it again, was harmless to repeat there.
 * Non-determinism is left out: its harm is a changed value, which no effect record shows.
 */
export interface FlagTally {
  flagged: number;
  reran: number;
  /** `scenario:line rule` of each flag on a statement that caused no effect. */
  readonly quiet: string[];
}

const EFFECT_FLAGS = new Set([
  'mrtr/effect-before-guard',
  'mrtr/outer-mutation-before-guard',
  'mrtr/unknown-call-before-guard',
  'mrtr/effect-on-replay',
  'mrtr/outer-mutation-on-replay',
  'mrtr/unknown-call-on-replay',
]);

/** Whether a migrated module asks through the runtime's held calls (and so has a replay fallback). */
export function usesHeldCalls(file: string): boolean {
  return /\bask(?:Elicit|Url|Sampling|Roots)\(/.test(readFileSync(file, 'utf8'));
}

export async function checkScenario(files: ScenarioFiles, options: CheckOptions = {}): Promise<CaseReport[]> {
  const dropped = options.continuations === 'dropped';
  if (dropped && !usesHeldCalls(files.after)) return [];
  const scenario = ((await import(pathToFileURL(files.scenario).href)) as { default: Scenario }).default;
  const before = await loadServerModule(files.before);
  const after = await loadServerModule(files.after);
  const pair = options.instances === 2 ? await startInstances(files.after) : undefined;
  try {
    return await compareCases(files, scenario, before, after, options, pair);
  } finally {
    await pair?.close();
  }
}

const ONE_INSTANCE_ERAS = ['2026-07-28', '2026-07-28-stdio', '2025-legacy-shim'] as const;
const TWO_INSTANCE_ERAS = ['two-instances', '2025-legacy-shim'] as const;
const ERA_LABELS = {
  '2026-07-28': '2026-07-28',
  '2026-07-28-stdio': '2026-07-28 stdio',
  'two-instances': '2026-07-28 two instances',
  '2025-legacy-shim': '2025',
} as const;

async function compareCases(
  files: ScenarioFiles,
  scenario: Scenario,
  before: ServerModule,
  after: ServerModule,
  options: CheckOptions,
  pair: Instances | undefined,
): Promise<CaseReport[]> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const dropped = options.continuations === 'dropped';
  const beforeEra: Era = readFileSync(files.before, 'utf8').includes('@modelcontextprotocol/sdk')
    ? 'v1'
    : '2025-legacy-shim';
  // A second instance has none of the first's held calls: its replays answer to the same flags as dropped ones.
  const attribution = attributionFor(files.after, dropped || pair !== undefined);
  const reports: CaseReport[] = [];
  const rerunStatements = new Set<string>();
  const causedEffects = new Set<string>();
  for (const [caseName, answers] of Object.entries(scenario.scripts)) {
    const baseline = await withTimeout(runCase(before, beforeEra, scenario.call, answers), timeoutMs);
    for (const era of pair ? TWO_INSTANCE_ERAS : ONE_INSTANCE_ERAS) {
      const label = ERA_LABELS[era];
      if (baseline === 'timeout') {
        reports.push({ scenario: files.name, caseName, era: label, verdict: { kind: 'timeout', era: 'before' } });
        continue;
      }
      const run =
        era === 'two-instances'
          ? pair!.run(scenario.call, answers)
          : runCase(after, era, scenario.call, answers, { dropped });
      const observed = await withTimeout(run, timeoutMs);
      if (observed !== 'timeout') {
        for (const record of observed.effects) {
          const statement = attribution.statementOf(record);
          if (statement) causedEffects.add(statement.join('-'));
        }
      }
      const compared: Verdict =
        observed === 'timeout' ? { kind: 'timeout', era: label } : compare(baseline, observed, attribution.isFlagged);
      const verdict = dropped ? explainedByValueFlag(compared, attribution) : compared;
      if (observed !== 'timeout' && verdict.kind === 'equivalent-with-flagged-reruns') {
        for (const record of observed.effects.filter((e) => verdict.reran.includes(e.name))) {
          const statement = attribution.statementOf(record);
          if (statement) rerunStatements.add(statement.join('-'));
        }
      }
      reports.push({ scenario: files.name, caseName, era: label, verdict });
    }
  }
  if (options.tally) tallyFlags(options.tally, files.name, attribution.ruleOf, causedEffects, rerunStatements);
  // A flagged statement that caused effects but never a re-run is noise a reviewer would chase for nothing.
  const effectful = new Set(attribution.flaggedStatements.map((s) => s.join('-')).filter((s) => causedEffects.has(s)));
  const noisy = [...effectful].filter((s) => !rerunStatements.has(s));
  if (noisy.length > 0) {
    reports.push({
      scenario: files.name,
      caseName: '(flags)',
      era: '2026-07-28',
      verdict: {
        kind: 'different',
        reasons: [`flagged statements at lines ${noisy.join(', ')} never re-ran an effect`],
      },
    });
  }
  return reports;
}

/**
 * A replay computes a varying value afresh, so what it shows differs (the confirmed order is not
 * the placed one). That is the harm a `nondeterministic-on-replay` flag names: with such a flag, a
 * result that differs and nothing else counts as a flagged re-run.
 */
function explainedByValueFlag(verdict: Verdict, attribution: Attribution): Verdict {
  if (verdict.kind !== 'different') return verdict;
  if (![...attribution.ruleOf.values()].includes('mrtr/nondeterministic-on-replay')) return verdict;
  if (!verdict.reasons.every((reason) => reason.startsWith('result differs'))) return verdict;
  return { kind: 'equivalent-with-flagged-reruns', reran: ['a value computed afresh'] };
}

function tallyFlags(
  tally: FlagTally,
  scenario: string,
  ruleOf: ReadonlyMap<string, string>,
  caused: ReadonlySet<string>,
  reran: ReadonlySet<string>,
): void {
  for (const [statement, rule] of ruleOf) {
    if (!EFFECT_FLAGS.has(rule)) continue;
    tally.flagged++;
    if (reran.has(statement)) tally.reran++;
    else if (!caused.has(statement)) tally.quiet.push(`${scenario}:${statement.split('-')[0]} ${rule}`);
  }
}

export function findScenarios(dir: string): ScenarioFiles[] {
  const entries = readdirSync(dir);
  const withRole = (name: string, role: string) =>
    entries.find((f) => new RegExp(`^${escapeRegExp(name)}\\.${role}\\.[cm]?[jt]sx?$`).test(f));
  return entries
    .filter((f) => f.endsWith('.scenario.ts'))
    .sort()
    .flatMap((f) => {
      const name = f.slice(0, -'.scenario.ts'.length);
      const before = withRole(name, 'input');
      const after = withRole(name, 'output');
      return before && after
        ? [{ name, before: path.join(dir, before), after: path.join(dir, after), scenario: path.join(dir, f) }]
        : [];
    });
}

export async function checkDirectory(dir: string, options: CheckOptions = {}): Promise<CaseReport[]> {
  const reports: CaseReport[] = [];
  for (const files of findScenarios(dir)) reports.push(...(await checkScenario(files, options)));
  return reports;
}

export function caseLine(report: CaseReport): string {
  const v = report.verdict;
  const detail =
    v.kind === 'different'
      ? `: ${v.reasons.join('; ')}`
      : v.kind === 'equivalent-with-flagged-reruns'
        ? ` (re-ran: ${v.reran.join(', ')})`
        : v.kind === 'timeout'
          ? ` (${v.era} run cut off)`
          : '';
  return `${report.scenario} / ${report.caseName} [${report.era}]: ${v.kind}${detail}`;
}

export function summaryLine(reports: readonly CaseReport[]): string {
  const cases = reports.filter((r) => r.caseName !== '(flags)');
  const ok = (r: CaseReport) => r.verdict.kind === 'equivalent' || r.verdict.kind === 'equivalent-with-flagged-reruns';
  // Both serving entries of 2026-07-28 (createMcpHandler and serveStdio) count as that era.
  const modern = cases.filter((r) => r.era !== '2025');
  const legacy = cases.filter((r) => r.era === '2025');
  const unflagged = cases.filter(
    (r) =>
      r.verdict.kind === 'different' && r.verdict.reasons.some((x) => x.startsWith('effects re-ran without a flag')),
  ).length;
  // Cases that were equivalent only because every effect that ran again was flagged.
  const flagged = cases.filter((r) => r.verdict.kind === 'equivalent-with-flagged-reruns').length;
  return (
    `${modern.filter(ok).length}/${modern.length} cases equivalent on 2026-07-28, ` +
    `${legacy.filter(ok).length}/${legacy.length} on 2025, ${unflagged} unflagged re-runs, ` +
    `${flagged} with flagged re-runs`
  );
}

async function withTimeout(run: Promise<Observation>, ms: number): Promise<Observation | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `.cjs`, or `.ts`/`.js` in a package that is not `"type": "module"`: Node (and tsx) load it as CommonJS. */
function loadsAsCommonJs(file: string): boolean {
  if (file.endsWith('.cjs') || file.endsWith('.cts')) return true;
  if (!/\.[jt]s$/.test(file)) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest))
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type !== 'module';
    if (path.dirname(dir) === dir) return false;
  }
}

/** A CommonJS server is served by the CommonJS build of the serving entries, as its own project would. */
export async function loadServerModule(file: string): Promise<ServerModule> {
  const module = (await import(pathToFileURL(file).href)) as ServerModule;
  if (!loadsAsCommonJs(file)) return module;
  const require = createRequire(file);
  const serving: Serving = {
    createMcpHandler: require('@modelcontextprotocol/server').createMcpHandler,
    serveStdio: require('@modelcontextprotocol/server/stdio').serveStdio,
  };
  return { createServer: () => module.createServer(), serving };
}
