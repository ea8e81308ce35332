/**
 * What every guard strategy (guard-first, multi-round, steps) does to a handler: reach its
 * context, build one guard per round of questions, flag what runs again above each guard, and
 * grade the result. The strategies differ only in where answers come from and go to.
 */
import type { Node, Statement } from '../../src/ts-morph.js';
import type { RewritableAsk } from '../../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import type { PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { KeyAllocator, type NameAllocator } from '../../src/edit/naming.js';
import type { Strategy, TransformContext } from '../types.js';
import { flagsBefore, movableEffects, usedAfterAsk } from './before-guard.js';
import { carriedDiagnostic, carrierFor, type CarriedRun } from './carry-once.js';
import { contextParameter, widenReturnType } from './context-parameter.js';
import { emptyPlan, flagDiagnostic, outcomeOf, reasonFor, replayedAt, type HandlerPlan } from './plan.js';
import { buildRound, type RoundInput } from './round.js';

export interface GuardPlan {
  readonly plan: HandlerPlan;
  readonly ctxName: string;
}

/** A plan with the context parameter in place and the guard's imports noted. */
export function openGuardPlan(
  handler: HandlerRegistration,
  strategy: Strategy,
  names: NameAllocator,
  options: { readonly carriesState: boolean; readonly diagnostics?: PendingDiagnostic[] },
): GuardPlan {
  const base = emptyPlan(
    outcomeOf(handler, { strategy, risk: 'safe', keys: [], reasons: [] }),
    options.diagnostics ?? [],
  );
  const plan: HandlerPlan = options.carriesState ? { ...base, replayedAt: replayedAt(handler) } : base;
  const ctx = contextParameter(handler, names);
  plan.edits.push(...ctx.edits);
  plan.needs.add('inputRequired').add('inputResponse');
  if (ctx.typed) plan.typeNeeds.add('ServerContext');
  return { plan, ctxName: ctx.name };
}

export interface GuardRoundsInput {
  readonly ctxName: string;
  readonly names: NameAllocator;
  readonly context: TransformContext;
  readonly carried?: RoundInput['carried'];
  /** In a step only what precedes the question within the step runs again: the step's first statement. */
  readonly stepStart?: (group: readonly RewritableAsk[]) => Statement | undefined;
  /** Called for each ask whose answers travel in requestState. */
  readonly onCarriedAsk?: (ask: RewritableAsk) => void;
}

export interface GuardRounds {
  /** Every input request key, in order. */
  readonly keys: string[];
  /** The keys of each round, in the order of `groups`. */
  readonly roundKeys: string[][];
  readonly reasons: Set<string>;
  /** Whether `once` carries anything in requestState. */
  readonly carries: boolean;
}

/** One guard per group, with a flag for each statement above it that does more than compute. */
export function buildGuardRounds(
  plan: HandlerPlan,
  handler: HandlerRegistration,
  groups: readonly (readonly RewritableAsk[])[],
  input: GuardRoundsInput,
): GuardRounds {
  const { context } = input;
  const keys = new KeyAllocator();
  const allKeys: string[] = [];
  const roundKeys: string[][] = [];
  const reasons = new Set<string>();
  const flagged = new Set<string>();
  let moves = 0;
  const carrier = carrierFor(handler.fn, input.ctxName, input.names, context);
  const carried = new Map<number, CarriedRun>();
  for (const group of groups) {
    const stepStart = input.stepStart?.(group);
    const flags = flagsBefore(group[0], group, context.effects).filter(
      (flag) => !stepStart || flag.finding.node.getStart() >= stepStart.getStart(),
    );
    const moved = context.options.fixEffects ? movableEffects(flags, group, context.effects) : [];
    const built = buildRound(
      { group, ctxName: input.ctxName, keys, names: input.names, style: context.style, moved, carried: input.carried },
      plan,
    );
    if (input.onCarriedAsk) for (const ask of group) input.onCarriedAsk(ask);
    roundKeys.push(built);
    allKeys.push(...built);
    moves += moved.length;
    const usedLater = (node: Node) => usedAfterAsk(node, group[0], group);
    for (const flag of flags) {
      if (moved.includes(flag.pathStatement as Statement)) continue;
      const carrying = carrier?.carry(flag, usedLater) ?? { carried: [], kept: [{ flag }] };
      for (const run of carrying.carried) {
        if (carried.has(run.edit.start)) continue;
        carried.set(run.edit.start, run);
        plan.edits.push(run.edit);
        plan.runtimeNeeds.add(run.runtimeName);
        plan.diagnostics.push(carriedDiagnostic(run, built[0], handler));
      }
      for (const { flag: kept, notCarried } of carrying.kept) {
        const id = `${kept.ruleId}@${kept.finding.node.getStart()}`;
        if (flagged.has(id)) continue;
        flagged.add(id);
        plan.diagnostics.push(flagDiagnostic(kept, built[0], handler, notCarried));
        reasons.add(reasonFor(kept));
      }
    }
  }
  if (moves > 0) reasons.add(`${moves} effect${moves > 1 ? 's' : ''} moved below the guard by --fix-effects`);
  if (carried.size > 0) {
    reasons.add(
      `${carried.size} ${carried.size > 1 ? 'statements run' : 'statement runs'} in the first round only, ` +
        'carried by once in signed requestState (set MCP_REQUEST_STATE_KEY)',
    );
  }
  return { keys: allKeys, roundKeys, reasons, carries: carried.size > 0 };
}

/** Widens the declared result type and grades the plan: `safe` when nothing above a guard needs a look. */
export function finishGuardPlan(
  plan: HandlerPlan,
  handler: HandlerRegistration,
  rounds: GuardRounds,
  stepBodies?: HandlerPlan['stepBodies'],
): HandlerPlan {
  const widened = widenReturnType(handler);
  if (widened) {
    plan.edits.push(widened);
    plan.typeNeeds.add('InputRequiredResult');
  }
  const reasons = [...rounds.reasons];
  return {
    ...plan,
    // Carried values travel in requestState: the server verifies it like a multi-round handler's.
    ...(rounds.carries && !plan.replayedAt ? { replayedAt: replayedAt(handler) } : {}),
    stepBodies,
    outcome: {
      ...plan.outcome,
      risk: reasons.length > 0 ? 'review' : 'safe',
      keys: rounds.keys,
      reasons: reasons.length > 0 ? reasons : ['nothing runs before the guard but code that is safe to repeat'],
    },
  };
}
