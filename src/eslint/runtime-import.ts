/**
 * The runtime module a migrated file already takes names from (`./mrtr-request-state.js`, imported
 * or required), and what the copy on disk exports: a fix may use a runtime function only where the
 * project's copy has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Node, SyntaxKind, type SourceFile } from '../ts-morph.js';
import { importCandidates } from '../analysis/module-paths.js';
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

/** What the file takes from the runtime module: `import { a } from '…'` or `const { a } = require('…')`. */
function runtimeBindings(file: SourceFile): { specifier: string; names: string[] }[] {
  const imported = file
    .getImportDeclarations()
    .filter((d) => RUNTIME_SPECIFIER.test(d.getModuleSpecifierValue()) && !d.isTypeOnly())
    .map((d) => ({
      specifier: d.getModuleSpecifierValue(),
      names: d
        .getNamedImports()
        .filter((n) => !n.isTypeOnly())
        .map((n) => n.getName()),
    }));
  const required = file.getDescendantsOfKind(SyntaxKind.VariableDeclaration).flatMap((declaration) => {
    const init = declaration.getInitializer();
    const argument = init && Node.isCallExpression(init) ? init.getArguments()[0] : undefined;
    const pattern = declaration.getNameNode();
    if (
      !init ||
      !Node.isCallExpression(init) ||
      init.getExpression().getText() !== 'require' ||
      !argument ||
      !Node.isStringLiteral(argument) ||
      !RUNTIME_SPECIFIER.test(argument.getLiteralValue()) ||
      !Node.isObjectBindingPattern(pattern)
    )
      return [];
    const names = pattern.getElements().map((e) => e.getPropertyNameNode()?.getText() ?? e.getName());
    return [{ specifier: argument.getLiteralValue(), names }];
  });
  return [...imported, ...required];
}

/** The project's copy of the module `specifier` names, as exports `has` can be asked about. */
function exportsOf(file: SourceFile, specifier: string): ((name: string) => boolean) | undefined {
  const found = importCandidates(file.getFilePath(), specifier).find((candidate) => existsSync(candidate));
  if (found === undefined) return undefined;
  const source = readFileSync(found, 'utf8');
  // ES module source, or the CommonJS the module is written as in a CommonJS project (`exports.name = name`).
  return (name) =>
    new RegExp(`export (async )?(function|const|let|class|interface|type) ${name}\\b|\\bexports\\.${name}\\s*=`).test(
      source,
    );
}

export function runtimeImportOf(file: SourceFile): RuntimeImport | undefined {
  const binding = runtimeBindings(file)[0];
  const has = binding && exportsOf(file, binding.specifier);
  if (!binding || !has) return undefined;
  return {
    specifier: binding.specifier,
    has,
    importing: (names, localOf) =>
      planImports(
        file,
        binding.specifier,
        { values: names, types: [] },
        detectCodeStyle(file.getFullText()),
        new Set(),
        localOf,
      ),
  };
}

/** Names the file takes from the runtime module that the project's copy does not export (all, if there is none). */
export function missingRuntimeNames(file: SourceFile): string[] {
  return runtimeBindings(file).flatMap(({ specifier, names }) => {
    const has = exportsOf(file, specifier);
    return names.filter((name) => !has?.(name));
  });
}
