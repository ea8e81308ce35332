/**
 * Which strategy takes each handler, and why. The first row of the table that matches decides;
 * the report prints the result (`strategy`, `risk`, `reasons`). The planner only reads the code:
 * the strategies build the edits.
 *
 *   uses MCP tasks               → left unchanged (SDK v2 has no tasks)
 *   remembered answer            → left unchanged (the answer outlives the call)
 *   ask no strategy can take     → left unchanged, with the rule that names the shape
 *   ask in a loop or try, or
 *   reached through a helper     → resumable
 *   context out of reach         → left unchanged
 *   rounds that need no memory   → guard-first (one-round when asks share a guard)
 *   dependent asks, --style steps → steps, unless the layout cannot be split
 *   dependent asks               → multi-round
 */
import type { SourceFile } from '../src/ts-morph.js';
import { enclosingStatementOf, type AskSite, type BlockedAsk, type RewritableAsk } from '../src/analysis/ask-sites.js';
import { taskUse, type TaskUse } from '../src/analysis/tasks.js';
import type { EffectAnalyzer } from '../src/analysis/effects.js';
import type { HandlerRegistration } from '../src/analysis/handlers.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import type { RuleId } from '../src/diagnostics/rules.js';
import { contextUnavailable } from './handlers/context-parameter.js';
import { groupIntoRounds } from './handlers/grouping.js';
import { blockedDiagnostic, emptyPlan, handlerLabel, outcomeOf, type HandlerPlan } from './handlers/plan.js';
import { rangeOf } from './handlers/round.js';
import { chainsFrom, definedElsewhere, type AskChain } from './resumable/reach.js';
import type { StepLayout } from './steps/layout.js';
import { stepsLayoutFor } from './steps.js';
import type { FlowStyle, Risk } from './types.js';

export type Decision =
  | { readonly strategy: 'left-unchanged'; readonly reason: string; readonly diagnostics: PendingDiagnostic[] }
  | { readonly strategy: 'resumable'; readonly chains: readonly AskChain[] }
  | { readonly strategy: 'guard-first'; readonly groups: readonly (readonly RewritableAsk[])[] }
  | { readonly strategy: 'steps'; readonly asks: readonly RewritableAsk[]; readonly layout: StepLayout }
  | {
      readonly strategy: 'multi-round';
      readonly asks: readonly RewritableAsk[];
      readonly stepsNotApplied?: PendingDiagnostic;
    };

/** What the planner knows of a handler that asks in its own body. */
export interface HandlerFacts {
  readonly handler: HandlerRegistration;
  readonly sites: readonly AskSite[];
  /** Findings that an answer of this handler is remembered across calls. */
  readonly remembered: readonly PendingDiagnostic[];
  /** Calls in the handler that reach an ask through project functions (looked up only when needed). */
  readonly chains: () => readonly AskChain[];
  readonly effects: EffectAnalyzer;
  readonly style: FlowStyle;
}

/** Blocked shapes a resumable ask can take over from a guard. */
const RESUMABLE_RULES = new Set<RuleId>(['mrtr/ask-in-loop', 'mrtr/ask-in-try', 'mrtr/unsupported-ask-position']);

/** One row of the table: a decision when it applies to the handler, else undefined. */
type Row = (facts: HandlerFacts) => Decision | undefined;

const blockedOf = (facts: HandlerFacts) => facts.sites.filter((s): s is BlockedAsk => s.status === 'blocked');
const asksOf = (facts: HandlerFacts) =>
  [...(facts.sites as RewritableAsk[])].sort((a, b) => a.point.call.getStart() - b.point.call.getStart());

