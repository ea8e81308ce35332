/**
 * guard-first: an ask awaited directly in a tools/call, prompts/get or resources/read handler
 * becomes a guard at the same spot. The handler reads this round's answer with `inputResponse`;
 * when there is none it returns `inputRequired(...)`, and the client retries with the answer.
 *
 *   const r = await server.server.elicitInput(params)
 *     ⇒ const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
 *       if (r.kind !== 'elicit' || …invalid content…) {
 *         return inputRequired({ inputRequests: { confirm: inputRequired.elicit(params) } });
 *       }
 *
 * Only a missing answer asks again: decline and cancel reach the original branches unchanged.
 * Asks on paths that exclude each other get a guard each; independent asks with only pure code
 * between them share one guard (reported as `one-round`). Everything above a guard runs again
 * on the retry, so each statement there that does more than compute gets a before-guard flag.
 * Handlers whose later questions depend on earlier answers go to multi-round or steps instead.
 */
import type { RewritableAsk } from '../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../src/analysis/handlers.js';
import type { NameAllocator } from '../src/edit/naming.js';
import { addCapabilityEdits } from './handlers/capabilities.js';
import { buildGuardRounds, finishGuardPlan, openGuardPlan } from './handlers/guards.js';
import type { HandlerPlan } from './handlers/plan.js';
import type { TransformContext } from './types.js';

/** Guards for rounds that need no memory: one round per group of asks. */
export function planGuardFirst(
  handler: HandlerRegistration,
  groups: readonly (readonly RewritableAsk[])[],
  names: NameAllocator,
  context: TransformContext,
): HandlerPlan {
  const strategy = groups.some((g) => g.length > 1) ? 'one-round' : 'guard-first';
  const { plan, ctxName } = openGuardPlan(handler, strategy, names, { carriesState: false });
  addCapabilityEdits(plan, handler.fn, names, ctxName);
  const rounds = buildGuardRounds(plan, handler, groups, { ctxName, names, context });
  return finishGuardPlan(plan, handler, rounds);
}
