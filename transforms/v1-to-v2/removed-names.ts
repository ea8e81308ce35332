/**
 * No output may reference a name the run removed. The official transforms drop imports that have
 * no v2 equivalent; code still naming one would throw a ReferenceError when the module loads. Such
 * a name gets its import back, from where it came, and an error says it still needs replacing.
 */
import { Node, SyntaxKind, type SourceFile } from '../../src/ts-morph.js';
import { enclosingStatementOf } from '../../src/analysis/ask-sites.js';
import { declarationOf, isPropertyName } from '../../src/analysis/resolve.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { escapeRegExp } from '../../src/text/regexp.js';

export interface ImportedName {
  readonly local: string;
  /** How it was imported: `Name`, `Name as local`, `default`, `* as local`. */
  readonly imported: string;
  readonly module: string;
  readonly typeOnly: boolean;
}

/** Every binding the file's import declarations make, before anything changes. */
export function importedNames(sourceFile: SourceFile): ImportedName[] {
  return sourceFile.getImportDeclarations().flatMap((decl) => {
    const module = decl.getModuleSpecifierValue();
    const typeOnly = decl.isTypeOnly();
    const named = decl.getNamedImports().map((spec) => ({
      local: spec.getAliasNode()?.getText() ?? spec.getName(),
      imported: spec.getText().replace(/^type\s+/, ''),
      module,
      typeOnly: typeOnly || spec.isTypeOnly(),
    }));
    const byDefault = decl.getDefaultImport();
    const namespace = decl.getNamespaceImport();
    return [
      ...named,
      ...(byDefault ? [{ local: byDefault.getText(), imported: 'default', module, typeOnly }] : []),
      ...(namespace ? [{ local: namespace.getText(), imported: '*', module, typeOnly }] : []),
    ];
  });
}

/** Puts back the imports of names still used that nothing declares any more; returns what it restored. */
export function restoreRemovedNames(
  sourceFile: SourceFile,
  before: readonly ImportedName[],
): { changes: number; diagnostics: () => PendingDiagnostic[] } {
  // Only a name whose binding is gone can be missing; most imports are only moved to v2's packages.
  const bound = new Set(importedNames(sourceFile).map((name) => name.local));
  const text = sourceFile.getFullText();
  const missing = before.filter(
    (name) =>
      !name.typeOnly &&
      !bound.has(name.local) &&
      new RegExp(`\\b${escapeRegExp(name.local)}\\b`).test(text) &&
      unresolvedUses(sourceFile, name.local).length > 0,
  );
  if (missing.length === 0) return { changes: 0, diagnostics: () => [] };
  const byModule = new Map<string, ImportedName[]>();
  for (const name of missing) byModule.set(name.module, [...(byModule.get(name.module) ?? []), name]);
  const at = sourceFile.getImportDeclarations().length;
  for (const [module, names] of byModule) {
    const named = names.filter((n) => n.imported !== 'default' && n.imported !== '*').map((n) => n.imported);
    const byDefault = names.find((n) => n.imported === 'default')?.local;
    const namespace = names.find((n) => n.imported === '*')?.local;
    sourceFile.insertImportDeclaration(at, {
      moduleSpecifier: module,
      ...(named.length > 0 ? { namedImports: named } : {}),
      ...(byDefault ? { defaultImport: byDefault } : {}),
      ...(namespace ? { namespaceImport: namespace } : {}),
    });
  }
  const diagnostics = () =>
    missing.map((name) => {
      const use = sourceFile
        .getDescendantsOfKind(SyntaxKind.Identifier)
        .find(
          (id) =>
            id.getText() === name.local &&
            !isPropertyName(id) &&
            !id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration),
        )!;
      return pending(
        'mrtr/removed-name-used',
        { name: name.local, module: name.module },
        { start: use.getStart(), end: use.getEnd(), anchor: enclosingStatementOf(use).getStart() },
      );
    });
  return { changes: byModule.size, diagnostics };
}

/** References to `name` that resolve to no declaration of the file. */
function unresolvedUses(sourceFile: SourceFile, name: string): Node[] {
  return sourceFile
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id.getText() === name && !isPropertyName(id) && !isDeclarationName(id) && !inType(id))
    .filter((id) => declarationOf(id) === undefined);
}

/** A type position: a missing name there fails the type check, not the module's loading. */
function inType(id: Node): boolean {
  return id.getFirstAncestor((n) => Node.isTypeNode(n) || Node.isJSDoc(n)) !== undefined;
}

function isDeclarationName(id: Node): boolean {
  const parent = id.getParent();
  return (
    parent !== undefined &&
    (Node.isShorthandPropertyAssignment(parent)
      ? false
      : 'getNameNode' in parent && (parent as { getNameNode(): Node }).getNameNode() === id)
  );
}
