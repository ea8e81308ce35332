import { identityOffsets, type OffsetMap } from '../edit/text-edits.js';
import { getRule, renderMessage, type RuleId, type Severity } from './rules.js';

/** A finding as a transform reports it: an offset in the text the transform produced. */
export interface PendingDiagnostic {
  readonly ruleId: RuleId;
  readonly data: Readonly<Record<string, string>>;
  /** Offset into the transform's output text. */
  readonly offset: number;
  readonly endOffset: number;
  /** Offset of the start of the statement a marker goes above (defaults to `offset`). */
  readonly anchorOffset?: number;
  /** Handler the finding belongs to, as `kind name` (for grouping in reports). */
  readonly handler?: string;
}

/** A finding as the user sees it: resolved to 1-based lines and columns of the final text. */
export interface Diagnostic {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly handler?: string;
}

export function pending(
  ruleId: RuleId,
  data: Readonly<Record<string, string>>,
  range: { start: number; end: number; anchor?: number },
  handler?: string,
): PendingDiagnostic {
  return { ruleId, data, offset: range.start, endOffset: range.end, anchorOffset: range.anchor, handler };
}

export function severityOf(ruleId: RuleId): Severity {
  return getRule(ruleId).severity;
}

export function messageOf(d: Pick<PendingDiagnostic, 'ruleId' | 'data'>): string {
  return renderMessage(d.ruleId, d.data);
}

/** A finding that follows its text through a transform's edits. */
export function movedBy(d: PendingDiagnostic, map: OffsetMap): PendingDiagnostic {
  if (map === identityOffsets) return d;
  return {
    ...d,
    offset: map(d.offset),
    endOffset: map(d.endOffset),
    anchorOffset: d.anchorOffset === undefined ? undefined : map(d.anchorOffset),
  };
}
