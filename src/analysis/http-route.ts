/**
 * The route that serves a Streamable HTTP connection: the function that connects a server to a
 * transport and hands the request to `transport.handleRequest(...)`. The serving rewrite puts the
 * 2026-07-28 leg in front of what this route does, so it needs the request (and, on Node, the
 * response and the parsed body) and the first statement that is about MCP sessions.
 */
import {
  Node,
  SyntaxKind,
  type Block,
  type CallExpression,
  type Expression,
  type Identifier,
  type NewExpression,
  type Statement,
} from '../ts-morph.js';
import { enclosingFunction } from './ask-sites.js';
import type { Connection } from './entry-points.js';
import type { FunctionLikeNode } from './functions.js';
import { declarationOf, importOf, isDeclaredOutside, isPropertyName } from './resolve.js';

export interface HttpRoute {
  readonly fn: FunctionLikeNode;
  /** `node`: `handleRequest(req, res, body?)`; `web`: `handleRequest(request, options?)` (Hono, fetch). */
  readonly face: 'node' | 'web';
  readonly request: string;
  readonly response?: string;
  /** The parsed body the route already passes (`req.body`), or the web face's `parsedBody`. */
  readonly body?: string;
  /** The web face's second argument (`{ authInfo }`), passed on to the 2026-07-28 leg. */
  readonly options?: string;
  /** Node calls without a body: once the 2026-07-28 leg has read the stream, they are given it. */
  readonly unparsed: readonly CallExpression[];
  /** The statement the 2026-07-28 leg goes in front of. */
  readonly before: Statement;
  /** The transport is made without a session id generator: one per request, no sessions. */
  readonly stateless: boolean;
  /** `return RESPONSE_ALREADY_SENT;` after the Node call: what the route answers its framework (Hono) with. */
  readonly answer?: string;
}

export type RouteFinding = HttpRoute | { readonly refused: string };

/** The function that connects the transport and serves requests with it. */
function routeOf(connection: Connection): FunctionLikeNode | undefined {
  let fn = enclosingFunction(connection.call);
  while (fn && handleRequests(fn).length === 0) fn = enclosingFunction(fn);
  return fn;
}

/**
 * The route already sends 2026-07-28 requests elsewhere: it calls `isLegacyRequest`, as the serving
 * rewrite (or a hand migration) leaves it. Its `connect()` serves only the 2025 leg.
 */
export function hasModernLeg(connection: Connection): boolean {
  const fn = routeOf(connection);
  return (
    !!fn &&
    fn.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => {
      const callee = call.getExpression();
      if (!Node.isIdentifier(callee)) return false;
      // `isLegacyRequest`, or an alias of it: `import { isLegacyRequest as legacy }`, `{ isLegacyRequest: legacy }`.
      const declaration = declarationOf(callee);
      const imported = Node.isBindingElement(declaration)
        ? (declaration.getPropertyNameNode()?.getText() ?? declaration.getName())
        : (importOf(callee)?.name ?? callee.getText());
      return imported === 'isLegacyRequest';
    })
  );
}

export function findHttpRoute(connection: Connection): RouteFinding {
  const fn = routeOf(connection);
  if (!fn) return { refused: 'no `transport.handleRequest(...)` call serves the transport in the same route' };
  const body = fn.getBody();
  if (!body || !Node.isBlock(body)) return { refused: 'the route function has no block body' };
  if (!fn.isAsync()) return { refused: 'the route function is not async' };
  const transportText = connection.call.getArguments()[0]?.getText();
  const calls = handleRequests(fn);
  const primary = calls.find((c) => receiverText(c) === transportText) ?? calls[0];
  const face = connection.transportClass === 'WebStandardStreamableHTTPServerTransport' ? 'web' : 'node';
  const args = primary.getArguments();
  if (face === 'node' && (args.length < 2 || args.length > 3))
    return { refused: `\`${primary.getText()}\` does not pass a Node request and response` };
  if (face === 'web' && (args.length < 1 || args.length > 2))
    return { refused: `\`${primary.getText()}\` does not pass one web request` };
  const request = args[0].getText();
  const response = face === 'node' ? args[1].getText() : undefined;
  const passed = face === 'node' ? args[2] : parsedBodyOf(args[1]);
  const used = [args[0], args[1], passed].flatMap((a) => (a ? rootIdentifiers(a) : []));
  // The leg goes in the block where what it hands on is known: the body, or the `try` block that
  // reads the request body (`const body = await readBody(req)`), when the session code is there too.
  const block = legBlock(used, body, primary);
  if ('refused' in block) return block;
  const statements = block.getStatements();
  let at = statements.findIndex((s) => aboutSessions(s, connection, fn));
  if (at === -1) return { refused: 'the route does not connect and serve the transport in its own body' };
  // The leg reads what the route reads: it goes after the statements that declare those values.
  for (const value of used) {
    const declaration = declarationOf(value);
    if (!declaration || !isInside(declaration, block)) continue;
    const index = statements.findIndex((s) => isInside(declaration, s));
    if (index === -1 || !Node.isVariableStatement(statements[index]))
      return { refused: `\`${value.getText()}\` is declared inside a nested block of the route` };
    at = Math.max(at, index + 1);
  }
  const primaryIndex = statements.findIndex((s) => isInside(primary, s));
  if (at > primaryIndex)
    return { refused: `what \`${primary.getText()}\` passes is worked out after the session code` };
  const unparsed =
    face === 'node' && !passed
      ? calls.filter((c) => c.getArguments().length === 2 && c.getArguments()[0].getText() === request)
      : [];
  return {
    fn,
    face,
    request,
    response,
    body: passed?.getText(),
    options: face === 'web' ? args[1]?.getText() : undefined,
    unparsed,
    before: statements[at],
    stateless: isStateless(fn, connection.transportClass),
    answer: face === 'node' ? answerAfter(primary, fn) : undefined,
  };
}

