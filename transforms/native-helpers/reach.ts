/**
 * Which helpers of a file can ask natively: each asks once, at a spot a return can leave from,
 * and every handler of the file reaches it once, through calls that a guard can follow. What
 * fails any of that stays a held (resumable) ask, with the reason.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type Expression,
  type SourceFile,
  type Statement,
} from '../../src/ts-morph.js';
import { checkExpressionPosition, enclosingFunction, type BlockedAsk } from '../../src/analysis/ask-sites.js';
import { functionName, type FunctionLikeNode } from '../../src/analysis/functions.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { resolveCallee } from '../../src/analysis/resolve.js';
import { isLoop } from '../handlers/before-guard.js';
import { hasUntypedResult } from '../handlers/untyped-asks.js';
import { chainsFrom as chainsReachingAsks } from '../resumable/reach.js';

/** An awaited value a guard can follow: the statement it sits in, directly in a block. */
export interface AwaitedSpot {
  readonly call: CallExpression;
  /** The `await` (or the call itself under `return`). */
  readonly awaited: Expression;
  /** The statement it sits in, or the body of an arrow written as an expression (`async () => ({ … })`). */
  readonly statement: Statement | Expression;
  /** The loop it runs in, if any: it is reached once per pass. */
  readonly loop?: Node;
  /** Set when `statement` is an arrow's expression body: a guard needs a block around it. */
  readonly expressionBody?: true;
}

/** A call from a handler or a native function to a native function. */
export interface NativeCall extends AwaitedSpot {
  readonly caller: FunctionLikeNode;
  readonly callee: FunctionLikeNode;
}

export interface NativeReach {
  /** Helpers whose own ask becomes native, with the ask's spot. */
  readonly askers: Map<FunctionLikeNode, { readonly site: BlockedAsk; readonly spot: AwaitedSpot }>;
  /** Functions between a handler and an asker, which pass the context down and the request up. */
  readonly relays: Set<FunctionLikeNode>;
  /** Every call that now passes the context and returns the request. */
  readonly calls: NativeCall[];
  /** Handlers that reach a native helper, with the chains (`confirm`, `manager.confirm → ask`). */
  readonly handlers: Map<HandlerRegistration, string[][]>;
  /**
   * Handlers that reach native asks more than once in a call (a loop, a helper called twice, two
   * helpers): their answers travel in the signed requestState, under a key per pass.
   */
  readonly carried: Set<HandlerRegistration>;
  /** Askers given the context already (`confirm(ctx, msg)` asking `ctx.mcpReq.elicitInput`), by its name. */
  readonly ownContext: Map<FunctionLikeNode, string>;
  /** Helpers that stay held, with why, for the report. */
  readonly held: HeldReasons;
}

/** Why a helper's ask could not become native, by helper. */
export type HeldReasons = Map<FunctionLikeNode, string>;

export function nativeReach(
  sites: readonly BlockedAsk[],
  handlers: readonly HandlerRegistration[],
  /** Handlers with asks of their own, planned by another strategy: they keep held helpers. */
  planned: ReadonlySet<FunctionLikeNode>,
  /** A function files outside `calls` may call too, without a context: it cannot take part. */
  reachedElsewhere: (fn: FunctionLikeNode) => boolean,
  /** Every call of the files the decision covers. */
  calls: readonly CallExpression[],
  /** A function that may pass the context on: one in a file the run looks at again with its facts. */
  relayable: (fn: FunctionLikeNode) => boolean = () => true,
): { reach: NativeReach; held: HeldReasons } {
  const held: HeldReasons = new Map();
  const byOwner = new Map<FunctionLikeNode, BlockedAsk[]>();
  for (const site of sites) {
    const owner = enclosingFunction(site.point.call)!;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), site]);
  }
  const askers = new Map<FunctionLikeNode, { site: BlockedAsk; spot: AwaitedSpot }>();
  for (const [owner, owned] of byOwner) {
    const why = askerProblem(owner, owned, reachedElsewhere);
    if (why) held.set(owner, why);
    else askers.set(owner, { site: owned[0], spot: awaitedSpot(owned[0].point.call, owner)! });
  }
  const handlerOf = new Map(handlers.filter((h) => h.family).map((h) => [h.fn as Node, h]));
  // Each call's target, resolved once: settling may run several times as askers drop out.
  const resolved: ResolvedCall[] = [];
  for (const call of calls) {
    const callee = resolveCallee(call.getExpression());
    if (callee) resolved.push({ call, callee });
  }
  for (;;) {
    const result = settle(askers, resolved, handlerOf, planned, (fn) => reachedElsewhere(fn) || !relayable(fn));
    if (result.drop.size === 0) return { reach: { ...result.reach, held }, held };
    for (const [fn, why] of result.drop) {
      askers.delete(fn);
      held.set(fn, why);
    }
  }
}

