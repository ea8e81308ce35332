/** The library surface: run a migration, or one file, without the command line. */
export {
  migrate,
  selectTransforms,
  UsageError,
  type MigrationOptions,
  type MigrationResult,
} from './engine/migrate.js';
export { createProject, migrateFile, type FileMigration, type HandlerReport } from './engine/migrate-file.js';
export { allRules, getRule, type RuleDefinition, type RuleId } from './diagnostics/rules.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { jsonReport } from './report/json.js';
export { markdownReport } from './report/markdown.js';
export { toJscodeshift } from './adapters/jscodeshift.js';
export { transforms } from '../transforms/index.js';
