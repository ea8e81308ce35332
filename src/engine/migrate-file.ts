/**
 * One file through the pipeline: parse, run the applicable transforms in registry order, format
 * what they generated, insert markers, restore the file's envelope. Any failure rolls the file
 * back to its original bytes and becomes a diagnostic; nothing here writes to disk.
 */
import { IndentationText, Project, QuoteKind, ScriptKind, ts, type SourceFile } from '../ts-morph.js';
import { messageOf, movedBy, severityOf, type Diagnostic, type PendingDiagnostic } from '../diagnostics/diagnostic.js';
import {
  DEFAULT_REWRITE_OPTIONS,
  type HandlerOutcome,
  type HoldBack,
  type ProjectType,
  type RewriteOptions,
  type RunFacts,
  type Transform,
} from '../../transforms/types.js';
import { EffectAnalyzer } from '../analysis/effects.js';
import { EffectConfig } from '../analysis/effect-config.js';
import { detectCodeStyle, type CodeStyle } from '../edit/code-style.js';
import { HANDLER_PASS } from '../../transforms/registry.js';
import type { PlannedFile } from '../../transforms/handlers/runtime-module.js';
import { openText, restoreText } from './file-text.js';
import { formatGenerated } from './format-generated.js';
import { insertMarkers, isIgnored } from './markers.js';
import { composeOffsets, lineColumn, type OffsetMap } from '../edit/text-edits.js';

export type FileStatus = 'changed' | 'unchanged' | 'error';

export interface HandlerReport extends Omit<HandlerOutcome, 'offset' | 'endOffset'> {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
}

export interface FileMigration {
  readonly path: string;
  readonly status: FileStatus;
  readonly original: string;
  readonly output: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly handlers: readonly HandlerReport[];
  /** Ids of the transforms that changed the file. */
  readonly appliedTransforms: readonly string[];
  /** Files the migrated code needs (the runtime module), as the transforms planned them. */
  readonly newFiles: readonly PlannedFile[];
}

export interface FileOptions {
  readonly transforms: readonly Transform[];
  readonly projectType: ProjectType;
  /** Path shown in diagnostics (relative to the run's root). */
  readonly displayPath: string;
  /** Shared across a run so summaries of project functions are computed once. */
  readonly effects?: EffectAnalyzer;
  readonly rewrite?: RewriteOptions;
  /** Transforms that apply although the file's text does not show it (asks in another file). */
  readonly force?: readonly string[];
  /** Leave asks as written: a CommonJS file of a run whose server loads SDK v1 with require(), or a file
   * of a server a framework builds on its own SDK (FastMCP), which only gets markers. */
  readonly holdBack?: HoldBack;
  /** What the rest of the run showed (see TransformContext). */
  readonly run?: RunFacts;
}

export function createProject(): Project {
  return new Project({
    useInMemoryFileSystem: false,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noEmit: true, jsx: ts.JsxEmit.Preserve },
  });
}

export function scriptKindFor(filePath: string): ScriptKind {
  if (/\.tsx$/.test(filePath)) return ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(filePath)) return ScriptKind.TS;
  if (/\.jsx$/.test(filePath)) return ScriptKind.JSX;
  return ScriptKind.JS;
}

export async function migrateFile(
  project: Project,
  filePath: string,
  raw: string,
  options: FileOptions,
): Promise<FileMigration> {
  const unchanged = (diagnostics: Diagnostic[] = [], status: FileStatus = 'unchanged'): FileMigration => ({
    path: filePath,
    status,
    original: raw,
    output: raw,
    diagnostics,
    handlers: [],
    appliedTransforms: [],
    newFiles: [],
  });
  const { text, envelope } = openText(raw);
  // A framework keeps its own SDK v1: nothing is upgraded; the handler and serving passes only mark.
  const transforms =
    options.holdBack === 'framework'
      ? options.transforms.filter((t) => t.id === HANDLER_PASS || t.id === 'serving')
      : options.transforms;
  const applicable = transforms.filter((t) => t.appliesTo(text, filePath) || options.force?.includes(t.id));
  if (applicable.length === 0) return unchanged();

  // Parsing and transforming is synchronous and the tree is gone before formatting is awaited,
  // so files can share one project while their formatting overlaps.
  const run = transformFile(project, filePath, text, applicable, options);
  if ('failed' in run) return unchanged([run.failed], 'error');
  return finish(run, raw, envelope, filePath, options);
}

function transformFile(
  project: Project,
  filePath: string,
  text: string,
  applicable: readonly Transform[],
  options: FileOptions,
): TransformedFile | { failed: Diagnostic } {
  const sourceFile = project.createSourceFile(filePath, text, { overwrite: true, scriptKind: scriptKindFor(filePath) });
  try {
    const syntaxError = firstSyntaxError(sourceFile);
    if (syntaxError) {
      return {
        failed: resolve(
          {
            ruleId: 'mrtr/parse-error',
            data: { detail: syntaxError.message },
            offset: syntaxError.start,
            endOffset: syntaxError.start,
          },
          text,
          options.displayPath,
        ),
      };
    }
    const style = detectCodeStyle(text);
    project.manipulationSettings.set({
      quoteKind: style.singleQuote ? QuoteKind.Single : QuoteKind.Double,
      indentationText: style.useTabs
        ? IndentationText.Tab
        : style.tabWidth === 4
          ? IndentationText.FourSpaces
          : IndentationText.TwoSpaces,
      useTrailingCommas: style.trailingComma === 'all',
    });
    const run = runTransforms(sourceFile, applicable, {
      filePath,
      style,
      projectType: options.projectType,
      effects: options.effects ?? new EffectAnalyzer(new EffectConfig()),
      options: options.rewrite ?? DEFAULT_REWRITE_OPTIONS,
      holdBack: options.holdBack,
      run: options.run,
    });
    if ('failed' in run) {
      return {
        failed: resolve(
          {
            ruleId: 'mrtr/internal-error',
            data: { transform: run.failed, detail: run.detail },
            offset: 0,
            endOffset: 0,
          },
          text,
          options.displayPath,
        ),
      };
    }
    return { ...run, style };
  } finally {
    project.removeSourceFile(sourceFile);
  }
}

