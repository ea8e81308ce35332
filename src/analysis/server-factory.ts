/**
 * The factory an HTTP route builds its server with, as `createMcpHandler` needs it: a module-level
 * function that returns a fresh server. `createMcpHandler` calls it once per 2026-07-28 request, so
 * state the server kept for a whole session (a counter or a cache in the factory's closure, one
 * shared module-level instance, state on `this`) would start over on every request: such a route
 * is refused, with the reason.
 */
import {
  Node,
  SyntaxKind,
  type BindingElement,
  type CallExpression,
  type Expression,
  type Identifier,
  type PropertyAccessExpression,
} from '../ts-morph.js';
import type { Connection } from './entry-points.js';
import { MUTATING_METHODS } from './effect-catalogue.js';
import { isAssignment, isIncrement } from './effects.js';
import { functionName, isFunctionLike, type FunctionLikeNode } from './functions.js';
import { declarationOf, isDeclaredOutside, resolveCallee } from './resolve.js';

export type FactoryFinding =
  | {
      readonly factory: string;
      /** How the comment above the leg names where servers come from, when not the factory's own text. */
      readonly source?: string;
    }
  | { readonly refused: string };

export function serverFactory(connection: Connection, route: FunctionLikeNode): FactoryFinding {
  const server = unwrapAwait(connection.server);
  if (Node.isCallExpression(server)) return fromCall(server, route);
  if (Node.isIdentifier(server)) {
    const declaration = declarationOf(server);
    if (!declaration || isDeclaredOutside(server, route))
      return {
        refused:
          `one server instance \`${server.getText()}\` outside the route serves every session, and ` +
          'createMcpHandler needs a factory that builds a fresh one per request',
      };
    if (Node.isBindingElement(declaration)) return fromDestructured(declaration, route);
    const initializer = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    const made = initializer && unwrapAwait(initializer);
    if (made && Node.isCallExpression(made)) return fromCall(made, route);
    return { refused: `the server \`${server.getText()}\` is built inside the route, not by a factory function` };
  }
  return {
    refused:
      `the server \`${server.getText()}\` is held on an object, and createMcpHandler needs a factory that ` +
      'builds a fresh one per request',
  };
}

/**
 * `const { server, cleanup } = createServer();`: the factory returns more than the server. Each
 * request's server is taken out of what it returns, and what the route calls from the same object
 * when a session ends (`cleanup(sid)`) runs when the request's server closes instead.
 */
function fromDestructured(element: BindingElement, route: FunctionLikeNode): FactoryFinding {
  const pattern = element.getParent();
  const variable = pattern.getParent();
  const made = Node.isVariableDeclaration(variable) ? variable.getInitializer() : undefined;
  const call = made && unwrapAwait(made);
  if (!Node.isObjectBindingPattern(pattern) || !call || !Node.isCallExpression(call) || element.getDotDotDotToken())
    return { refused: `the server \`${element.getName()}\` is built inside the route, not by a factory function` };
  const base = fromCall(call, route);
  if ('refused' in base) return base;
  const property = element.getPropertyNameNode()?.getText() ?? element.getName();
  const closers = pattern
    .getElements()
    .filter((other) => other !== element && !other.getDotDotDotToken() && calledIn(other, route));
  if (closers.length === 0) return { factory: `() => ${call.getText()}.${property}`, source: call.getText() };
  const server = element.getName();
  const receiver = lowLevelClose(element, route) ? server : `${server}.server`;
  const calls = closers.map((c) => `${c.getName()}();`).join(' ');
  const lines = [
    '() => {',
    `  const ${pattern.getText()} = ${call.getText()};`,
    "  // What the route ran when a session closed runs when this request's server closes.",
    `  ${receiver}.onclose = () => { ${calls} };`,
    `  return ${server};`,
    '}',
  ];
  return { factory: lines.join('\n'), source: call.getText() };
}

/** The route calls the destructured function (`cleanup(sid)`). */
function calledIn(element: BindingElement, route: FunctionLikeNode): boolean {
  return route
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .some((c) => Node.isIdentifier(c.getExpression()) && declarationOf(c.getExpression() as Identifier) === element);
}

