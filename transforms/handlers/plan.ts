/**
 * A handler plan: what one strategy wants done to one handler (edits, findings, imports) before
 * the pass applies every plan of the file in one go. Strategies build plans; the pass assembles.
 */
import type { Node } from '../../src/ts-morph.js';
import { enclosingStatementOf, type BlockedAsk } from '../../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import type { HandlerOutcome } from '../types.js';
import type { BeforeGuardFlag } from './before-guard.js';
import type { Scaffold } from '../steps/scaffold.js';
import type { RoundSink } from './round.js';

export type PlannedOutcome = Omit<HandlerOutcome, 'offset' | 'endOffset'>;

export interface HandlerPlan extends RoundSink {
  readonly outcome: PlannedOutcome;
  /** Names this handler imports from the runtime module. */
  readonly runtimeNeeds: Set<string>;
  /** The registration, for a marker when the verify hook cannot be wired. */
  readonly replayedAt?: {
    readonly start: number;
    readonly end: number;
    readonly handler: string;
    readonly label: string;
  };
  /** Step bodies to indent once the edits are applied (`--style steps`). */
  readonly stepBodies?: Scaffold['bodies'];
  /** Asks now made through the runtime, which only a server that loads it can serve. */
  readonly resumableAsks: Node[];
}

/** `tool deploy`, `prompt summarize`: how reports and runtime state name a handler. */
export function handlerLabel(handler: HandlerRegistration): string {
  return `${handler.family ?? 'handler'} ${handler.name}`;
}

export function emptyPlan(outcome: PlannedOutcome, diagnostics: PendingDiagnostic[] = []): HandlerPlan {
  return {
    edits: [],
    diagnostics,
    needs: new Set(),
    typeNeeds: new Set(),
    consumed: [],
    inserted: [],
    runtimeNeeds: new Set(),
    resumableAsks: [],
    outcome,
  };
}

export function outcomeOf(
  handler: HandlerRegistration,
  fields: Pick<HandlerOutcome, 'strategy' | 'risk' | 'keys' | 'reasons'>,
): PlannedOutcome {
  return { handler: handlerLabel(handler), family: handler.family!, name: handler.name, ...fields };
}

/** The handler keeps its code; the reason is what the report prints. */
export function leftUnchanged(
  handler: HandlerRegistration,
  diagnostics: PendingDiagnostic[],
  reason: string,
): HandlerPlan {
  return emptyPlan(
    outcomeOf(handler, { strategy: 'left-unchanged', risk: 'manual', keys: [], reasons: [reason] }),
    diagnostics,
  );
}

/** The registration of a handler whose state travels between rounds. */
export function replayedAt(handler: HandlerRegistration): NonNullable<HandlerPlan['replayedAt']> {
  const registration = handler.registration;
  return {
    start: registration.getStart(),
    end: registration.getEnd(),
    handler: handler.name,
    label: handlerLabel(handler),
  };
}

export function blockedDiagnostic(site: BlockedAsk): PendingDiagnostic {
  const call = site.point.call;
  return pending(
    site.ruleId,
    site.data,
    { start: call.getStart(), end: call.getEnd(), anchor: site.anchor.getStart() },
    site.handler && handlerLabel(site.handler),
  );
}

/** `notCarried`: why `once` could not carry it, when carrying was tried. */
export function flagDiagnostic(
  flag: BeforeGuardFlag,
  key: string,
  handler: HandlerRegistration,
  notCarried?: string,
): PendingDiagnostic {
  const { finding } = flag;
  return pending(
    flag.ruleId,
    flagData(flag, key, notCarried),
    { start: finding.node.getStart(), end: finding.node.getEnd(), anchor: flag.statement.getStart() },
    handlerLabel(handler),
  );
}

/** The message data of a before-guard flag. */
export function flagData(flag: BeforeGuardFlag, key: string, notCarried?: string): Record<string, string> {
  return {
    what: flag.finding.what,
    why: flag.finding.why,
    key,
    notCarried: notCarried ? ` (not carried by once: ${notCarried})` : '',
  };
}

/** The report's one-line reason for a flag. */
export function reasonFor(flag: BeforeGuardFlag): string {
  const { finding } = flag;
  if (flag.ruleId.endsWith('-on-replay')) {
    return finding.category === 'nondeterministic'
      ? `\`${finding.what}\` would differ if the call were replayed (its continuation lost)`
      : `\`${finding.what}\` would run again if the call were replayed (its continuation lost)`;
  }
  switch (finding.category) {
    case 'read':
      return `\`${finding.what}\` re-runs a read on every round`;
    case 'unknown':
      return `\`${finding.what}\` runs again on every round and cannot be seen into`;
    case 'nondeterministic':
      return `\`${finding.what}\` differs between rounds and is used after the guard`;
    default:
      return `\`${finding.what}\` runs again on every round: it ${finding.why}`;
  }
}

/** A finding's range at `node`, its marker above the statement that holds it. */
export function atStatement(node: Node): { start: number; end: number; anchor: number } {
  return { start: node.getStart(), end: node.getEnd(), anchor: enclosingStatementOf(node).getStart() };
}
