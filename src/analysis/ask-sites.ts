/**
 * Where an ask sits relative to the handler that serves the request: directly in its body (a
 * guard can replace it), or somewhere the guard-first rewrite cannot reach (helper, loop, try,
 * callback, outside any request), which is reported with the rule that names the shape.
 */
import { Node, SyntaxKind, type Expression, type SourceFile, type Statement } from '../ts-morph.js';
import type { RuleId } from '../diagnostics/rules.js';
import { functionName, isFunctionLike, type FunctionLikeNode } from './functions.js';
import { findHandlerRegistrations, type HandlerRegistration } from './handlers.js';
import { findInputPoints, type InputPoint } from './input-points.js';
import { declarationOf } from './resolve.js';

export interface AskBinding {
  readonly declarationKind: 'const' | 'let' | 'var';
  /** The name or destructuring pattern, as written. */
  readonly nameNode: Node;
  readonly typeText: string | undefined;
}

export interface RewritableAsk {
  readonly status: 'rewritable';
  readonly point: InputPoint;
  readonly handler: HandlerRegistration;
  /** The statement that contains the ask, a descendant of the handler body through blocks and branches only. */
  readonly statement: Statement;
  /** The expression whose value is the ask's result (the `await`, or the call in `return ask()`). */
  readonly awaited: Expression;
  /** Set when the statement is exactly `const x = await ask(...)`. */
  readonly binding: AskBinding | undefined;
  /** True when the statement is exactly `await ask(...);`. */
  readonly bare: boolean;
}

export interface BlockedAsk {
  readonly status: 'blocked';
  readonly point: InputPoint;
  readonly handler: HandlerRegistration | undefined;
  readonly ruleId: RuleId;
  readonly data: Readonly<Record<string, string>>;
  /** The statement the marker goes above. */
  readonly anchor: Node;
}

export type AskSite = RewritableAsk | BlockedAsk;

export interface FileAskSites {
  readonly sites: AskSite[];
  readonly handlers: Map<FunctionLikeNode, HandlerRegistration>;
}

export function findAskSites(sourceFile: SourceFile): FileAskSites {
  const handlers = findHandlerRegistrations(sourceFile);
  const sites = findInputPoints(sourceFile).map((point) => locate(point, handlers));
  return { sites, handlers };
}

function locate(point: InputPoint, handlers: Map<FunctionLikeNode, HandlerRegistration>): AskSite {
  const kind = point.kind;
  const anchor = enclosingStatementOf(point.call);
  const owner = enclosingFunction(point.call);
  const blocked = (ruleId: RuleId, data: Record<string, string>, handler?: HandlerRegistration): BlockedAsk => ({
    status: 'blocked',
    point,
    handler,
    ruleId,
    data: { kind, ...data },
    anchor,
  });
  if (!owner) return blocked('mrtr/ask-outside-request', { where: 'module top level' });
  // A timer or event callback runs after (or apart from) any request, even inside a handler.
  for (let fn: FunctionLikeNode | undefined = owner; fn && !handlers.has(fn); fn = enclosingFunction(fn)) {
    const event = eventRegistration(fn);
    if (event) return blocked('mrtr/ask-outside-request', { where: event });
  }
  const handler = handlers.get(owner);
  if (!handler) {
    // `await Promise.all(items.map((item) => ask(item)))` in the handler: a loop of asks whose promises the
    // handler awaits.
    const batch = batchingHandler(point, owner, handlers);
    if (batch) return blocked('mrtr/ask-in-loop', {}, batch);
    for (let fn = enclosingFunction(owner); fn; fn = enclosingFunction(fn)) {
      const outer = handlers.get(fn);
      if (outer?.family) return blocked('mrtr/ask-in-nested-function', { handler: outer.name }, outer);
      if (outer) return blocked('mrtr/ask-outside-request', { where: `${outer.name} handler` });
    }
    // `void server.server.elicitInput(…).catch(() => {})`: nothing waits for the answer, and an ask
    // through the runtime would end the round of whatever request is being served.
    if (firedAndForgotten(point)) return blocked('mrtr/ask-not-awaited', { how: 'fire and forget' });
    return blocked('mrtr/ask-in-helper', { fn: functionName(owner) ?? '<anonymous function>' });
  }
  if (!handler.family) {
    // Also called by name (`await requestRoots()` in a helper a tool reaches): a helper, which asks as
    // before where no request is served.
    if (calledByName(owner))
      return blocked('mrtr/ask-in-helper', { fn: functionName(owner) ?? '<anonymous function>' });
    return blocked('mrtr/ask-outside-request', { where: `${handler.name} handler` });
  }

  const awaited = awaitedExpression(point);
  if (!awaited) return blocked('mrtr/ask-not-awaited', { how: promiseUse(point) }, handler);
  const body = handler.fn.getBody();
  if (!body || !Node.isBlock(body))
    return blocked('mrtr/unsupported-ask-position', { how: 'expression-bodied arrow function' }, handler);

  const statement = statementOf(awaited);
  if (!statement) return blocked('mrtr/unsupported-ask-position', { how: 'outside a statement' }, handler);
  const position = checkExpressionPosition(awaited, statement);
  if (position) return blocked('mrtr/unsupported-ask-position', { how: position }, handler);
  const container = checkContainers(statement, body);
  if (container) return blocked(container.ruleId, container.data, handler);

  return {
    status: 'rewritable',
    point,
    handler,
    statement,
    awaited,
    binding: bindingOf(statement, awaited),
    bare: isBare(statement, awaited),
  };
}