function askerProblem(
  owner: FunctionLikeNode,
  owned: readonly BlockedAsk[],
  reachedElsewhere: (fn: FunctionLikeNode) => boolean,
): string | undefined {
  if (owned.length > 1) return 'it asks more than once';
  const call = owned[0].point.call;
  if (owned[0].point.resultSchema || hasUntypedResult(call)) return 'its answer is parsed or untyped';
  if (!awaitedSpot(call, owner)) return 'its ask is not awaited where a return can leave the helper';
  return (
    signatureProblem(owner) ??
    (reachedElsewhere(owner) ? 'code outside the files it was read with calls it' : undefined)
  );
}

function signatureProblem(fn: FunctionLikeNode): string | undefined {
  if (!fn.isAsync()) return 'it is not async';
  if (fn.getParameters().some((p) => p.isRestParameter())) return 'it takes a rest parameter';
  const name = functionName(fn);
  if (!name) return 'it has no name';
  // Handed to something else (`setNotificationHandler(…, refresh)`), it is called with arguments of its own.
  if (usedAsValue(fn, name)) return 'it is passed as a value';
  return undefined;
}

/** A mention of the function's name that is neither its declaration nor the callee of a call. */
const identifiersOf = new WeakMap<Node, Node[]>();

function usedAsValue(fn: FunctionLikeNode, name: string): boolean {
  return mentionedAsValue(fn.getSourceFile(), fn, name);
}

/**
 * `name`, meaning `fn`, mentioned in `file` other than as a callee (handed to a registration,
 * stored, re-exported from another file): somewhere it may be called without a context.
 */
export function mentionedAsValue(file: SourceFile, fn: FunctionLikeNode, name: string): boolean {
  const own = file === fn.getSourceFile();
  const method = Node.isMethodDeclaration(fn);
  const declared = Node.isFunctionDeclaration(fn) || method ? fn.getNameNode() : undefined;
  let identifiers = identifiersOf.get(file);
  // A file whose text was replaced (asks in parallel split apart) has new nodes: look again.
  if (!identifiers || identifiers.some((id) => id.wasForgotten()))
    identifiersOf.set(file, (identifiers = file.getDescendantsOfKind(SyntaxKind.Identifier)));
  return identifiers.some((id) => {
    if (id.getText() !== name || id === declared) return false;
    const parent = id.getParentOrThrow();
    if (Node.isImportSpecifier(parent) || Node.isImportClause(parent)) return false;
    if (Node.isCallExpression(parent) && parent.getExpression() === id) return false;
    // `x.confirm` names a member: the method itself when `fn` is one, something else when it is not.
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) {
      const call = parent.getParent();
      return method && !(Node.isCallExpression(call) && call.getExpression() === parent);
    }
    // A method is reached only through a member access; a plain name is something else.
    if (method) return false;
    const named =
      Node.isVariableDeclaration(parent) ||
      Node.isPropertyAssignment(parent) ||
      Node.isMethodDeclaration(parent) ||
      Node.isPropertySignature(parent) ||
      Node.isBindingElement(parent);
    if (named && parent.getNameNode() === id) return false;
    // Its own file's `export { confirm }` or `module.exports = { confirm }` only exports it.
    return !(own && (Node.isExportSpecifier(parent) || isCommonJsExport(id)));
  });
}

/** `module.exports = { confirm }`, `module.exports.confirm = confirm`, `exports.confirm = confirm`. */
function isCommonJsExport(id: Node): boolean {
  let value: Node = id;
  const parent = id.getParentOrThrow();
  if (Node.isShorthandPropertyAssignment(parent) || Node.isPropertyAssignment(parent)) {
    value = parent.getParentOrThrow();
    if (!Node.isObjectLiteralExpression(value)) return false;
  }
  const assignment = value.getParent();
  if (!Node.isBinaryExpression(assignment) || assignment.getRight() !== value) return false;
  if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return false;
  return /^(module\.)?exports\b/.test(assignment.getLeft().getText());
}

