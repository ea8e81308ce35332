/** Counts shared by every output: the terminal summary, JSON, Markdown and SARIF. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AskForms } from '../engine/ask-forms.js';
import type { MigrationResult } from '../engine/migrate.js';
import type { HandlerReport } from '../engine/migrate-file.js';

export interface RunSummary {
  readonly filesScanned: number;
  readonly filesChanged: number;
  readonly filesUnchanged: number;
  readonly filesErrored: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly handlersByStrategy: Readonly<Record<string, number>>;
  readonly handlersByRisk: Readonly<Record<string, number>>;
  /** Each ask by the form it ends in. */
  readonly asksByForm: AskForms;
  readonly diagnosticsByRule: Readonly<Record<string, number>>;
  readonly diagnosticsBySeverity: Readonly<Record<string, number>>;
}

export function allDiagnostics(result: MigrationResult): Diagnostic[] {
  return result.files.flatMap((f) => f.diagnostics);
}

export function allHandlers(result: MigrationResult): HandlerReport[] {
  return result.files.flatMap((f) => f.handlers);
}

export function summarize(result: MigrationResult): RunSummary {
  const diagnostics = allDiagnostics(result);
  const handlers = allHandlers(result);
  return {
    filesScanned: result.files.length,
    filesChanged: result.files.filter((f) => f.status === 'changed').length,
    filesUnchanged: result.files.filter((f) => f.status === 'unchanged').length,
    filesErrored: result.files.filter((f) => f.status === 'error').length,
    skipped: result.discovery.skipped,
    handlersByStrategy: countBy(handlers, (h) => h.strategy),
    handlersByRisk: countBy(handlers, (h) => h.risk),
    asksByForm: result.asks,
    diagnosticsByRule: countBy(diagnostics, (d) => d.ruleId),
    diagnosticsBySeverity: countBy(diagnostics, (d) => d.severity),
  };
}

/** Flags are what a reviewer must look at: warnings and errors, not informational notes. */
export function isFlag(d: Diagnostic): boolean {
  return d.severity !== 'info';
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
