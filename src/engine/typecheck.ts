/**
 * What the run writes, type-checked the way the project checks itself: its own tsconfig (or
 * jsconfig), once over the files as they are and once with the run's outputs and new files in
 * their place. An error the outputs have and the originals did not is the run's doing, and is
 * reported where it is, with the compiler's message. Reads files; writes nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Project, ts, type Diagnostic as TsMorphDiagnostic, type SourceFile } from '../ts-morph.js';

export interface CheckedFile {
  readonly path: string;
  readonly original: string | undefined;
  readonly output: string;
}

export interface NewTypeError {
  readonly path: string;
  /** Offset in the output text. */
  readonly offset: number;
  /** The start of the statement that holds it, for the marker. */
  readonly anchor: number;
  readonly code: number;
  readonly message: string;
}

export interface TypeCheckOutcome {
  readonly errors: readonly NewTypeError[];
  /** Changed files no tsconfig or jsconfig covers: nothing checked them. */
  readonly unchecked: readonly string[];
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

export function newTypeErrors(files: readonly CheckedFile[], root: string): TypeCheckOutcome {
  const byConfig = new Map<string, CheckedFile[]>();
  const unchecked: string[] = [];
  for (const file of files) {
    const config = nearestConfig(file.path, root);
    if (config) byConfig.set(config, [...(byConfig.get(config) ?? []), file]);
    else unchecked.push(file.path);
  }
  const errors: NewTypeError[] = [];
  for (const [config, inConfig] of byConfig) {
    const result = compare(config, inConfig);
    errors.push(...result.errors);
    unchecked.push(...result.unchecked);
  }
  return { errors, unchecked };
}

function nearestConfig(file: string, root: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return undefined;
  }
}

/**
 * One ts-morph project over the tsconfig (ts-morph carries TypeScript's lib files), holding the
 * changed files and what they import. The outputs are checked first: most runs bring no error, and
 * then the originals need no check at all. Otherwise every file goes back to how it was (an error
 * may come from another file) and the failing files' errors are counted there.
 */
function compare(config: string, files: readonly CheckedFile[]): { errors: NewTypeError[]; unchecked: string[] } {
  let project: Project;
  let included: Set<string>;
  try {
    project = new Project({
      tsConfigFilePath: config,
      compilerOptions: { noEmit: true },
      skipAddingFilesFromTsConfig: true,
    });
    included = new Set(parsedFileNames(config));
  } catch {
    return { errors: [], unchecked: files.map((f) => f.path) };
  }
  const checked = files.filter((f) => f.original === undefined || included.has(path.resolve(f.path)));
  const unchecked = files.filter((f) => !checked.includes(f)).map((f) => f.path);
  for (const file of checked) project.createSourceFile(file.path, file.output, { overwrite: true });
  project.resolveSourceFileDependencies();
  const found = checked.flatMap((file) => {
    const sourceFile = project.getSourceFileOrThrow(file.path);
    return ownErrors(sourceFile).map((d) => {
      const offset = d.getStart() ?? 0;
      const error: NewTypeError = {
        path: file.path,
        offset,
        anchor: statementStart(sourceFile.compilerNode, offset),
        code: d.getCode(),
        message: messageOf(d),
      };
      return { file, error, key: keyOf(d) };
    });
  });
  if (found.length === 0) return { errors: [], unchecked };
  for (const file of checked) {
    if (file.original === undefined) project.getSourceFile(file.path)?.delete();
    else project.createSourceFile(file.path, file.original, { overwrite: true });
  }
  const before = new Map<string, Map<string, number>>();
  const errors: NewTypeError[] = [];
  for (const { file, error, key } of found) {
    let was = before.get(file.path);
    if (!was) before.set(file.path, (was = counted(project.getSourceFile(file.path))));
    const left = was.get(key) ?? 0;
    if (left > 0) was.set(key, left - 1);
    else errors.push(error);
  }
  return { errors, unchecked };
}

/** The files the tsconfig includes, by its own `include`, `exclude` and `files`. */
function parsedFileNames(config: string): string[] {
  const read = ts.readConfigFile(config, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(config));
  return parsed.fileNames.map((f) => path.resolve(f));
}

/** How often each error (by code and message, not position) occurs in the file before the run. */
function counted(sourceFile: SourceFile | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const diagnostic of sourceFile ? ownErrors(sourceFile) : []) {
    const key = keyOf(diagnostic);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The file's own errors: not the options' (a deprecated setting), which belong to no file. */
function ownErrors(sourceFile: SourceFile): TsMorphDiagnostic[] {
  return sourceFile
    .getPreEmitDiagnostics()
    .filter(
      (d) =>
        d.getCategory() === ts.DiagnosticCategory.Error &&
        d.getSourceFile()?.getFilePath() === sourceFile.getFilePath(),
    );
}

function keyOf(diagnostic: TsMorphDiagnostic): string {
  return `${diagnostic.getCode()} ${messageOf(diagnostic)}`;
}

function messageOf(diagnostic: TsMorphDiagnostic): string {
  const text = diagnostic.getMessageText();
  return ts.flattenDiagnosticMessageText(typeof text === 'string' ? text : text.compilerObject, ' ');
}

/** The start of the innermost statement holding `offset`: a marker goes on its own line above it. */
function statementStart(sourceFile: ts.SourceFile, offset: number): number {
  let found = offset;
  const visit = (node: ts.Node): void => {
    if (offset < node.getStart(sourceFile) || offset >= node.getEnd()) return;
    if (ts.isStatement(node) || ts.isClassElement(node)) found = node.getStart(sourceFile);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}
