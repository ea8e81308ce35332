/**
 * MRTR-native code as the SDK teaches it and the codemod writes it: a function that returns
 * `inputRequired(…)` (guard-first), or returns a result its `if (isInputRequiredResult(r))` caught
 * (an answer function or a native helper). Everything on the path to its last guard runs again on
 * later rounds.
 */
import {
  Node,
  SyntaxKind,
  type Identifier,
  type ReturnStatement,
  type SourceFile,
  type Statement,
} from '../ts-morph.js';
import { skipParens } from '../analysis/ask-sites.js';
import { findHandlerRegistrations, type HandlerRegistration } from '../analysis/handlers.js';
import { isFunctionLike, type FunctionLikeNode } from '../analysis/functions.js';
import { declarationOf, moduleBindingOf } from '../analysis/resolve.js';

export interface NativeGuard {
  readonly fn: FunctionLikeNode;
  /** The statement holding the function's last guard: what runs before it runs again. */
  readonly guard: Statement;
  /** The key of the input the guard asks for, for messages. */
  readonly key: string;
  /** The name of the request's context in the function, when it has one. */
  readonly ctxName?: string;
  /** The asking itself (answer calls, SDK and runtime calls): it must run in every round. */
  readonly machinery: ReadonlySet<Node>;
}

/** What the SDK and the runtime module ask and answer with, also when CommonJS requires them. */
const MACHINERY_NAMES = new Set([
  'inputRequired',
  'inputResponse',
  'acceptedContent',
  'fromJsonSchema',
  'isInputRequiredResult',
  'elicitAnswer',
  'urlAnswer',
  'samplingAnswer',
  'rootsAnswer',
  'once',
  'onceEffect',
  'clientCapabilities',
  'isAskingClient',
]);

/** Modules whose calls are the MRTR machinery, not the user's effects. */
const MACHINERY_MODULE = /^@modelcontextprotocol\/|(^|\/)mrtr-(request-state|steps)(\.[cm]?[jt]s)?$/;

export function findNativeGuards(file: SourceFile): NativeGuard[] {
  const last = new Map<FunctionLikeNode, { statement: Statement; key: string }>();
  for (const ret of file.getDescendantsOfKind(SyntaxKind.ReturnStatement)) {
    const guarded = guardOf(ret);
    const fn = ret.getFirstAncestor(isFunctionLike);
    if (!guarded || !fn) continue;
    const known = last.get(fn);
    if (!known || known.statement.getStart() < guarded.statement.getStart()) last.set(fn, guarded);
  }
  const handlers = last.size > 0 ? findHandlerRegistrations(file) : new Map<FunctionLikeNode, HandlerRegistration>();
  return [...last].map(([fn, { statement, key }]) => {
    const handler = handlers.get(fn);
    const ctx = handler ? fn.getParameters()[handler.contextIndex]?.getNameNode() : undefined;
    return {
      fn,
      guard: statement,
      key,
      ctxName: ctx && Node.isIdentifier(ctx) ? ctx.getText() : contextArgument(fn),
      machinery: machineryOf(fn),
    };
  });
}

/** `return inputRequired(…)`, or `return r` under `if (isInputRequiredResult(r))`: the guard statement and its key. */
function guardOf(ret: ReturnStatement): { statement: Statement; key: string } | undefined {
  const value = ret.getExpression() && skipParens(ret.getExpressionOrThrow());
  if (!value) return undefined;
  const gate = ret.getFirstAncestorByKind(SyntaxKind.IfStatement);
  if (Node.isCallExpression(value) && value.getExpression().getText() === 'inputRequired') {
    const statement = gate && gate.getThenStatement().containsRange(ret.getPos(), ret.getEnd()) ? gate : ret;
    return { statement, key: firstRequestKey(value.getArguments()[0]) ?? 'input' };
  }
  if (
    Node.isIdentifier(value) &&
    gate?.getExpression().getText().includes(`isInputRequiredResult(${value.getText()})`)
  ) {
    return { statement: gate, key: askedKey(value) ?? value.getText() };
  }
  return undefined;
}

/** The key an answer call asks under (`elicitAnswer(ctx, 'confirm', …)`), or the helper that asks. */
function askedKey(result: Identifier): string | undefined {
  const declaration = declarationOf(result);
  const initializer = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  const call =
    initializer && skipParens(Node.isAwaitExpression(initializer) ? initializer.getExpression() : initializer);
  if (!call || !Node.isCallExpression(call)) return undefined;
  const key = call.getArguments()[1];
  if (/Answer$/.test(call.getExpression().getText()) && key && Node.isStringLiteral(key)) return key.getLiteralValue();
  return call.getExpression().getText().split('.').at(-1);
}

function firstRequestKey(argument: Node | undefined): string | undefined {
  if (!argument || !Node.isObjectLiteralExpression(argument)) return undefined;
  const requests = argument.getProperty('inputRequests');
  const object = requests && Node.isPropertyAssignment(requests) ? requests.getInitializer() : undefined;
  const first = object && Node.isObjectLiteralExpression(object) ? object.getProperties()[0] : undefined;
  return first && (Node.isPropertyAssignment(first) || Node.isShorthandPropertyAssignment(first))
    ? first.getName().replace(/^['"]|['"]$/g, '')
    : undefined;
}

/**
 * Calls into the SDK or the runtime module, and the calls whose results a guard tests (a native
 * helper asking): they ask, in every round, by design.
 */
function machineryOf(fn: FunctionLikeNode): Set<Node> {
  const machinery = new Set<Node>();
  const tested = new Set(
    fn
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .filter((call) => call.getExpression().getText() === 'isInputRequiredResult')
      .map((call) => call.getArguments()[0]?.getText()),
  );
  for (const call of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const root = call.getExpression().getText().split('.')[0];
    const identifier = call.getExpression().getFirstDescendantByKind(SyntaxKind.Identifier) ?? call.getExpression();
    const from = Node.isIdentifier(identifier) ? moduleBindingOf(identifier)?.specifier : undefined;
    if ((from && MACHINERY_MODULE.test(from)) || MACHINERY_NAMES.has(root)) machinery.add(call);
  }
  for (const declaration of fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const initializer = declaration.getInitializer();
    if (initializer && tested.has(declaration.getName())) machinery.add(initializer);
  }
  return machinery;
}

/** The context an answer call is handed (`elicitAnswer(ctx, …)`), for a helper that takes it as a parameter. */
function contextArgument(fn: FunctionLikeNode): string | undefined {
  const names = new Set(fn.getParameters().map((p) => p.getName()));
  for (const call of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const first = call.getArguments()[0];
    if (/Answer$/.test(call.getExpression().getText()) && first && names.has(first.getText())) return first.getText();
  }
  return undefined;
}