/** A function bound to a name that some call in its file calls. */
function calledByName(fn: FunctionLikeNode): boolean {
  const name = functionName(fn);
  if (!name) return false;
  const declaration = Node.isFunctionDeclaration(fn) ? fn : fn.getParent();
  return fn
    .getSourceFile()
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .some((call) => {
      const callee = call.getExpression();
      return Node.isIdentifier(callee) && callee.getText() === name && declarationOf(callee) === declaration;
    });
}

/**
 * The handler that awaits `Promise.all(xs.map(callback))` in its own body, when the ask's promise is
 * what `callback` returns or awaits: every ask then runs, and fails, while the handler waits.
 */
function batchingHandler(
  point: InputPoint,
  callback: FunctionLikeNode,
  handlers: Map<FunctionLikeNode, HandlerRegistration>,
): HandlerRegistration | undefined {
  const map = callback.getParent();
  if (!Node.isCallExpression(map) || map.getArguments()[0] !== callback) return undefined;
  const mapped = map.getExpression();
  if (!Node.isPropertyAccessExpression(mapped) || mapped.getName() !== 'map') return undefined;
  const all = map.getParent();
  if (!Node.isCallExpression(all) || all.getArguments()[0] !== map || all.getExpression().getText() !== 'Promise.all')
    return undefined;
  let use: Node = all;
  while (Node.isParenthesizedExpression(use.getParentOrThrow())) use = use.getParentOrThrow();
  if (!Node.isAwaitExpression(use.getParent()) && !Node.isReturnStatement(use.getParent())) return undefined;
  const handler = handlers.get(enclosingFunction(all)!);
  if (!handler?.family || !askFlowsOut(point, callback)) return undefined;
  return handler;
}

/** The ask's promise is the callback's value (its expression body, or returned) or awaited in it. */
function askFlowsOut(point: InputPoint, callback: FunctionLikeNode): boolean {
  let node: Node = point.call;
  while (Node.isParenthesizedExpression(node.getParentOrThrow())) node = node.getParentOrThrow();
  const parent = node.getParentOrThrow();
  return parent === callback || Node.isAwaitExpression(parent) || Node.isReturnStatement(parent);
}

