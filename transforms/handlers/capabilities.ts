/**
 * Capability checks inside migrated code read the capabilities of the request being served: on
 * 2026-07-28 each request carries them, and the server-wide accessor does not see them on every
 * entry. Checks outside any migrated code are flagged as stale.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type PropertyAccessExpression,
  type SourceFile,
} from '../../src/ts-morph.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import type { NameAllocator } from '../../src/edit/naming.js';
import { atStatement, type HandlerPlan } from './plan.js';
import { OPENED } from '../../src/analysis/registration-timing.js';

/** `x.getClientCapabilities(…)` calls under `node`. */
function capabilityReads(node: Node): CallExpression[] {
  return node.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'getClientCapabilities';
  });
}

/** `x.getClientCapabilities()` ⇒ `clientCapabilities(x)`, or `clientCapabilities(x, ctx)` in a handler. */
export function capabilityEdit(call: CallExpression, local: string, ctxName?: string): TextEdit {
  const receiver = (call.getExpression() as PropertyAccessExpression).getExpression().getText();
  return { start: call.getStart(), end: call.getEnd(), text: `${local}(${receiver}${ctxName ? `, ${ctxName}` : ''})` };
}

function capabilityEdits(fn: Node, local: string, ctxName?: string): TextEdit[] {
  return capabilityReads(fn)
    .filter((call) => call.getArguments().length === 0)
    .map((call) => capabilityEdit(call, local, ctxName));
}

/** Rewrites the capability checks of `fn` into the plan, which then imports `clientCapabilities`. */
export function addCapabilityEdits(plan: HandlerPlan, fn: Node, names: NameAllocator, ctxName?: string): void {
  if (capabilityReads(fn).every((call) => call.getArguments().length > 0)) return;
  const edits = capabilityEdits(fn, names.imported('clientCapabilities'), ctxName);
  if (edits.length === 0) return;
  plan.edits.push(...edits);
  plan.runtimeNeeds.add('clientCapabilities');
}

/** Capability reads no rewrite reached: outside any handler or migrated helper. */
export function staleCapabilityChecks(
  sourceFile: SourceFile,
  edits: readonly TextEdit[],
  local: string,
): PendingDiagnostic[] {
  const rewritten = new Set(edits.filter((e) => e.text.startsWith(`${local}(`)).map((e) => e.start));
  return capabilityReads(sourceFile)
    .filter((call) => !rewritten.has(call.getStart()) && !inRegistrationGate(call))
    .map((call) =>
      pending('mrtr/stale-capability-check', { what: `${call.getExpression().getText()}()` }, atStatement(call)),
    );
}

/**
 * A read that decides a registration the registration pass already opened to clients whose
 * capabilities are not known (`getClientCapabilities() === undefined || …`): stale by design there,
 * since each handler checks its request.
 */
function inRegistrationGate(call: CallExpression): boolean {
  const scope = call.getFirstAncestor((n) => Node.isBlock(n) || Node.isSourceFile(n));
  return (
    scope !== undefined &&
    scope
      .getChildrenOfKind(SyntaxKind.SyntaxList)
      .flatMap((list) => list.getChildrenOfKind(SyntaxKind.IfStatement))
      .some((gate) => OPENED.test(gate.getExpression().getText()))
  );
}
