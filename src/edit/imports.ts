/**
 * Import edits as text splices: names are merged into the file's existing import of a module,
 * keeping its quotes, line breaks and trailing commas; a new import follows the last one.
 */
import { Node, SyntaxKind, ts, type ImportDeclaration, type SourceFile } from '../ts-morph.js';
import { quote, type CodeStyle } from './code-style.js';
import { lineStartOf, type TextEdit } from './text-edits.js';

export interface ImportNeeds {
  readonly values: readonly string[];
  readonly types: readonly string[];
}

export function isTypeScriptFile(sourceFile: SourceFile): boolean {
  return /\.(ts|tsx|mts|cts)$/.test(sourceFile.getFilePath());
}

export function planImports(
  sourceFile: SourceFile,
  moduleName: string,
  needs: ImportNeeds,
  style: CodeStyle,
  removed: ReadonlySet<ImportDeclaration> = new Set(),
  localOf: (name: string) => string = (name) => name,
): TextEdit[] {
  const typed = isTypeScriptFile(sourceFile);
  const imported = importedNames(sourceFile, moduleName);
  const values = needs.values.filter((name) => !imported.has(localOf(name)));
  const types = typed ? needs.types.filter((name) => !imported.has(localOf(name))) : [];
  if (values.length === 0 && types.length === 0) return [];
  const semi = style.semi ? ';' : '';
  // `name as local` where the file declares `name` for something of its own.
  const aliased = (name: string, separator: string) =>
    localOf(name) === name ? name : `${name}${separator}${localOf(name)}`;

  if (isCommonJs(sourceFile)) {
    const bindings = values.map((n) => aliased(n, ': ')).join(', ');
    const line = `const { ${bindings} } = require(${quote(style, moduleName)})${semi}`;
    return [insertAfterPreamble(sourceFile, line)];
  }

  const existing = sourceFile
    .getImportDeclarations()
    .find(
      (d) =>
        d.getModuleSpecifierValue() === moduleName &&
        !d.isTypeOnly() &&
        d.getNamespaceImport() === undefined &&
        !removed.has(d),
    );
  const specifiers = [...values.map((n) => aliased(n, ' as ')), ...types.map((n) => `type ${aliased(n, ' as ')}`)];
  if (existing && (existing.getNamedImports().length > 0 || existing.getDefaultImport() === undefined)) {
    return [mergeInto(existing, specifiers)];
  }
  const line = `import { ${specifiers.join(', ')} } from ${quote(style, moduleName)}${semi}`;
  const imports = sourceFile.getImportDeclarations();
  const lastKept = imports.filter((d) => !removed.has(d)).at(-1);
  if (lastKept) return [{ start: lastKept.getEnd(), end: lastKept.getEnd(), text: `\n${line}` }];
  // Every import is going: the new one takes the place of the last, after its removed line.
  const lastRemoved = imports.at(-1);
  if (lastRemoved) {
    const at = lineEndAfter(sourceFile.getFullText(), lastRemoved.getEnd());
    return [{ start: at, end: at, text: `${line}\n` }];
  }
  return [insertAfterPreamble(sourceFile, line)];
}

/** Just past the line break that ends a statement at `end`, where one follows it. */
function lineEndAfter(text: string, end: number): number {
  return text[end] === '\n' ? end + 1 : end;
}

function importedNames(sourceFile: SourceFile, moduleName: string): Set<string> {
  const names = new Set<string>();
  for (const decl of sourceFile.getImportDeclarations()) {
    if (decl.getModuleSpecifierValue() !== moduleName) continue;
    for (const named of decl.getNamedImports()) names.add(named.getAliasNode()?.getText() ?? named.getName());
  }
  return names;
}

function mergeInto(decl: ImportDeclaration, specifiers: readonly string[]): TextEdit {
  const named = decl.getNamedImports();
  const last = named.at(-1);
  if (!last) {
    const open = decl.getFirstDescendantByKindOrThrow(SyntaxKind.OpenBraceToken);
    return { start: open.getEnd(), end: open.getEnd(), text: ` ${specifiers.join(', ')} ` };
  }
  const close = decl.getFirstDescendantByKindOrThrow(SyntaxKind.CloseBraceToken);
  const text = decl.getSourceFile().getFullText();
  const between = text.slice(last.getEnd(), close.getStart());
  const multiline = between.includes('\n');
  const trailingComma = between.includes(',');
  if (!multiline) return { start: last.getEnd(), end: last.getEnd(), text: specifiers.map((s) => `, ${s}`).join('') };
  const indent = /^[ \t]*/.exec(text.slice(lineStartOf(text, last.getStart()), last.getStart()))?.[0] ?? '  ';
  if (trailingComma) {
    const comma = last.getEnd() + between.indexOf(',') + 1;
    return { start: comma, end: comma, text: specifiers.map((s) => `\n${indent}${s},`).join('') };
  }
  return { start: last.getEnd(), end: last.getEnd(), text: specifiers.map((s) => `,\n${indent}${s}`).join('') };
}

