/** The machine-readable report; its shape is described by schema/report.schema.json. */
import { toDisplayPath, type MigrationResult } from '../engine/migrate.js';
import { VERSION } from '../version.js';
import { allDiagnostics, allHandlers, summarize } from './summary.js';

export const REPORT_SCHEMA_VERSION = 1;

export function jsonReport(result: MigrationResult, mode: { dryRun: boolean }): object {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mrtr-migrate', version: VERSION },
    dryRun: mode.dryRun,
    summary: summarize(result),
    files: result.files
      .filter((f) => f.status !== 'unchanged' || f.diagnostics.length > 0)
      .map((f) => ({ path: toDisplayPath(result.root, f.path), status: f.status, transforms: f.appliedTransforms })),
    handlers: allHandlers(result),
    diagnostics: allDiagnostics(result),
    manifests: result.manifests.map((m) => ({
      path: toDisplayPath(result.root, m.path),
      added: m.added,
      notes: m.notes,
    })),
    created: result.created.map((f) => toDisplayPath(result.root, f.path)),
  };
}
