/**
 * Name resolution without the type checker: lexical scopes within a file, and relative imports
 * followed by parsing the imported file. It answers the questions the analysis asks (where is
 * this declared, which function does this call reach) at a fraction of a type-checked program's
 * cost, so only the files that ask for input are ever parsed.
 */
import { existsSync } from 'node:fs';
import {
  Node,
  SyntaxKind,
  type Identifier,
  type PropertyAccessExpression,
  type SourceFile,
  type VariableDeclarationList,
} from '../ts-morph.js';
import { isFunctionLike, type FunctionLikeNode } from './functions.js';
import { importCandidates } from './module-paths.js';

/** The declaration `name` refers to from `from`, searching enclosing scopes outwards. */
export function declarationOf(identifier: Identifier): Node | undefined {
  const name = identifier.getText();
  for (let scope: Node | undefined = identifier.getParent(); scope; scope = scope.getParent()) {
    const found = declaredIn(scope, name, identifier);
    if (found) return found;
  }
  return undefined;
}

/** Declarations a scope-creating node introduces for `name` (hoisted functions included). */
function declaredIn(scope: Node, name: string, from: Node): Node | undefined {
  if (isFunctionLike(scope)) {
    for (const parameter of scope.getParameters()) {
      const found = bindingNamed(parameter.getNameNode(), name);
      if (found) return found;
    }
    if (Node.isFunctionExpression(scope) && scope.getName() === name) return scope;
  }
  if (Node.isCatchClause(scope)) {
    const variable = scope.getVariableDeclaration();
    if (variable) return bindingNamed(variable.getNameNode(), name);
  }
  if (
    (Node.isForOfStatement(scope) || Node.isForInStatement(scope) || Node.isForStatement(scope)) &&
    scope.getInitializer() &&
    Node.isVariableDeclarationList(scope.getInitializer())
  ) {
    for (const declaration of (scope.getInitializer() as VariableDeclarationList).getDeclarations()) {
      const found = bindingNamed(declaration.getNameNode(), name);
      if (found) return found;
    }
  }
  if (Node.isClassDeclaration(scope) || Node.isClassExpression(scope)) {
    if (scope.getName() === name && from !== scope) return scope;
  }
  if (!(
    Node.isBlock(scope) ||
    Node.isSourceFile(scope) ||
    Node.isCaseClause(scope) ||
    Node.isDefaultClause(scope) ||
    Node.isModuleBlock(scope)
  ))
    return undefined;
  for (const statement of scope.getStatements()) {
    if (Node.isVariableStatement(statement)) {
      for (const declaration of statement.getDeclarations()) {
        const found = bindingNamed(declaration.getNameNode(), name);
        if (found) return found;
      }
    } else if (
      (Node.isFunctionDeclaration(statement) ||
        Node.isClassDeclaration(statement) ||
        Node.isEnumDeclaration(statement)) &&
      statement.getName() === name
    ) {
      return statement;
    } else if (Node.isImportDeclaration(statement)) {
      for (const specifier of statement.getNamedImports()) {
        if ((specifier.getAliasNode()?.getText() ?? specifier.getName()) === name) return specifier;
      }
      if (statement.getDefaultImport()?.getText() === name) return statement.getDefaultImport();
      if (statement.getNamespaceImport()?.getText() === name) return statement.getNamespaceImport();
    }
  }
  return undefined;
}

function bindingNamed(nameNode: Node, name: string): Node | undefined {
  if (Node.isIdentifier(nameNode)) return nameNode.getText() === name ? nameNode.getParent() : undefined;
  for (const element of nameNode.getDescendantsOfKind(SyntaxKind.BindingElement)) {
    if (element.getName() === name) return element;
  }
  return undefined;
}

/** `x` in `a.x` or `{ x: … }`: a property's name, not a reference to a binding. */
export function isPropertyName(id: Node): boolean {
  const parent = id.getParent();
  return (
    (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) ||
    (Node.isPropertyAssignment(parent) && parent.getNameNode() === id)
  );
}