export function isCommonJsFile(sourceFile: SourceFile): boolean {
  return isCommonJs(sourceFile);
}

function isCommonJs(sourceFile: SourceFile): boolean {
  if (sourceFile.getImportDeclarations().length > 0) return false;
  if (sourceFile.getFilePath().endsWith('.cjs')) return true;
  return sourceFile
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .some((call) => call.getExpression().getText() === 'require');
}

/** After the last top-level `require`/import, else before the first statement. */
function insertAfterPreamble(sourceFile: SourceFile, line: string): TextEdit {
  const statements = sourceFile.getStatements();
  const preamble = statements.filter(
    (s) =>
      Node.isImportDeclaration(s) || (Node.isVariableStatement(s) && /\brequire\(/.test(s.getText())) || isDirective(s),
  );
  const last = preamble.at(-1);
  if (last) return { start: last.getEnd(), end: last.getEnd(), text: `\n${line}` };
  const first = statements[0];
  const at = first ? startOfAttachedComments(sourceFile.getFullText(), first) : sourceFile.getFullText().length;
  return { start: at, end: at, text: `${line}\n\n` };
}

/** The statement's start, moved up over the comments written against it (its JSDoc): no blank line between. */
function startOfAttachedComments(text: string, statement: Node): number {
  let at = statement.getStart();
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  for (const comment of [...comments].reverse()) {
    if (/\n[ \t]*\r?\n/.test(text.slice(comment.end, at))) break;
    at = comment.pos;
  }
  return at;
}

function isDirective(statement: Node): boolean {
  return Node.isExpressionStatement(statement) && Node.isStringLiteral(statement.getExpression());
}

/**
 * Removes named imports that nothing will reference once `edits` are applied (result schemas the
 * rewritten asks consumed), and the whole declaration when it had nothing else. Planned on the
 * unedited tree: a reference survives if it lies outside every edited range or in inserted text.
 */
export function planPrunes(
  sourceFile: SourceFile,
  names: readonly string[],
  edits: readonly TextEdit[],
): { edits: TextEdit[]; removed: Set<ImportDeclaration> } {
  const result = { edits: [] as TextEdit[], removed: new Set<ImportDeclaration>() };
  if (names.length === 0) return result;
  const text = sourceFile.getFullText();
  for (const decl of sourceFile.getImportDeclarations()) {
    const named = decl.getNamedImports();
    const unused = named.filter((spec) => {
      const local = spec.getAliasNode()?.getText() ?? spec.getName();
      return names.includes(spec.getName()) && !survives(sourceFile, local, decl, edits);
    });
    if (unused.length === 0) continue;
    if (unused.length === named.length && !decl.getDefaultImport() && !decl.getNamespaceImport()) {
      const start = lineStartOf(text, decl.getStart());
      const end = lineEndAfter(text, decl.getEnd());
      result.edits.push({ start, end, text: '' });
      result.removed.add(decl);
      continue;
    }
    for (const spec of unused) {
      const index = named.indexOf(spec);
      const next = named[index + 1];
      const prev = named[index - 1];
      // Take the comma on one side so the list stays well formed.
      if (next) result.edits.push({ start: spec.getStart(), end: next.getStart(), text: '' });
      else if (prev) result.edits.push({ start: prev.getEnd(), end: spec.getEnd(), text: '' });
    }
  }
  return result;
}

function survives(
  sourceFile: SourceFile,
  name: string,
  exceptIn: ImportDeclaration,
  edits: readonly TextEdit[],
): boolean {
  const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
  if (edits.some((edit) => word.test(edit.text))) return true;
  return sourceFile
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .some(
      (id) =>
        id.getText() === name &&
        !exceptIn.containsRange(id.getPos(), id.getEnd()) &&
        !edits.some((e) => e.start <= id.getStart() && id.getEnd() <= e.end),
    );
}