export function enclosingFunction(node: Node): FunctionLikeNode | undefined {
  for (let current = node.getParent(); current; current = current.getParent()) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** The statement (in a block, file or case clause) that contains `node`. */
export function enclosingStatementOf(node: Node): Node {
  for (let current: Node = node; ; current = current.getParentOrThrow()) {
    const parent = current.getParent();
    if (
      !parent ||
      Node.isBlock(parent) ||
      Node.isSourceFile(parent) ||
      Node.isCaseClause(parent) ||
      Node.isDefaultClause(parent)
    )
      return current;
  }
}

/** `await ask()`, or `return ask()` in an async function, which awaits the same way. */
function awaitedExpression(point: InputPoint): Expression | undefined {
  let node: Node = point.call;
  while (Node.isParenthesizedExpression(node.getParentOrThrow())) node = node.getParentOrThrow();
  const parent = node.getParentOrThrow();
  if (Node.isAwaitExpression(parent)) return parent;
  if (Node.isReturnStatement(parent)) return point.call;
  return undefined;
}

/** The ask's promise, through `.then`/`.catch`/`.finally`, ends as a statement of its own or under `void`. */
export function firedAndForgotten(point: InputPoint): boolean {
  let node: Node = point.call;
  for (;;) {
    const parent = node.getParentOrThrow();
    if (Node.isParenthesizedExpression(parent)) node = parent;
    else if (
      Node.isPropertyAccessExpression(parent) &&
      /^(then|catch|finally)$/.test(parent.getName()) &&
      parent.getParentIfKind(SyntaxKind.CallExpression)?.getExpression() === parent
    )
      node = parent.getParentOrThrow();
    else return Node.isVoidExpression(parent) || Node.isExpressionStatement(parent);
  }
}

function promiseUse(point: InputPoint): string {
  const parent = point.call.getParentOrThrow();
  if (Node.isPropertyAccessExpression(parent)) return `.${parent.getName()}(...)`;
  if (Node.isArrayLiteralExpression(parent)) return 'in an array of promises';
  if (Node.isVariableDeclaration(parent)) return 'stored in a variable';
  if (Node.isCallExpression(parent)) return `passed to ${parent.getExpression().getText()}`;
  if (Node.isExpressionStatement(parent) || Node.isVoidExpression(parent)) return 'fire and forget';
  return parent.getKindName();
}

function statementOf(node: Node): Statement | undefined {
  for (let current: Node | undefined = node; current; current = current.getParent()) {
    const parent = current.getParent();
    if (parent && (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)))
      return current as Statement;
    if (parent && Node.isIfStatement(parent) && parent.getExpression() !== current) return current as Statement;
  }
  return undefined;
}

/**
 * Walks from the awaited expression up to its statement. Only positions where nothing else in
 * the statement runs before the ask are allowed: the guard then runs at exactly the ask's moment.
 */
export function checkExpressionPosition(awaited: Expression, statement: Statement): string | undefined {
  let child: Node = awaited;
  for (
    let parent = awaited.getParentOrThrow();
    child !== statement;
    child = parent, parent = parent.getParentOrThrow()
  ) {
    if (parent === statement) {
      // An arrow's expression body, which becomes a block around the guard.
      if (Node.isExpression(parent)) return undefined;
      if (Node.isVariableStatement(parent)) {
        return parent.getDeclarations().length === 1 ? undefined : 'a declaration list';
      }
      if (Node.isExpressionStatement(parent) || Node.isReturnStatement(parent) || Node.isIfStatement(parent))
        return undefined;
      return `a ${parent.getKindName()}`;
    }
    if (
      Node.isParenthesizedExpression(parent) ||
      Node.isNonNullExpression(parent) ||
      Node.isAsExpression(parent) ||
      Node.isSatisfiesExpression(parent) ||
      Node.isTypeAssertion(parent) ||
      Node.isVariableDeclaration(parent) ||
      Node.isVariableDeclarationList(parent)
    ) {
      continue;
    }
    if (
      (Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) &&
      parent.getExpression() === child
    )
      continue;
    if (Node.isBinaryExpression(parent)) {
      const operator = parent.getOperatorToken().getKind();
      // Left operand of a comparison or logical operator: evaluated first.
      if (parent.getLeft() === child && operator !== SyntaxKind.EqualsToken) continue;
      // `x = await ask()`: only a plain name on the left, which evaluates nothing.
      if (parent.getRight() === child && operator === SyntaxKind.EqualsToken && Node.isIdentifier(parent.getLeft()))
        continue;
      return 'the right side of an operator';
    }
    if (Node.isPrefixUnaryExpression(parent)) continue;
    // `f(server, await ask())`: nothing before the argument runs code, so the ask can go first.
    if ((Node.isCallExpression(parent) || Node.isNewExpression(parent)) && parent.getArguments().includes(child)) {
      const args = parent.getArguments();
      if ([parent.getExpression(), ...args.slice(0, args.indexOf(child))].every(isInert)) continue;
    }
    // `{ uri: uri.href, text: await ask() }`, `[label, await ask()]`: only inert values come first.
    if (Node.isPropertyAssignment(parent) && parent.getInitializer() === child) {
      const literal = parent.getParentOrThrow();
      if (Node.isObjectLiteralExpression(literal)) {
        const properties = literal.getProperties();
        if (properties.slice(0, properties.indexOf(parent)).every(isInertProperty)) continue;
      }
    }
    if (Node.isObjectLiteralExpression(parent) && Node.isPropertyAssignment(child)) continue;
    if (Node.isArrayLiteralExpression(parent)) {
      const elements = parent.getElements();
      if (elements.slice(0, elements.indexOf(child as Expression)).every(isInert)) continue;
    }
    // …and that call awaited in turn: `await f(server, await ask())`.
    if (Node.isAwaitExpression(parent) && child !== awaited && Node.isCallExpression(child)) continue;
    return `inside ${articleFor(parent.getKindName())}`;
  }
  return undefined;
}

