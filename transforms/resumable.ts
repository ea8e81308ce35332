/**
 * resumable: where a guard cannot replace an ask (it sits in a helper, a loop, a try block, a
 * larger expression, or an `await Promise.all(items.map(…))`), the ask call becomes a call of the
 * runtime and the code otherwise stays as written:
 *
 *   await server.server.elicitInput(params)  ⇒  await askElicit('confirmAction', params)
 *   registerTool('drop', config, handler)    ⇒  registerTool('drop', config, resumable('tool drop', handler))
 *
 * `resumable(...)` runs the handler in a round; an ask with no answer yet ends the round with
 * `inputRequired(...)`, and the retry replays the handler from the top with the answers carried
 * in signed requestState. Every catch around an ask first rethrows the end of a round. What runs
 * before the first ask runs again each round and is flagged. A function that registers handlers
 * it is given gets the wrap at that registration (`mrtr/forwarded-registration`); a helper no
 * wrapped handler reaches is marked (`mrtr/helper-unreached`).
 */
import { Node, type CallExpression } from '../src/ts-morph.js';
import { enclosingFunction, type AskSite, type BlockedAsk } from '../src/analysis/ask-sites.js';
import { functionName } from '../src/analysis/functions.js';
import { resolveCallee } from '../src/analysis/resolve.js';
import type { HandlerRegistration } from '../src/analysis/handlers.js';
import { pending } from '../src/diagnostics/diagnostic.js';
import { KeyAllocator, type NameAllocator } from '../src/edit/naming.js';
import { flagsOnPath, ON_REPLAY_RULES, replayedBefore } from './handlers/before-guard.js';
import { addCapabilityEdits } from './handlers/capabilities.js';
import {
  emptyPlan,
  flagDiagnostic,
  handlerLabel,
  outcomeOf,
  reasonFor,
  replayedAt,
  type HandlerPlan,
} from './handlers/plan.js';
import { keyForPoint } from './handlers/round.js';
import { askCall, rethrowEdits, statementIn } from './resumable/ask-calls.js';
import type { AskChain } from './resumable/reach.js';
import type { TransformContext } from './types.js';

/**
 * A handler that asks in loops or try blocks, or through helpers (`chains`): its own asks become
 * resumable asks. Its registration stays as written: the server's round reaches it.
 */
export function planResumable(
  handler: HandlerRegistration,
  sites: readonly AskSite[],
  chains: readonly AskChain[],
  names: NameAllocator,
  context: TransformContext,
  /** Why its own asks could not return the request instead. */
  notNative?: string,
): HandlerPlan {
  const label = handlerLabel(handler);
  const plan: HandlerPlan = {
    ...emptyPlan(outcomeOf(handler, { strategy: 'resumable', risk: 'review', keys: [], reasons: [] })),
    replayedAt: replayedAt(handler),
  };
  const keys = new KeyAllocator();
  const allKeys: string[] = [];
  const catches = new Set<Node>();
  // Each ask, with the name the flags before it use: its key, or the helper a chain reaches.
  const askNodes = new Map<Node, string>();
  for (const site of [...sites].sort((a, b) => a.point.call.getStart() - b.point.call.getStart())) {
    const statement = site.status === 'rewritable' ? site.statement : site.anchor;
    const nameNode = Node.isVariableStatement(statement) ? statement.getDeclarations()[0]?.getNameNode() : undefined;
    const key = keys.fresh(keyForPoint(site.point, nameNode));
    allKeys.push(key);
    const rewrite = askCall(site.point, key, context.style, statement, names);
    plan.edits.push(...rewrite.edits);
    plan.diagnostics.push(...rewrite.diagnostics);
    plan.runtimeNeeds.add(rewrite.runtimeName);
    plan.consumed.push(...site.point.consumedNames);
    plan.edits.push(...rethrowEdits(site.point.call, handler.fn, names, context.style, catches));
    askNodes.set(site.point.call, key);
    plan.resumableAsks.push(site.point.call);
  }
  const local = handler.fn.getSourceFile() === handler.registration.getSourceFile();
  for (const { call, chain } of chains) {
    if (local) plan.edits.push(...rethrowEdits(call, handler.fn, names, context.style, catches));
    askNodes.set(call, chain.at(-1) ?? 'first');
  }
  if (catches.size > 0) plan.runtimeNeeds.add('isRoundEnd');
  // A handler defined in another file is edited there (its asks and checks), never from here.
  if (local) addCapabilityEdits(plan, handler.fn, names);

  // A replay runs everything before each ask again, and a loop's earlier iterations with it.
  const body = handler.fn.getBody();
  const reasons = new Set<string>();
  const flagged = new Set<Node>();
  for (const [ask, key] of [...askNodes].sort(([a], [b]) => a.getStart() - b.getStart())) {
    const statement = body && local ? statementIn(ask, handler.fn) : undefined;
    if (!statement || !body) continue;
    for (const flag of flagsOnPath(
      replayedBefore(statement, body),
      handler.fn,
      context.effects,
      () => true,
      ON_REPLAY_RULES,
    )) {
      if (flagged.has(flag.statement)) continue;
      flagged.add(flag.statement);
      plan.diagnostics.push(flagDiagnostic(flag, key, handler));
      reasons.add(reasonFor(flag));
    }
  }
  return {
    ...plan,
    outcome: {
      ...plan.outcome,
      keys: allKeys,
      reasons: [...resumableReasons(label, chains, reasons), ...(notNative ? [`held, not native: ${notNative}`] : [])],
      reaches: [...new Set(chains.map(({ chain }) => chain[chain.length - 1]))],
      askPaths: [...new Set(chains.map(({ chain }) => chain.join(' → ')))],
      ...(chains.some(({ call }) => {
        const file = resolveCallee(call.getExpression())?.getSourceFile();
        return file !== undefined && file !== handler.fn.getSourceFile();
      })
        ? { reachesAcross: true }
        : {}),
    },
  };
}