/** Whether `identifier` is declared outside `scope` (module, closure or global). */
export function isDeclaredOutside(identifier: Identifier, scope: Node): boolean {
  const declaration = declarationOf(identifier);
  if (!declaration) return true;
  if (declaration.getSourceFile() !== scope.getSourceFile()) return true;
  return !(scope.getPos() <= declaration.getPos() && declaration.getEnd() <= scope.getEnd());
}

/** The module an identifier was imported from, if it was. */
export function importOf(identifier: Identifier): { specifier: string; name: string } | undefined {
  const declaration = declarationOf(identifier);
  const importDeclaration = declaration?.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
  if (!declaration || !importDeclaration) return undefined;
  const name = Node.isImportSpecifier(declaration) ? declaration.getName() : 'default';
  return { specifier: importDeclaration.getModuleSpecifierValue(), name };
}

/** The module an identifier was imported from, or required from in CommonJS (`const { x } = require('m')`). */
export function moduleBindingOf(identifier: Identifier): { specifier: string; name: string } | undefined {
  const imported = importOf(identifier);
  if (imported) return imported;
  const declaration = declarationOf(identifier);
  return declaration ? requiredExport(declaration) : undefined;
}

/**
 * The function a callee reaches in project code: `f`, `obj.method` (object literals and
 * classes), and both through relative imports. Packages and `.d.ts` files are not followed.
 */
export function resolveCallee(callee: Node, depth = 0): FunctionLikeNode | undefined {
  if (depth > 4) return undefined;
  if (Node.isIdentifier(callee)) return functionOf(valueOf(callee, depth), depth);
  if (Node.isPropertyAccessExpression(callee)) {
    const member = callee.getName();
    const receiver = callee.getExpression();
    if (receiver.getKind() === SyntaxKind.ThisKeyword) {
      const owner = callee.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n));
      return owner ? memberFunction(owner, member) : undefined;
    }
    const target = Node.isIdentifier(receiver)
      ? valueOf(receiver, depth)
      : Node.isPropertyAccessExpression(receiver)
        ? objectOf(receiver, depth)
        : undefined;
    return target ? memberFunction(target, member) : undefined;
  }
  return undefined;
}

/** The declaration an identifier's value comes from, across relative imports. */
export function valueOf(identifier: Identifier, depth = 0): Node | undefined {
  const declaration = declarationOf(identifier);
  if (!declaration) return undefined;
  const required = requiredExport(declaration);
  if (required) {
    const file = importedFile(identifier.getSourceFile(), required.specifier);
    return file ? exportedDeclaration(file, required.name, depth + 1) : undefined;
  }
  if (Node.isImportSpecifier(declaration) || Node.isImportClause(declaration) || Node.isIdentifier(declaration)) {
    const imported = importOf(identifier);
    const file = imported && importedFile(identifier.getSourceFile(), imported.specifier);
    return file ? exportedDeclaration(file, imported.name, depth + 1) : undefined;
  }
  return declaration;
}

/** `a.b` where `a` is an object literal: the value of `b`; `this.b`: the class's declaration of `b`. */
function objectOf(access: PropertyAccessExpression, depth: number): Node | undefined {
  const receiver = access.getExpression();
  if (receiver.getKind() === SyntaxKind.ThisKeyword) {
    const owner = access.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n));
    if (!owner || !(Node.isClassDeclaration(owner) || Node.isClassExpression(owner))) return undefined;
    const name = access.getName();
    // A property, or a constructor parameter property (`constructor(private readonly manager: Manager)`).
    return (
      owner.getProperty(name) ??
      owner
        .getConstructors()
        .flatMap((c) => c.getParameters())
        .find((p) => p.isParameterProperty() && p.getName() === name)
    );
  }
  const owner = Node.isIdentifier(receiver) ? valueOf(receiver, depth) : undefined;
  const literal = owner && Node.isVariableDeclaration(owner) ? owner.getInitializer() : undefined;
  if (!literal || !Node.isObjectLiteralExpression(literal)) return undefined;
  const property = literal.getProperty(access.getName());
  return property && Node.isPropertyAssignment(property) ? property.getInitializer() : property;
}

