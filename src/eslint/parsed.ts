/**
 * The linted text, parsed by the tool's own engine (ts-morph, no type-check) once per file and
 * shared by the plugin's rules: they run the tool's analysis on it, not a copy written for ESTree.
 */
import path from 'node:path';
import type { Rule, SourceCode } from 'eslint';
import type { SourceFile } from '../ts-morph.js';
import { createProject, scriptKindFor } from '../engine/migrate-file.js';

const project = createProject();
let current: { readonly code: SourceCode; readonly file: SourceFile } | undefined;

/** A module the codemod writes into projects: its own calls are the runtime, not the user's code. */
const RUNTIME_MODULE = /(^|[\\/])mrtr-(request-state|steps)\.[cm]?[jt]s$/;

/**
 * Files the rules leave alone: the runtime module, and files that are not JavaScript or TypeScript (a
 * `.vue` or `.md` file another plugin hands on whole). A name with no extension is stdin's.
 */
export function isSkipped(filename: string): boolean {
  return RUNTIME_MODULE.test(filename) || (!/\.[cm]?[jt]sx?$/.test(filename) && /\.\w+$/.test(filename));
}

export function parsedFile(context: Rule.RuleContext): SourceFile {
  const code = context.sourceCode;
  if (current?.code === code) return current.file;
  if (current) project.removeSourceFile(current.file);
  const name = /\.[cm]?[jt]sx?$/.test(context.filename) ? context.filename : `${context.filename}.ts`;
  const file = project.createSourceFile(path.resolve(context.cwd, name), code.text, {
    overwrite: true,
    scriptKind: scriptKindFor(name),
  });
  current = { code, file };
  return file;
}

/** ESLint's location of a range of offsets in the linted text. */
export function locOf(code: SourceCode, start: number, end: number): { start: Position; end: Position } {
  return { start: code.getLocFromIndex(start), end: code.getLocFromIndex(end) };
}

type Position = ReturnType<SourceCode['getLocFromIndex']>;