function resumableReasons(label: string, chains: readonly AskChain[], flagged: Set<string>): string[] {
  const via = [...new Set(chains.map(({ chain }) => chain.join(' → ')))];
  return [
    ...(via.length > 0 ? [`asks through ${via.map((c) => `${label} → ${c}`).join('; ')}`] : []),
    'the call waits in the serving process between rounds; if its continuation is lost it replays from ' +
      'the top with the answers carried in signed requestState (set MCP_REQUEST_STATE_KEY)',
    ...flagged,
  ];
}

/** Asks in helpers (functions that are not handlers): resumable asks named after the helper. */
function outermostFunction(fn: Node): Node {
  let outer = fn;
  for (let up = enclosingFunction(fn); up; up = enclosingFunction(up)) outer = up;
  return outer;
}

export function planHelpers(
  sites: readonly BlockedAsk[],
  names: NameAllocator,
  context: TransformContext,
): HandlerPlan {
  // Not a handler: its outcome is never reported, only its edits and findings.
  const plan = emptyPlan({
    handler: 'helpers',
    family: 'tool',
    name: '',
    strategy: 'resumable',
    risk: 'review',
    keys: [],
    reasons: [],
  });
  const keys = new Map<Node, KeyAllocator>();
  const catches = new Set<Node>();
  const flagged = new Set<Node>();
  for (const site of sites) {
    const owner = enclosingFunction(site.point.call)!;
    const allocator = keys.get(owner) ?? new KeyAllocator();
    keys.set(owner, allocator);
    const helper = functionName(owner) ?? 'anonymous';
    const key = allocator.fresh(helper);
    // A helper may be called where no request is served (a timer, a notification, a test): there it asks as before.
    const rewrite = askCall(site.point, key, context.style, site.anchor, names, true);
    const call: CallExpression = site.point.call;
    plan.edits.push(...rewrite.edits);
    // Who reaches it is said by the pass, once every handler of the file is planned.
    plan.diagnostics.push(...rewrite.diagnostics);
    plan.resumableAsks.push(call);
    plan.runtimeNeeds.add(rewrite.runtimeName);
    plan.consumed.push(...site.point.consumedNames);
    plan.edits.push(...rethrowEdits(call, owner, names, context.style, catches));
    const body = owner.getBody();
    const statement = statementIn(call, owner);
    if (body && statement) {
      for (const flag of flagsOnPath(
        replayedBefore(statement, body),
        owner,
        context.effects,
        () => true,
        ON_REPLAY_RULES,
      )) {
        if (flagged.has(flag.statement)) continue;
        flagged.add(flag.statement);
        plan.diagnostics.push(
          pending(
            flag.ruleId,
            { what: flag.finding.what, why: flag.finding.why, key },
            { start: flag.finding.node.getStart(), end: flag.finding.node.getEnd(), anchor: flag.statement.getStart() },
          ),
        );
      }
    }
  }
  if (catches.size > 0) plan.runtimeNeeds.add('isRoundEnd');
  // The checks of the function that holds the helper too (`syncRoots` around its `requestRoots`).
  const outermost = new Set([...keys.keys()].map((owner) => outermostFunction(owner)));
  for (const fn of outermost) addCapabilityEdits(plan, fn, names);
  return plan;
}