/** The innermost block, holding the primary call, where the values the leg hands on are declared. */
function legBlock(used: readonly Identifier[], body: Block, primary: CallExpression): Block | { refused: string } {
  let block = body;
  for (const value of used) {
    const declaration = declarationOf(value);
    if (!declaration || !isInside(declaration, body)) continue;
    const owner = declaration.getFirstAncestor((n) => Node.isBlock(n));
    if (!owner || !Node.isBlock(owner) || owner === block) continue;
    if (!isInside(owner, block) || !isInside(primary, owner))
      return { refused: `\`${value.getText()}\` is declared inside a nested block of the route` };
    block = owner;
  }
  return block;
}

/** The `return …;` right after `await transport.handleRequest(req, res)`, if it reads nothing the route made. */
function answerAfter(primary: CallExpression, fn: FunctionLikeNode): string | undefined {
  const statement = primary.getFirstAncestor((n) => Node.isExpressionStatement(n));
  const next = statement && Node.isExpressionStatement(statement) ? statement.getNextSibling() : undefined;
  if (!next || !Node.isReturnStatement(next) || !next.getExpression()) return undefined;
  const local = next
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => !isPropertyName(id))
    .some((id) => {
      const declaration = declarationOf(id);
      return !!declaration && isInside(declaration, fn) && !Node.isParameterDeclaration(declaration);
    });
  return local ? undefined : next.getText();
}

function handleRequests(fn: FunctionLikeNode): CallExpression[] {
  return fn.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'handleRequest';
  });
}

function receiverText(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getExpression().getText() : undefined;
}

/** `{ parsedBody: body, authInfo }`: the body a web route already parsed. */
function parsedBodyOf(options: Node | undefined): Expression | undefined {
  if (!options || !Node.isObjectLiteralExpression(options)) return undefined;
  const property = options.getProperty('parsedBody');
  if (property && Node.isPropertyAssignment(property)) return property.getInitializer();
  if (property && Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}

/**
 * Code that touches the MCP session: the transport, the server, the session store the transport
 * fills, `isInitializeRequest`, the connect and handleRequest calls. The leg goes as late as it can,
 * right before the first of these, so every check the route makes first still guards it.
 */
function aboutSessions(statement: Statement, connection: Connection, fn: FunctionLikeNode): boolean {
  if (isInside(connection.call, statement)) return true;
  const names = new Set(['isInitializeRequest', ...sessionNames(connection, fn)]);
  if (statement.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => names.has(id.getText()))) return true;
  return statement
    .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
    .some((access) => access.getName() === 'handleRequest');
}

/** The transport and server variables, and the stores `onsessioninitialized` / `onsessionclosed` fill. */
function sessionNames(connection: Connection, fn: FunctionLikeNode): string[] {
  const names = [connection.call.getArguments()[0], connection.server]
    .filter((n) => n !== undefined && Node.isIdentifier(n))
    .map((n) => n.getText());
  for (const creation of transportCreations(fn, connection.transportClass)) {
    const variable = creation.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    if (variable) names.push(variable.getName());
    const options = creation.getArguments()[0];
    if (!options || !Node.isObjectLiteralExpression(options)) continue;
    for (const hook of ['onsessioninitialized', 'onsessionclosed']) {
      const property = options.getProperty(hook);
      for (const id of property?.getDescendantsOfKind(SyntaxKind.Identifier) ?? [])
        if (!isPropertyName(id) && declarationOf(id) && isDeclaredOutside(id, fn)) names.push(id.getText());
    }
  }
  return names;
}

function isInside(node: Node, scope: Node): boolean {
  return scope.getPos() <= node.getPos() && node.getEnd() <= scope.getEnd();
}

function rootIdentifiers(expression: Node): Identifier[] {
  if (Node.isIdentifier(expression)) return [expression];
  return expression.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => !isPropertyName(id));
}

function transportCreations(fn: FunctionLikeNode, transportClass: string): NewExpression[] {
  return fn
    .getDescendantsOfKind(SyntaxKind.NewExpression)
    .filter((n) => n.getExpression().getText() === transportClass);
}

/** `new …Transport({ sessionIdGenerator: undefined })`, or no generator at all. */
function isStateless(fn: FunctionLikeNode, transportClass: string): boolean {
  const options = transportCreations(fn, transportClass)[0]?.getArguments()[0];
  if (!options || !Node.isObjectLiteralExpression(options)) return true;
  const generator = options.getProperty('sessionIdGenerator');
  if (!generator) return true;
  return Node.isPropertyAssignment(generator) && generator.getInitializer()?.getText() === 'undefined';
}
