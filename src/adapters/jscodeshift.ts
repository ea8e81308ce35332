/**
 * The same pipeline in jscodeshift's module shape, `(file, api, options) => string | undefined`,
 * so transforms run under jscodeshift and codemod registries. Returning undefined means "no
 * change", as jscodeshift's Worker expects; unchanged files keep their bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transforms as registry } from '../../transforms/index.js';
import { HANDLER_PASS, strategies } from '../../transforms/registry.js';
import { DEFAULT_REWRITE_OPTIONS, type RewriteOptions, type Transform } from '../../transforms/types.js';
import { holdBackFor } from '../engine/hold-back.js';
import { renderMessage } from '../diagnostics/rules.js';
import { writeNew } from '../cli/write.js';
import { createProject, migrateFile } from '../engine/migrate-file.js';
import { projectFacts } from './project-scope.js';

export interface JscodeshiftFile {
  readonly path: string;
  readonly source: string;
}

export type JscodeshiftTransform = (
  file: JscodeshiftFile,
  api: unknown,
  options?: Record<string, unknown>,
) => Promise<string | undefined>;

export function toJscodeshift(selected: readonly Transform[] = registry): JscodeshiftTransform {
  const project = createProject();
  return async (file, api, options = {}) => {
    const report = (api as { report?: (message: string) => void } | undefined)?.report;
    const facts = projectFacts(path.resolve(file.path));
    const result = await migrateFile(project, file.path, file.source, {
      transforms: selected,
      projectType: 'server',
      displayPath: file.path,
      rewrite: rewriteOptions(options),
      // One file at a time, with no view of the run: look at every handler, as a project run would for one
      // that reaches an ask.
      force: [HANDLER_PASS],
      // As a project run does: a server on SDK v1 loaded with require(), or built by FastMCP, keeps its asks.
      holdBack: holdBackFor(file.source, facts),
    });
    for (const d of result.diagnostics) report?.(`${d.line}:${d.column} ${d.ruleId} ${d.message}`);
    if (result.status === 'error') throw new Error(result.diagnostics.map((d) => d.message).join('; '));
    if (result.status !== 'changed') return undefined;
    for (const created of result.newFiles) createNewFile(created, options.dry === true, report);
    return result.output;
  };
}

/**
 * The runtime module the migrated code imports, written beside it unless jscodeshift runs dry.
 * A copy already there is the user's: it is never replaced, and a different one is reported.
 */
function createNewFile(
  file: { readonly path: string; readonly text: string },
  dry: boolean,
  report?: (message: string) => void,
): void {
  if (dry) {
    report?.(`would create ${file.path}`);
    return;
  }
  try {
    writeNew(file.path, file.text);
    report?.(`created ${file.path}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Several jscodeshift workers may plan the same module; the first one writes it.
    if (readFileSync(file.path, 'utf8') !== file.text)
      report?.(`mrtr/runtime-kept ${renderMessage('mrtr/runtime-kept', { file: path.basename(file.path) })}`);
  }
}

/**
 * jscodeshift passes its unknown CLI flags through: `--fixEffects`, `--carryEffects=false`, `--maxRisk=safe`,
 * `--style=steps`, `--target=native`, `--strategies=guard-first,resumable` (the CLI's `-t` strategies).
 */
function rewriteOptions(options: Record<string, unknown>): RewriteOptions {
  const maxRisk =
    options.maxRisk === 'safe' || options.maxRisk === 'review' ? options.maxRisk : DEFAULT_REWRITE_OPTIONS.maxRisk;
  const style = options.style === 'steps' ? 'steps' : DEFAULT_REWRITE_OPTIONS.style;
  const target = options.target === 'native' ? 'native' : 'any';
  const named =
    typeof options.strategies === 'string'
      ? strategies.filter((s) => (options.strategies as string).split(',').includes(s.id)).map((s) => s.id)
      : undefined;
  // As the CLI does: held calls are the resumable strategy's form, which --target native leaves out.
  const allowed = target === 'native' ? (named ?? strategies.map((s) => s.id)).filter((s) => s !== 'resumable') : named;
  return {
    fixEffects: options.fixEffects === true || options.fixEffects === 'true',
    carryEffects: options.carryEffects !== false && options.carryEffects !== 'false',
    maxRisk,
    style,
    target,
    ...(allowed ? { strategies: allowed } : {}),
  };
}
