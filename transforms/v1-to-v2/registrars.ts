/**
 * Registration calls the official transforms misread. They upgrade every `x.tool(...)` to
 * `x.registerTool(...)` by name, so a project's own method called `tool` is rewritten into a call
 * of a method that does not exist; they never see `const register = server.tool.bind(server)`,
 * whose calls then reach v2's McpServer, which has no `tool()`; and they leave a call whose name is
 * not a literal (`server.tool(def.name, …)`, a forwarder's parameter) for a hand to migrate.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../../src/ts-morph.js';
import { declarationOf, resolveCallee } from '../../src/analysis/resolve.js';

const V1_REGISTRARS = new Set(['tool', 'prompt', 'resource']);
const HIDDEN = '__mrtrOwnRegistrar_';
const NAME = '__mrtrRegistrationName_';

/**
 * `this.tool(name, description, handler)` where `tool` is a method of the project: renamed out of
 * the official transforms' way. Returns the function that puts the names back.
 */
export function hideOwnRegistrars(sourceFile: SourceFile): () => void {
  const hidden: string[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !V1_REGISTRARS.has(callee.getName())) continue;
    if (!resolveCallee(callee)) continue;
    hidden.push(callee.getName());
    callee.getNameNode().replaceWithText(`${HIDDEN}${callee.getName()}`);
  }
  if (hidden.length === 0) return () => undefined;
  return () => {
    for (const name of sourceFile.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (name.getText().startsWith(HIDDEN)) name.replaceWithText(name.getText().slice(HIDDEN.length));
    }
  };
}

/**
 * `const register = server.tool.bind(server); register('x', …)` ⇒ `server.tool('x', …)`, which
 * the official transforms then upgrade, when every use of `register` is such a call and the
 * receiver means the same at each of them (`this` through arrow functions only).
 */
export function inlineBoundRegistrars(sourceFile: SourceFile): number {
  let inlined = 0;
  for (const declaration of sourceFile.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const receiver = boundRegistrar(declaration.getInitializer());
    const name = declaration.getNameNode();
    const statement = declaration.getVariableStatement();
    if (!receiver || !Node.isIdentifier(name) || !statement || statement.getDeclarations().length !== 1) continue;
    const scope = statement.getParentOrThrow();
    const uses = scope
      .getDescendantsOfKind(SyntaxKind.Identifier)
      .filter((use) => use !== name && use.getText() === name.getText() && declarationOf(use) === declaration);
    const calls = uses.map((use) => use.getParent()).filter((p): p is CallExpression => Node.isCallExpression(p));
    if (
      uses.length === 0 ||
      calls.length !== uses.length ||
      calls.some((c) => !sameReceiver(c, declaration, receiver.text))
    )
      continue;
    for (const call of calls) call.getExpression().replaceWithText(`${receiver.text}.${receiver.method}`);
    statement.remove();
    inlined++;
  }
  return inlined;
}

/** `x.tool.bind(x)` (with the same `x` twice): the receiver and the method. */
function boundRegistrar(initializer: Node | undefined): { text: string; method: string } | undefined {
  if (!initializer || !Node.isCallExpression(initializer)) return undefined;
  const bind = initializer.getExpression();
  if (!Node.isPropertyAccessExpression(bind) || bind.getName() !== 'bind') return undefined;
  const method = bind.getExpression();
  if (!Node.isPropertyAccessExpression(method) || !V1_REGISTRARS.has(method.getName())) return undefined;
  const receiver = method.getExpression().getText();
  const [bound] = initializer.getArguments();
  if (!bound || bound.getText() !== receiver || !/^(this|[\w$]+)(\.[\w$]+)*$/.test(receiver)) return undefined;
  return { text: receiver, method: method.getName() };
}

/** The receiver means the same at the call: no function in between rebinds `this`. */
function sameReceiver(call: CallExpression, declaration: Node, receiver: string): boolean {
  // A named receiver is taken to be the same variable: shadowing a server's name in a closure is rare.
  if (!receiver.startsWith('this')) return true;
  const scope = declaration.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n));
  for (let node = call.getParent(); node && node !== scope; node = node.getParent()) {
    if (Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node))
      return false;
  }
  return true;
}

/**
 * `server.tool(def.name, …)`: the name stands in as a string while the official transforms read
 * the other arguments, which are what decide the upgrade. Returns the function that puts it back.
 */
export function literalNames(sourceFile: SourceFile): () => void {
  const names: string[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const [name, ...rest] = call.getArguments();
    if (!Node.isPropertyAccessExpression(callee) || !V1_REGISTRARS.has(callee.getName()) || rest.length === 0) continue;
    if (!name || Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) || Node.isSpreadElement(name))
      continue;
    names.push(name.getText());
    name.replaceWithText(`'${NAME}${names.length - 1}'`);
  }
  if (names.length === 0) return () => undefined;
  return () => {
    for (const literal of sourceFile.getDescendantsOfKind(SyntaxKind.StringLiteral)) {
      const value = literal.getLiteralValue();
      if (value.startsWith(NAME)) literal.replaceWithText(names[Number(value.slice(NAME.length))]);
    }
  };
}
