/**
 * The same pipeline in jscodeshift's module shape, `(file, api, options) => string | undefined`,
 * so transforms run under jscodeshift and codemod registries. Returning undefined means "no
 * change", as jscodeshift's Worker expects; unchanged files keep their bytes.
 */
import { transforms as registry } from '../../transforms/index.js';
import { DEFAULT_REWRITE_OPTIONS, type RewriteOptions, type Transform } from '../../transforms/types.js';
import { createProject, migrateFile } from '../engine/migrate-file.js';

export interface JscodeshiftFile {
  readonly path: string;
  readonly source: string;
}

export type JscodeshiftTransform = (file: JscodeshiftFile, api: unknown, options?: Record<string, unknown>) => Promise<string | undefined>;

export function toJscodeshift(selected: readonly Transform[] = registry): JscodeshiftTransform {
  const project = createProject();
  return async (file, api, options = {}) => {
    // One file at a time, with no view of the project: look at every handler, as a project run would for one that reaches an ask.
    const result = await migrateFile(project, file.path, file.source, { transforms: selected, projectType: 'server', displayPath: file.path, rewrite: rewriteOptions(options), force: ['guard-first'] });
    const report = (api as { report?: (message: string) => void } | undefined)?.report;
    for (const d of result.diagnostics) report?.(`${d.line}:${d.column} ${d.ruleId} ${d.message}`);
    if (result.status === 'error') throw new Error(result.diagnostics.map((d) => d.message).join('; '));
    return result.status === 'changed' ? result.output : undefined;
  };
}

/** jscodeshift passes its unknown CLI flags through: `--fixEffects`, `--maxRisk=safe`, `--style=steps`. */
function rewriteOptions(options: Record<string, unknown>): RewriteOptions {
  const maxRisk = options.maxRisk === 'safe' || options.maxRisk === 'review' ? options.maxRisk : DEFAULT_REWRITE_OPTIONS.maxRisk;
  const style = options.style === 'steps' ? 'steps' : DEFAULT_REWRITE_OPTIONS.style;
  return { fixEffects: options.fixEffects === true || options.fixEffects === 'true', maxRisk, style };
}