function isInertProperty(property: Node): boolean {
  if (Node.isShorthandPropertyAssignment(property)) return true;
  if (!Node.isPropertyAssignment(property)) return false;
  const name = property.getNameNode();
  const initializer = property.getInitializer();
  return !Node.isComputedPropertyName(name) && initializer !== undefined && isInert(initializer);
}

/** A name, `this`, a literal, or a property of one: evaluating it earlier or later changes nothing. */
function isInert(node: Node): boolean {
  if (Node.isIdentifier(node) || Node.isThisExpression(node) || Node.isLiteralExpression(node)) return true;
  if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node) || Node.isNullLiteral(node)) return true;
  if (Node.isNoSubstitutionTemplateLiteral(node)) return true;
  return Node.isPropertyAccessExpression(node) && isInert(node.getExpression());
}

function articleFor(kindName: string): string {
  const words = kindName.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return /^[aeiou]/.test(words) ? `an ${words}` : `a ${words}`;
}

/** Between the statement and the handler body only blocks and branches may stand. */
function checkContainers(
  statement: Statement,
  body: Node,
): { ruleId: RuleId; data: Record<string, string> } | undefined {
  for (let node = statement.getParentOrThrow(); node !== body; node = node.getParentOrThrow()) {
    if (
      Node.isForStatement(node) ||
      Node.isForOfStatement(node) ||
      Node.isForInStatement(node) ||
      Node.isWhileStatement(node) ||
      Node.isDoStatement(node)
    ) {
      return { ruleId: 'mrtr/ask-in-loop', data: {} };
    }
    if (Node.isTryStatement(node) || Node.isCatchClause(node)) return { ruleId: 'mrtr/ask-in-try', data: {} };
    if (Node.isBlock(node) || Node.isIfStatement(node) || Node.isCaseClause(node) || Node.isDefaultClause(node))
      continue;
    if (Node.isCaseBlock(node) || Node.isSwitchStatement(node)) continue;
    return { ruleId: 'mrtr/unsupported-ask-position', data: { how: `inside ${articleFor(node.getKindName())}` } };
  }
  return undefined;
}

function bindingOf(statement: Statement, awaited: Expression): AskBinding | undefined {
  if (!Node.isVariableStatement(statement)) return undefined;
  const [declaration] = statement.getDeclarations();
  const init = declaration?.getInitializer();
  if (!declaration || !init || skipParens(init) !== awaited) return undefined;
  const keyword = statement.getDeclarationKind();
  return {
    declarationKind: keyword as AskBinding['declarationKind'],
    nameNode: declaration.getNameNode(),
    typeText: declaration.getTypeNode()?.getText(),
  };
}

function isBare(statement: Statement, awaited: Expression): boolean {
  return Node.isExpressionStatement(statement) && skipParens(statement.getExpression()) === awaited;
}

export function skipParens(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}

/** Connection events, timers and notification hooks run with no request to answer. */
function eventRegistration(fn: FunctionLikeNode): string | undefined {
  const parent = fn.getParent();
  if (parent && Node.isCallExpression(parent)) {
    const callee = parent.getExpression().getText();
    if (/^(setTimeout|setInterval|setImmediate|queueMicrotask)$/.test(callee)) return `a ${callee} callback`;
    if (/\.(on|once|addListener|addEventListener)$/.test(callee)) return 'an event listener';
  }
  if (parent && Node.isBinaryExpression(parent) && /\.on\w+$/.test(parent.getLeft().getText())) {
    return `the ${parent.getLeft().getText()} hook`;
  }
  return undefined;
}
