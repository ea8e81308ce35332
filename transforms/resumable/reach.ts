/**
 * How an ask is reached when the handler does not make it itself: through project functions
 * (`tool drop-table → confirmAction`), or from a handler defined in another file.
 */
import { SyntaxKind, type CallExpression, type Node } from '../../src/ts-morph.js';
import { enclosingFunction, firedAndForgotten } from '../../src/analysis/ask-sites.js';
import { functionName } from '../../src/analysis/functions.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { classifyCall } from '../../src/analysis/input-points.js';
import { resolveCallee } from '../../src/analysis/resolve.js';

export interface AskChain {
  readonly call: CallExpression;
  /** The functions on the way, outermost first; the last one asks. */
  readonly chain: string[];
}

/** The project functions a call reaches that ask, as a chain of names (bounded depth). */
export function chainToAsk(call: CallExpression, depth = 0, seen = new Set<Node>()): string[] | undefined {
  if (depth > 3) return undefined;
  const target = resolveCallee(call.getExpression());
  if (!target || seen.has(target)) return undefined;
  seen.add(target);
  const name = functionName(target) ?? 'anonymous';
  const calls = target.getDescendantsOfKind(SyntaxKind.CallExpression);
  // An ask nothing waits for is left as written: it is not reached as a resumable one.
  const ask = calls.find((c) => {
    const point = classifyCall(c);
    return (
      (point !== undefined && !firedAndForgotten(point)) ||
      /^ask(Elicit|Url|Sampling|Roots)$/.test(c.getExpression().getText())
    );
  });
  // An ask in a function nested in the target (`requestRoots` inside `syncRoots`) is that function's.
  if (ask) return [name, ...nestedNames(ask, target)];
  for (const inner of calls) {
    const rest = chainToAsk(inner, depth + 1, seen);
    if (rest) return [name, ...rest];
  }
  return undefined;
}

/** The named functions between `outer` and `node`, outermost first. */
function nestedNames(node: Node, outer: Node): string[] {
  const names: string[] = [];
  for (let fn = enclosingFunction(node); fn && fn !== outer; fn = enclosingFunction(fn)) {
    const name = functionName(fn);
    if (name) names.unshift(name);
  }
  return names;
}

/** Calls in the handler that reach an ask through project functions, with their chains. */
export function chainsFrom(handler: HandlerRegistration): AskChain[] {
  const found: AskChain[] = [];
  for (const call of handler.fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (classifyCall(call)) continue;
    const chain = chainToAsk(call);
    if (chain) found.push({ call, chain });
  }
  return found;
}

/** A registration whose handler function lives in another file: the chain is that function, if it asks. */
export function definedElsewhere(handler: HandlerRegistration): AskChain[] {
  const fn = handler.fn;
  const asks = fn.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => classifyCall(c) !== undefined);
  const through = asks ? [] : chainsFrom(handler).map(({ chain }) => chain);
  if (!asks && through.length === 0) return [];
  return [{ call: handler.registration, chain: [functionName(fn) ?? 'anonymous', ...(through[0] ?? [])] }];
}