/** Where `call` is awaited in `fn`'s own block body, with nothing evaluated before it; in a loop, which. */
export function awaitedSpot(call: CallExpression, fn: FunctionLikeNode): AwaitedSpot | undefined {
  const body = fn.getBody();
  if (!body || enclosingFunction(call) !== fn) return undefined;
  let node: Node = call;
  while (Node.isParenthesizedExpression(node.getParentOrThrow())) node = node.getParentOrThrow();
  const parent = node.getParentOrThrow();
  const returned = Node.isReturnStatement(parent) || (parent === fn && node === body);
  const awaited = Node.isAwaitExpression(parent) ? parent : returned ? call : undefined;
  if (!awaited) return undefined;
  if (!Node.isBlock(body)) {
    if (!Node.isExpression(body) || checkExpressionPosition(awaited, body as unknown as Statement)) return undefined;
    return { call, awaited, statement: body, expressionBody: true };
  }
  let statement: Node = awaited;
  while (!isStatementList(statement.getParentOrThrow())) statement = statement.getParentOrThrow();
  if (checkExpressionPosition(awaited, statement as Statement)) return undefined;
  let loop: Node | undefined;
  for (let up = statement.getParentOrThrow(); up !== body; up = up.getParentOrThrow()) {
    if (isFunctionBoundary(up)) return undefined;
    if (isLoop(up)) loop = up;
  }
  return { call, awaited, statement: statement as Statement, ...(loop ? { loop } : {}) };
}

function isStatementList(node: Node): boolean {
  return Node.isBlock(node) || Node.isCaseClause(node) || Node.isDefaultClause(node) || Node.isSourceFile(node);
}

function isFunctionBoundary(node: Node): boolean {
  return Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node);
}

interface ResolvedCall {
  readonly call: CallExpression;
  readonly callee: FunctionLikeNode;
}

interface Settled {
  readonly reach: NativeReach;
  /** Askers to hold after all, with why. */
  readonly drop: Map<FunctionLikeNode, string>;
}

/**
 * Grows the native set from the askers up through their callers, then checks every call a handler
 * makes on the way: one that cannot pass the request up drops what it reaches.
 */
function settle(
  askers: NativeReach['askers'],
  allCalls: readonly ResolvedCall[],
  handlerOf: ReadonlyMap<Node, HandlerRegistration>,
  planned: ReadonlySet<FunctionLikeNode>,
  reachedElsewhere: (fn: FunctionLikeNode) => boolean,
): Settled {
  const drop = new Map<FunctionLikeNode, string>();
  const native = new Set<FunctionLikeNode>(askers.keys());
  const calls: NativeCall[] = [];
  // Every call into the native set, by caller; callers that are plain functions join as relays.
  const into = new Map<FunctionLikeNode, { call: CallExpression; callee: FunctionLikeNode }[]>();
  let grew = true;
  for (let depth = 0; grew && depth < 4; depth++) {
    grew = false;
    for (const { call, callee } of allCalls) {
      if (!native.has(callee)) continue;
      const caller = enclosingFunction(call);
      if (!caller) continue;
      const list = into.get(caller) ?? [];
      if (list.some((c) => c.call === call)) continue;
      into.set(caller, [...list, { call, callee }]);
      if (!handlerOf.has(caller) && !native.has(caller) && !signatureProblem(caller) && !reachedElsewhere(caller)) {
        native.add(caller);
        grew = true;
      }
    }
  }
  // Only what a handler reaches passes the context: other callers ask as before, without one.
  const reachable = new Set<FunctionLikeNode>();
  const visit = (fn: FunctionLikeNode) => {
    for (const { callee } of into.get(fn) ?? []) {
      if (reachable.has(callee)) continue;
      reachable.add(callee);
      visit(callee);
    }
  };
  for (const caller of into.keys()) if (handlerOf.has(caller)) visit(caller);
  const relays = new Set([...native].filter((fn) => !askers.has(fn) && reachable.has(fn)));
  const reachedAskers = (fn: FunctionLikeNode, seen = new Set<FunctionLikeNode>()): FunctionLikeNode[] => {
    if (seen.has(fn)) return [];
    seen.add(fn);
    return [...(askers.has(fn) ? [fn] : []), ...(into.get(fn) ?? []).flatMap((c) => reachedAskers(c.callee, seen))];
  };
  // An asker no handler is seen to reach, or one also called where no context is at hand (a dispatch
  // table's function, a framework's method), would ask without one inside a request: it stays held.
  for (const asker of askers.keys()) {
    if (!reachable.has(asker)) drop.set(asker, 'no handler of this file is seen to reach it');
  }
  const handlers = new Map<HandlerRegistration, string[][]>();
  for (const [caller, list] of into) {
    const handler = handlerOf.get(caller);
    if (!handler && !relays.has(caller) && !(askers.has(caller) && reachable.has(caller))) {
      for (const { callee } of list) {
        for (const asker of reachedAskers(callee)) drop.set(asker, `${callerName(caller)} calls it without a context`);
      }
      continue;
    }
    const reached: FunctionLikeNode[] = [];
    for (const { call, callee } of list) {
      const spot = awaitedSpot(call, caller);
      const why = !spot
        ? `\`${call.getExpression().getText()}(…)\` is not awaited where a return can leave ${callerName(caller)}`
        : call.getArguments().some((a) => Node.isSpreadElement(a))
          ? 'a call passes spread arguments'
          : handler && planned.has(handler.fn)
            ? `${callerName(caller)} asks itself too`
            : undefined;
      const askersHere = reachedAskers(callee);
      if (why) for (const asker of askersHere) drop.set(asker, why);
      else if (spot) calls.push({ ...spot, caller, callee });
      reached.push(...askersHere);
    }
    // One round serves a handler: one that also reaches an ask that stays held keeps all of them held.
    if (handler) {
      const nativeNames = new Set([...askers.keys()].map((fn) => functionName(fn)));
      const heldToo = chainsReaching(handler).some((chain) => !nativeNames.has(chain.at(-1)));
      if (heldToo)
        for (const asker of reached) drop.set(asker, 'a handler that reaches it also reaches an ask that stays held');
    }
    if (handler) handlers.set(handler, chainsFrom(caller, into, askers));
  }
  const carried = new Set([...handlers.keys()].filter((handler) => asksPerCall(handler.fn, calls, askers) > 1));
  const ownContext = new Map<FunctionLikeNode, string>();
  for (const [fn, { site }] of askers) {
    const own = contextParameterOf(fn, site.point.call);
    if (own) ownContext.set(fn, own);
  }
  return { reach: { askers, relays, calls, handlers, carried, ownContext, held: new Map() }, drop };
}

