/**
 * Capability checks inside migrated code read the capabilities of the request being served: on
 * 2026-07-28 each request carries them, and the server-wide accessor does not see them on every entry.
 */
import { Node, SyntaxKind, type PropertyAccessExpression } from '../../src/ts-morph.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import type { HandlerPlan } from './plan.js';

/** `x.getClientCapabilities()` ⇒ `clientCapabilities(x)`, or `clientCapabilities(x, ctx)` in a handler. */
function capabilityEdits(fn: Node, ctxName?: string): TextEdit[] {
  return fn
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((call) => {
      const callee = call.getExpression();
      return (
        Node.isPropertyAccessExpression(callee) &&
        callee.getName() === 'getClientCapabilities' &&
        call.getArguments().length === 0
      );
    })
    .map((call) => {
      const receiver = (call.getExpression() as PropertyAccessExpression).getExpression().getText();
      return {
        start: call.getStart(),
        end: call.getEnd(),
        text: `clientCapabilities(${receiver}${ctxName ? `, ${ctxName}` : ''})`,
      };
    });
}

/** Rewrites the capability checks of `fn` into the plan, which then imports `clientCapabilities`. */
export function addCapabilityEdits(plan: HandlerPlan, fn: Node, ctxName?: string): void {
  const edits = capabilityEdits(fn, ctxName);
  if (edits.length === 0) return;
  plan.edits.push(...edits);
  plan.runtimeNeeds.add('clientCapabilities');
}