/** The route closes the server itself (`server.onclose = …`): a low-level Server, not an McpServer. */
function lowLevelClose(element: BindingElement, route: FunctionLikeNode): boolean {
  return route.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((access) => {
    const receiver = access.getExpression();
    return access.getName() === 'onclose' && Node.isIdentifier(receiver) && declarationOf(receiver) === element;
  });
}

function unwrapAwait(node: Expression): Expression {
  return Node.isAwaitExpression(node) ? node.getExpression() : node;
}

function fromCall(call: CallExpression, route: FunctionLikeNode): FactoryFinding {
  const callee = call.getExpression();
  if (!Node.isIdentifier(callee))
    return { refused: `the server is built by \`${call.getText()}\`, which is not a module-level function` };
  const declaration = declarationOf(callee);
  if (!declaration || !isModuleLevel(declaration))
    return { refused: `the server is built by \`${call.getText()}\`, which is not a module-level function` };
  const fromRequest = call
    .getArguments()
    .flatMap((a) => [a, ...a.getDescendants()])
    .find((n) => Node.isIdentifier(n) && !isDeclaredOutside(n, route));
  if (fromRequest) return { refused: `the server is built from the request's own values (\`${call.getText()}\`)` };
  const kept = keptState(resolveCallee(callee));
  if (kept) return { refused: kept };
  return { factory: `() => ${call.getText()}` };
}

function isModuleLevel(declaration: Node): boolean {
  // `import { createServer }`, `import createServer from …`, `import * as servers from …`.
  if (declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)) return true;
  const statement = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
  return Node.isSourceFile(statement?.getParent());
}

/** Why the factory's servers keep state a per-request instance would lose, if they do. */
function keptState(factory: FunctionLikeNode | undefined): string | undefined {
  const body = factory?.getBody();
  if (!factory || !body || !Node.isBlock(body)) return undefined;
  const name = functionName(factory) ?? 'the factory';
  if (body.getDescendantsOfKind(SyntaxKind.ThisKeyword).length > 0)
    return `\`${name}\` builds the server from state on \`this\`, which would be shared or lost per request`;
  for (const statement of body.getStatements()) {
    if (!Node.isVariableStatement(statement)) continue;
    for (const variable of statement.getDeclarations()) {
      if (!mutatedByHandlers(variable.getName(), factory)) continue;
      return (
        `\`${name}\` keeps per-server state in \`${variable.getName()}\`, which lasted a whole session; ` +
        'createMcpHandler builds a server per request, so it would start over on every 2026-07-28 request'
      );
    }
  }
  return undefined;
}

/** Written inside a function the factory's server calls later: `count++`, `cache.set(…)`, `seen[id] = …`. */
function mutatedByHandlers(name: string, factory: FunctionLikeNode): boolean {
  return factory.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== name || id.getFirstAncestor((n) => n === factory || isFunctionLike(n)) === factory)
      return false;
    // Written only after a 2025 handshake: a 2026-07-28 request's server never runs `oninitialized`.
    if (inInitializedCallback(id, factory)) return false;
    let target: Node = id;
    const parent = id.getParentOrThrow();
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === id) {
      const call = parent.getParent();
      if (Node.isCallExpression(call) && call.getExpression() === parent && MUTATING_METHODS.has(parent.getName()))
        return true;
      target = parent;
    } else if (Node.isElementAccessExpression(parent) && parent.getExpression() === id) target = parent;
    const use = target.getParentOrThrow();
    if (Node.isDeleteExpression(use)) return true;
    if (Node.isPrefixUnaryExpression(use) || Node.isPostfixUnaryExpression(use))
      return isIncrement(use.getOperatorToken());
    return Node.isBinaryExpression(use) && use.getLeft() === target && isAssignment(use.getOperatorToken().getKind());
  });
}

/** Inside `x.oninitialized = () => { … }` within the factory. */
function inInitializedCallback(node: Node, factory: FunctionLikeNode): boolean {
  for (let fn = node.getFirstAncestor(isFunctionLike); fn && fn !== factory; fn = fn.getFirstAncestor(isFunctionLike)) {
    const parent = fn.getParent();
    if (
      Node.isBinaryExpression(parent) &&
      parent.getRight() === fn &&
      Node.isPropertyAccessExpression(parent.getLeft()) &&
      (parent.getLeft() as PropertyAccessExpression).getName() === 'oninitialized'
    )
      return true;
  }
  return false;
}