const DECISIONS: readonly Row[] = [
  (f) => {
    const tasks = taskUse(f.handler.fn);
    return tasks ? leave('it uses MCP tasks, which SDK v2 does not have', [taskBased(f.handler, tasks)]) : undefined;
  },
  (f) => (f.remembered.length > 0 ? leave('the answer is remembered across calls', [...f.remembered]) : undefined),
  (f) => {
    const stuck = blockedOf(f).filter((s) => !RESUMABLE_RULES.has(s.ruleId));
    return stuck.length > 0
      ? leave('an ask in this handler sits where a guard cannot replace it', stuck.map(blockedDiagnostic))
      : undefined;
  },
  (f) => (blockedOf(f).length > 0 || f.chains().length > 0 ? { strategy: 'resumable', chains: f.chains() } : undefined),
  (f) =>
    contextUnavailable(f.handler) !== undefined
      ? leave('the handler context cannot be reached', [contextDiagnostic(f.handler)])
      : undefined,
  (f) => {
    const groups = groupIntoRounds(asksOf(f), f.effects);
    return groups ? { strategy: 'guard-first', groups } : undefined;
  },
  (f) => {
    if (f.style !== 'steps') return undefined;
    const layout = stepsLayoutFor(f.handler, asksOf(f));
    return 'steps' in layout
      ? { strategy: 'steps', asks: asksOf(f), layout }
      : { strategy: 'multi-round', asks: asksOf(f), stepsNotApplied: layout.diagnostic };
  },
  (f) => ({ strategy: 'multi-round', asks: asksOf(f) }),
];

export function decide(facts: HandlerFacts): Decision {
  for (const row of DECISIONS) {
    const decision = row(facts);
    if (decision) return decision;
  }
  throw new Error('the last row of the decision table always decides');
}

function leave(reason: string, diagnostics: PendingDiagnostic[]): Decision {
  return { strategy: 'left-unchanged', reason, diagnostics };
}

function taskBased(handler: HandlerRegistration, use: TaskUse): PendingDiagnostic {
  return pending(
    'mrtr/task-based',
    { what: `\`${handlerLabel(handler)}\``, how: use.what, outcome: 'left as written, and it fails on v2' },
    { start: use.node.getStart(), end: use.node.getEnd(), anchor: enclosingStatementOf(use.node).getStart() },
    handlerLabel(handler),
  );
}

function contextDiagnostic(handler: HandlerRegistration): PendingDiagnostic {
  const how = contextUnavailable(handler)!;
  return pending(
    'mrtr/context-param-unavailable',
    { handler: handler.name, how },
    rangeOf(handler.fn.getParameters()[handler.contextIndex] ?? handler.fn),
    handlerLabel(handler),
  );
}

const RISK_ORDER: Readonly<Record<Risk, number>> = { safe: 0, review: 1, manual: 2 };

/** A guard rewrite riskier than `--max-risk` is dropped: the handler keeps its code and says why. */
export function withinMaxRisk(
  plan: HandlerPlan,
  handler: HandlerRegistration,
  firstAsk: RewritableAsk,
  maxRisk: Exclude<Risk, 'manual'>,
): HandlerPlan {
  const { risk, reasons } = plan.outcome;
  if (RISK_ORDER[risk] <= RISK_ORDER[maxRisk]) return plan;
  const call = firstAsk.point.call;
  const d = pending(
    'mrtr/risk-above-max',
    { handler: handler.name, risk, reason: reasons[0], max: maxRisk },
    { start: call.getStart(), end: call.getEnd(), anchor: firstAsk.statement.getStart() },
    handlerLabel(handler),
  );
  return emptyPlan(
    outcomeOf(handler, {
      strategy: 'left-unchanged',
      risk: 'manual',
      keys: [],
      reasons: [`not rewritten: ${risk} is above --max-risk ${maxRisk}`, ...reasons],
    }),
    [d],
  );
}

/** A handler that asks nothing in its own body, and what may reach an ask from it. */
export interface IndirectFacts {
  /** Where the handler function is defined, relative to the file being migrated. */
  readonly seen: 'here' | 'elsewhere';
  /** Project functions on the way to an ask (for a handler defined elsewhere: that function). */
  readonly chains: readonly AskChain[];
}

/**
 * The second table, for handlers with no ask of their own:
 *
 *   defined in another file that asks, or calls a helper that asks → resumable
 *   anything else                                                   → nothing to do
 *
 * Asks they reach through code the codemod cannot follow still work at run time: every handler
 * an SDK server serves runs in a round. The helper's report says when no handler was found.
 */
export function decideIndirect(handler: HandlerRegistration, sourceFile: SourceFile): IndirectFacts | undefined {
  const elsewhere = handler.fn.getSourceFile() !== sourceFile;
  // Registered in another file: that file's run reports it.
  if (elsewhere && handler.registration.getSourceFile() !== sourceFile) return undefined;
  const chains = elsewhere ? definedElsewhere(handler) : chainsFrom(handler);
  return { seen: elsewhere ? 'elsewhere' : 'here', chains };
}