interface TransformedFile extends TransformRun {
  readonly style: CodeStyle;
}

interface TransformRun {
  readonly text: string;
  readonly diagnostics: PendingDiagnostic[];
  readonly handlers: HandlerOutcome[];
  readonly applied: string[];
  readonly newFiles: PlannedFile[];
}

function runTransforms(
  sourceFile: SourceFile,
  transforms: readonly Transform[],
  context: Parameters<Transform['apply']>[1],
): TransformRun | { failed: string; detail: string } {
  let diagnostics: PendingDiagnostic[] = [];
  let handlers: HandlerOutcome[] = [];
  const applied: string[] = [];
  const newFiles: PlannedFile[] = [];
  // Set while the tree is stale: the last transform handed back text.
  let text: string | undefined;
  for (const transform of transforms) {
    try {
      if (text !== undefined) sourceFile.replaceWithText(text);
      const result = transform.apply(sourceFile, context);
      text = result.text;
      // Findings of earlier transforms follow the text through this transform's edits.
      diagnostics = [
        ...diagnostics.filter((d) => !result.settles?.(d)).map((d) => movedBy(d, result.mapOffset)),
        ...result.diagnostics,
      ];
      handlers = [
        ...handlers.map((h) => ({
          ...h,
          offset: result.mapOffset(h.offset),
          endOffset: result.mapOffset(h.endOffset),
        })),
        ...result.handlers,
      ];
      if (result.changed) applied.push(...(result.applied ?? [transform.id]));
      newFiles.push(...(result.newFiles ?? []));
    } catch (error) {
      return { failed: transform.id, detail: error instanceof Error ? error.message : String(error) };
    }
  }
  const output = text ?? sourceFile.getFullText();
  const syntaxError =
    applied.length === 0
      ? undefined
      : text === undefined
        ? firstSyntaxError(sourceFile)
        : firstSyntaxError(parseOnly(context.filePath, output));
  if (syntaxError) return { failed: applied.at(-1)!, detail: `its output does not parse (${syntaxError.message})` };
  return { text: output, diagnostics, handlers, applied, newFiles };
}

/** The compiler's parser alone, without ts-morph's wrappers: enough to check that output parses. */
function parseOnly(filePath: string, text: string): ts.SourceFile {
  return ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, scriptKindFor(filePath));
}

async function finish(
  run: TransformedFile,
  raw: string,
  envelope: ReturnType<typeof openText>['envelope'],
  filePath: string,
  options: FileOptions,
): Promise<FileMigration> {
  const formatted = await formatGenerated(run.text, filePath, run.style, openText(raw).text);
  const kept = run.diagnostics.map((d) => movedBy(d, formatted.mapOffset)).filter((d) => !isIgnored(formatted.text, d));
  const marked = insertMarkers(formatted.text, kept, /\.[jt]sx$/.test(filePath));
  // A transform that dropped the shebang (the official codemod's import rewrite does) gets it back here:
  // lines and columns are read on the text as written, shebang included.
  const shebang = envelope.shebang && !marked.text.startsWith('#!') ? envelope.shebang : '';
  const toFinal = (offset: number) => marked.mapOffset(offset) + shebang.length;
  const map: OffsetMap = composeOffsets(formatted.mapOffset, toFinal);
  const finalText = shebang + marked.text;
  const output = restoreText(finalText, envelope);
  const diagnostics = kept
    .map((d) => movedBy(d, toFinal))
    .sort((a, b) => a.offset - b.offset)
    .map((d) => resolve(d, finalText, options.displayPath));
  const handlers = run.handlers.map(({ offset, endOffset, ...h }) => ({
    ...h,
    file: options.displayPath,
    ...lineColumn(finalText, map(offset)),
    endLine: lineColumn(finalText, map(endOffset)).line,
  }));
  const changed = output !== raw;
  return {
    path: filePath,
    status: changed ? 'changed' : 'unchanged',
    original: raw,
    output,
    diagnostics,
    handlers,
    appliedTransforms: changed ? run.applied : [],
    newFiles: changed ? run.newFiles : [],
  };
}

function resolve(d: PendingDiagnostic, text: string, file: string): Diagnostic {
  const start = lineColumn(text, d.offset);
  const end = lineColumn(text, Math.max(d.offset, d.endOffset));
  return {
    ruleId: d.ruleId,
    severity: severityOf(d.ruleId),
    message: messageOf(d),
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    handler: d.handler,
  };
}

function firstSyntaxError(file: SourceFile | ts.SourceFile): { start: number; message: string } | undefined {
  const compilerNode = 'compilerNode' in file ? file.compilerNode : file;
  const diagnostics =
    (compilerNode as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (!first) return undefined;
  return { start: first.start, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
}