function memberFunction(owner: Node, member: string, depth = 0): FunctionLikeNode | undefined {
  let target: Node | undefined = owner;
  // A variable, property or parameter: what it is set to, else the class its declared type names
  // (`let manager: ElicitationManager | undefined`, set later by a setter).
  if (Node.isVariableDeclaration(target) || Node.isPropertyDeclaration(target) || Node.isParameterDeclaration(target))
    target = target.getInitializer() ?? declaredClass(target);
  if (target && Node.isNewExpression(target)) {
    const className = target.getExpression();
    target = Node.isIdentifier(className) ? valueOf(className) : undefined;
  }
  if (target && Node.isObjectLiteralExpression(target)) {
    const property = target.getProperty(member);
    if (property && Node.isMethodDeclaration(property)) return property.getBody() ? property : undefined;
    if (property && Node.isPropertyAssignment(property)) return functionOf(property.getInitializer(), 0);
    return undefined;
  }
  if (target && (Node.isClassDeclaration(target) || Node.isClassExpression(target))) {
    const method = target.getMethod(member);
    if (method) return method.getBody() ? method : undefined;
    // `private archive = async () => {…}`
    const property = functionOf(target.getProperty(member)?.getInitializer(), 0);
    if (property || depth > 3) return property;
    // `class Ops extends Base`: a member the class inherits from a class of the project.
    const base = target
      .getHeritageClauses()
      .find((h) => h.getToken() === SyntaxKind.ExtendsKeyword)
      ?.getTypeNodes()[0];
    const baseName = base?.getExpression();
    return baseName && Node.isIdentifier(baseName)
      ? memberFunction(valueOf(baseName) ?? baseName, member, depth + 1)
      : undefined;
  }
  return undefined;
}

/** The project class a declaration's type names, alone or with `undefined`/`null` in a union. */
function declaredClass(declaration: Node): Node | undefined {
  const typeNode =
    Node.isVariableDeclaration(declaration) ||
    Node.isPropertyDeclaration(declaration) ||
    Node.isParameterDeclaration(declaration)
      ? declaration.getTypeNode()
      : undefined;
  if (!typeNode) return undefined;
  const members = Node.isUnionTypeNode(typeNode) ? typeNode.getTypeNodes() : [typeNode];
  const named = members.filter((m) => !/^(undefined|null)$/.test(m.getText()));
  const [only] = named;
  if (named.length !== 1 || !Node.isTypeReference(only)) return undefined;
  const name = only.getTypeName();
  const found = Node.isIdentifier(name) ? valueOf(name) : undefined;
  return found && (Node.isClassDeclaration(found) || Node.isClassExpression(found)) ? found : undefined;
}

function functionOf(node: Node | undefined, depth: number): FunctionLikeNode | undefined {
  if (!node) return undefined;
  if (isFunctionLike(node)) {
    if (node.getBody()) return node;
    // An overload signature: the implementation is what runs.
    return Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node) ? node.getImplementation() : undefined;
  }
  if (Node.isVariableDeclaration(node)) {
    const init = node.getInitializer();
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return init;
    if (init && Node.isIdentifier(init)) return functionOf(valueOf(init, depth + 1), depth + 1);
  }
  return undefined;
}

/** The whole `module.exports` value, as a name for `exportedDeclaration`. */
const MODULE_EXPORTS = 'module.exports';

