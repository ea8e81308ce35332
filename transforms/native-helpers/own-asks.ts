/**
 * A handler that asks in a loop, or several times where a guard cannot go, asks natively in its
 * own body: each ask reads its answer (earlier rounds' answers travel in signed requestState) or
 * returns the request, and what the earlier passes did is carried by `once`, one value per pass:
 *
 *   for (const id of ids) {
 *     const answer = await server.server.elicitInput(params);
 *       ⇒ const answer = await elicitAnswer(ctx, 'ok', params);
 *         if (isInputRequiredResult(answer)) return answer;
 *     await db.insert(id);  ⇒  await onceEffect(ctx, 'insert', () => db.insert(id));
 *   }
 *
 * Nothing is thrown, so the `catch` blocks around an ask stay as written; a `finally` around one
 * keeps its cleanup for the round that ends the call. An ask in an expression a return cannot
 * leave (a callback, a `Promise.all` over a list) stays held.
 */
import { Node } from '../../src/ts-morph.js';
import { enclosingFunction, type AskSite } from '../../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { pending } from '../../src/diagnostics/diagnostic.js';
import { KeyAllocator, type NameAllocator } from '../../src/edit/naming.js';
import { replayedBefore } from '../handlers/before-guard.js';
import { carrierFor } from '../handlers/carry-once.js';
import { handlerLabel, replayedAt, type HandlerPlan } from '../handlers/plan.js';
import { keyForPoint } from '../handlers/round.js';
import { hasUntypedResult } from '../handlers/untyped-asks.js';
import { flagHandler, nativeAskEdits, nativeHandlerPlan, type HandlerCarrying } from '../native-helpers.js';
import type { TransformContext } from '../types.js';
import { keepFinallyForTheEnd } from './finally-guard.js';
import { awaitedSpot, type AwaitedSpot } from './reach.js';

/** Each ask's spot, or why the handler's asks stay held. */
export function nativeOwnSpots(handler: HandlerRegistration, sites: readonly AskSite[]): AwaitedSpot[] | string {
  if (!handler.fn.isAsync()) return 'the handler is not async';
  const spots: AwaitedSpot[] = [];
  for (const site of sites) {
    const call = site.point.call;
    if (site.point.resultSchema || hasUntypedResult(call)) return 'an answer is parsed or untyped';
    if (enclosingFunction(call) !== handler.fn)
      return 'an ask runs in a callback the handler hands on (a `Promise.all` over a list, say)';
    const spot = awaitedSpot(call, handler.fn);
    if (!spot) return 'an ask is not awaited where a return can leave the handler';
    spots.push(spot);
  }
  return spots;
}

export function planNativeOwnAsks(
  handler: HandlerRegistration,
  sites: readonly AskSite[],
  spots: readonly AwaitedSpot[],
  names: NameAllocator,
  context: TransformContext,
): HandlerPlan {
  const label = handlerLabel(handler);
  const { plan, ctx } = nativeHandlerPlan(handler, names);
  const askingCalls: ReadonlySet<Node> = new Set(sites.map((site) => site.point.call));
  const carrying: HandlerCarrying = {
    carrier: carrierFor(handler.fn, ctx.name, names, context, { ignored: askingCalls, perPass: true }),
    reasons: new Set(),
    done: new Set(),
    ignored: askingCalls,
  };
  const keys = new KeyAllocator();
  const allKeys: string[] = [];
  const guardedFinallies = new Set<Node>();
  const body = handler.fn.getBody()!;
  sites.forEach((site, i) => {
    const spot = spots[i];
    const nameNode = Node.isVariableStatement(spot.statement)
      ? spot.statement.getDeclarations()[0]?.getNameNode()
      : undefined;
    const key = keys.fresh(keyForPoint(site.point, nameNode));
    allKeys.push(key);
    nativeAskEdits(plan, site.point, spot, key, ctx.name, false, names, context);
    plan.diagnostics.push(
      pending(
        'mrtr/native-in-handler',
        { handler: label, kind: site.point.kind, key },
        { start: spot.call.getStart(), end: spot.call.getEnd(), anchor: spot.statement.getStart() },
        label,
      ),
    );
    flagHandler(plan, carrying, handler, replayedBefore(spot.statement, body), key, context);
    keepFinallyForTheEnd(plan, handler.fn, spot.statement, ctx.name, names, context.style, guardedFinallies);
  });
  const reasons = [
    'asks in a loop or more than once where a guard cannot go: each pass asks under a key of its own and ' +
      'returns the request; the earlier answers travel in signed requestState (set MCP_REQUEST_STATE_KEY)',
    ...carrying.reasons,
  ];
  return {
    ...plan,
    replayedAt: replayedAt(handler),
    outcome: {
      ...plan.outcome,
      risk: carrying.reasons.size > 0 ? 'review' : 'safe',
      keys: allKeys,
      reasons,
      carriesAnswers: true,
      nativeInHandler: allKeys.length,
    },
  };
}
