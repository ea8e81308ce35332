/**
 * How an ask is reached when the handler does not make it itself: through project functions
 * (`tool drop-table → confirmAction`), from a handler defined in another file, or from a helper
 * that other files may call.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../../src/ts-morph.js';
import { enclosingFunction, type BlockedAsk } from '../../src/analysis/ask-sites.js';
import { functionName, type FunctionLikeNode } from '../../src/analysis/functions.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { classifyCall } from '../../src/analysis/input-points.js';
import { exportedDeclaration, resolveCallee } from '../../src/analysis/resolve.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';

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
  if (
    calls.some(
      (c) => classifyCall(c) !== undefined || /^ask(Elicit|Url|Sampling|Roots)$/.test(c.getExpression().getText()),
    )
  )
    return [name];
  for (const inner of calls) {
    const rest = chainToAsk(inner, depth + 1, seen);
    if (rest) return [name, ...rest];
  }
  return undefined;
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

/** A function other files may call: exported, or a public method of an exported class. */
export function callableFromOutside(fn: FunctionLikeNode): boolean {
  if (Node.isMethodDeclaration(fn)) {
    const owner = fn.getParent();
    const isPrivate = fn.hasModifier(SyntaxKind.PrivateKeyword) || Node.isPrivateIdentifier(fn.getNameNode());
    return (
      !isPrivate &&
      Node.isClassDeclaration(owner) &&
      (owner.hasExportKeyword() || isExportedName(fn.getSourceFile(), owner.getName()))
    );
  }
  return (
    isExportedName(fn.getSourceFile(), functionName(fn)) ||
    fn.getFirstAncestor((n) => Node.isVariableStatement(n) && n.hasExportKeyword()) !== undefined
  );
}

function isExportedName(sourceFile: SourceFile, name: string | undefined): boolean {
  return name !== undefined && exportedDeclaration(sourceFile, name) !== undefined;
}

/** A helper that asks through the runtime where no wrapped handler can reach it. */
export function unreachedHelper(site: BlockedAsk): PendingDiagnostic {
  const owner = enclosingFunction(site.point.call)!;
  return pending(
    'mrtr/helper-unreached',
    { fn: functionName(owner) ?? 'anonymous' },
    { start: site.point.call.getStart(), end: site.point.call.getEnd(), anchor: site.anchor.getStart() },
  );
}