/** `const { name } = require('./x')` or `const name = require('./x')`: which module, and which of its exports. */
function requiredExport(declaration: Node): { specifier: string; name: string } | undefined {
  const element = Node.isBindingElement(declaration) ? declaration : undefined;
  const variable = element
    ? element.getFirstAncestorByKind(SyntaxKind.VariableDeclaration)
    : Node.isVariableDeclaration(declaration)
      ? declaration
      : undefined;
  const init = variable?.getInitializer();
  if (!variable || !init || !Node.isCallExpression(init) || init.getExpression().getText() !== 'require')
    return undefined;
  const [argument] = init.getArguments();
  if (!argument || !Node.isStringLiteral(argument)) return undefined;
  if (!element)
    return Node.isIdentifier(variable.getNameNode())
      ? { specifier: argument.getLiteralValue(), name: MODULE_EXPORTS }
      : undefined;
  // Only a binding directly in the pattern: `{ a: { b } }` reads a property of an export.
  if (element.getParent()?.getParent() !== variable) return undefined;
  return { specifier: argument.getLiteralValue(), name: element.getPropertyNameNode()?.getText() ?? element.getName() };
}

/** `module.exports = { name }`, `module.exports.name = value`, `exports.name = value`: the value exported as `name`. */
function commonJsExport(statement: Node, name: string): Node | undefined {
  if (!Node.isExpressionStatement(statement)) return undefined;
  const assignment = statement.getExpression();
  if (!Node.isBinaryExpression(assignment) || assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken)
    return undefined;
  const target = assignment.getLeft().getText().replace(/\s+/g, '');
  const value = assignment.getRight();
  if (target === `exports.${name}` || target === `${MODULE_EXPORTS}.${name}`) return value;
  if (target === MODULE_EXPORTS && name === MODULE_EXPORTS) return value;
  if (target !== MODULE_EXPORTS || !Node.isObjectLiteralExpression(value)) return undefined;
  const property = value.getProperty(name);
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  if (Node.isPropertyAssignment(property)) return property.getInitializer();
  return property && Node.isMethodDeclaration(property) ? property : undefined;
}

/** A relative import's file, added to the project (parsed only, never type-checked). */
export function importedFile(from: SourceFile, specifier: string): SourceFile | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const file = importCandidates(from.getFilePath(), specifier).find(
    (candidate) => /\.[cm]?[jt]sx?$/.test(candidate) && !candidate.endsWith('.d.ts') && existsSync(candidate),
  );
  if (!file) return undefined;
  const project = from.getProject();
  return project.getSourceFile(file) ?? project.addSourceFileAtPathIfExists(file);
}

/**
 * The declaration a module exports under `name` (`default` for the default export), read from the
 * syntax: ts-morph's `isExported()` falls back to the type checker, which rebuilt a program for
 * every file the run added and was most of guard-first's time on real-shaped trees.
 */
export function exportedDeclaration(file: SourceFile, name: string, depth = 0): Node | undefined {
  if (depth > 4) return undefined;
  for (const statement of file.getStatements()) {
    if (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement)) {
      const exported =
        statement.hasExportKeyword() &&
        (name === 'default' ? statement.hasDefaultKeyword() : statement.getName() === name);
      if (exported) return statement;
    }
    if (Node.isVariableStatement(statement) && statement.hasExportKeyword()) {
      const declaration = statement.getDeclarations().find((d) => d.getName() === name);
      if (declaration) return declaration;
    }
    if (Node.isExportAssignment(statement) && name === 'default' && !statement.isExportEquals()) {
      const expression = statement.getExpression();
      return Node.isIdentifier(expression) ? valueOf(expression, depth + 1) : expression;
    }
    const commonJs = commonJsExport(statement, name);
    if (commonJs) return Node.isIdentifier(commonJs) ? valueOf(commonJs, depth + 1) : commonJs;
    if (Node.isExportDeclaration(statement)) {
      const specifier = statement.getNamedExports().find((e) => (e.getAliasNode()?.getText() ?? e.getName()) === name);
      if (!specifier) continue;
      const moduleName = statement.getModuleSpecifierValue();
      if (moduleName) {
        const next = importedFile(file, moduleName);
        return next ? exportedDeclaration(next, specifier.getName(), depth + 1) : undefined;
      }
      const local = file.getFirstDescendant(
        (n) => Node.isIdentifier(n) && n.getText() === specifier.getName() && n.getParent() !== specifier,
      );
      return local && Node.isIdentifier(local) ? valueOf(local, depth + 1) : undefined;
    }
  }
  return undefined;
}
