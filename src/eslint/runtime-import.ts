/**
 * The runtime module a migrated file already imports (`./mrtr-request-state.js`), and what the copy
 * on disk exports: a fix may use a runtime function only where the project's copy has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../ts-morph.js';
import { detectCodeStyle } from '../edit/code-style.js';
import { planImports } from '../edit/imports.js';
import type { TextEdit } from '../edit/text-edits.js';

const RUNTIME_SPECIFIER = /^\.{1,2}\/(.*\/)?mrtr-request-state(\.[cm]?[jt]s)?$/;

export interface RuntimeImport {
  readonly specifier: string;
  /** Whether the project's copy exports `name`. */
  has(name: string): boolean;
  /** The import edits that bring `names` into the file (none for those it imports already). */
  importing(names: readonly string[], localOf?: (name: string) => string): TextEdit[];
}

export function runtimeImportOf(file: SourceFile): RuntimeImport | undefined {
  const specifier = file
    .getImportDeclarations()
    .map((d) => d.getModuleSpecifierValue())
    .find((s) => RUNTIME_SPECIFIER.test(s));
  if (!specifier) return undefined;
  const source = moduleSource(path.resolve(path.dirname(file.getFilePath()), specifier));
  if (source === undefined) return undefined;
  return {
    specifier,
    has: (name) => new RegExp(`export (async )?(function|const|let|class|interface|type) ${name}\\b`).test(source),
    importing: (names, localOf) =>
      planImports(
        file,
        specifier,
        { values: names, types: [] },
        detectCodeStyle(file.getFullText()),
        new Set(),
        localOf,
      ),
  };
}

/** Names the file imports from the runtime module that the project's copy does not export. */
export function missingRuntimeNames(file: SourceFile): string[] {
  const runtime = runtimeImportOf(file);
  if (!runtime) return [];
  return file
    .getImportDeclarations()
    .filter((d) => d.getModuleSpecifierValue() === runtime.specifier)
    .flatMap((d) => d.getNamedImports().map((n) => n.getName()))
    .filter((name) => !runtime.has(name));
}

/** The module's text, found as TypeScript's resolution of a `.js` specifier finds it. */
function moduleSource(resolved: string): string | undefined {
  const base = resolved.replace(/\.[cm]?[jt]s$/, '');
  for (const extension of ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']) {
    const candidate = base + extension;
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  return undefined;
}