/** `ctx` when `fn(ctx, …)` asks through `ctx.mcpReq.elicitInput(…)`: its callers pass the context already. */
function contextParameterOf(fn: FunctionLikeNode, ask: CallExpression): string | undefined {
  const name = /^([A-Za-z_$][\w$]*)\.mcpReq\./.exec(ask.getExpression().getText())?.[1];
  return name && fn.getParameters().some((p) => p.getName() === name) ? name : undefined;
}

/** How many native asks a call of `fn` may reach: a call in a loop counts as many. */
function asksPerCall(
  fn: FunctionLikeNode,
  calls: readonly NativeCall[],
  askers: NativeReach['askers'],
  depth = 0,
): number {
  if (depth > 4) return 0;
  const own = askers.get(fn);
  let count = own ? (own.spot.loop ? 2 : 1) : 0;
  for (const call of calls) {
    if (call.caller !== fn) continue;
    const below = asksPerCall(call.callee, calls, askers, depth + 1);
    count += call.loop && below > 0 ? 2 * below : below;
  }
  return count;
}

const chainsOf = new WeakMap<HandlerRegistration, string[][]>();

function chainsReaching(handler: HandlerRegistration): string[][] {
  let chains = chainsOf.get(handler);
  if (!chains) chainsOf.set(handler, (chains = chainsReachingAsks(handler).map(({ chain }) => chain)));
  return chains;
}

function callerName(fn: FunctionLikeNode): string {
  const name = functionName(fn);
  return name ? `\`${name}\`` : 'the handler';
}

/** `confirm`, `manager.confirm → ask`: the chains from a handler to each asker it reaches. */
function chainsFrom(
  fn: FunctionLikeNode,
  into: ReadonlyMap<FunctionLikeNode, readonly { callee: FunctionLikeNode }[]>,
  askers: NativeReach['askers'],
  depth = 0,
): string[][] {
  if (depth > 4) return [];
  return (into.get(fn) ?? []).flatMap(({ callee }) => {
    const name = functionName(callee) ?? 'anonymous';
    const below = chainsFrom(callee, into, askers, depth + 1).map((chain) => [name, ...chain]);
    return askers.has(callee) ? [[name], ...below] : below;
  });
}
