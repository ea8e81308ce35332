/**
 * In-code markers: `/* @mrtr-migrate <rule-id>: <message> *\/` on its own line above the
 * statement, one per line with every rule for that line, never twice, and never where a
 * `// @mrtr-migrate-ignore <rule-id>` says not to. The anchor is always a statement start,
 * so a marker can never land inside a string, template or JSX text.
 */
import { ts, type Node } from '../ts-morph.js';
import { enclosingStatementOf } from '../analysis/ask-sites.js';
import type { PendingDiagnostic } from '../diagnostics/diagnostic.js';
import { getRule, isRuleId, renderMessage, type RuleId } from '../diagnostics/rules.js';
import { applyEdits, lineStartOf, type AppliedEdits, type TextEdit } from '../edit/text-edits.js';

export const MARKER_PREFIX = '@mrtr-migrate';
export const IGNORE_PREFIX = '@mrtr-migrate-ignore';

/**
 * What `review` finds in the code itself: a marker over such a spot is not what makes it count, so
 * removing the marker settles nothing until the code changes.
 */
export const FOUND_IN_CODE = [
  'mrtr/unmigrated-ask',
  'mrtr/ask-by-reference',
  'mrtr/mocked-ask',
  'mrtr/unknown-request',
  'mrtr/served-2025-only',
] as const satisfies readonly RuleId[];

export type FoundInCode = (typeof FOUND_IN_CODE)[number];

export function isFoundInCode(ruleId: RuleId): ruleId is FoundInCode {
  return (FOUND_IN_CODE as readonly RuleId[]).includes(ruleId);
}

/** One rule's entry in a marker: `rule-id: message`, at its offsets in the file. */
export interface MarkerEntry {
  readonly ruleId: RuleId;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** A marker comment as it stands in a file, with the entries of the catalogue's rules it holds. */
export interface Marker {
  readonly start: number;
  readonly end: number;
  readonly entries: readonly MarkerEntry[];
}

const MARKER = new RegExp(`/\\*\\s*${MARKER_PREFIX}\\s+([\\s\\S]*?)\\*/`, 'g');
const ENTRY = /(mrtr\/[\w-]+): ([\s\S]*?)(?= \| mrtr\/[\w-]+: |\s*$)/g;

/** Whether the statement holding `node` already carries a marker: the spot is reported through it. */
export function carriesMarker(node: Node): boolean {
  return enclosingStatementOf(node)
    .getLeadingCommentRanges()
    .some((c) => c.getText().includes(MARKER_PREFIX));
}

/**
 * The markers of a text; an entry naming no rule of the catalogue (a newer tool's) is skipped, and
 * so is marker-like text in a string, a template or JSX text, which is not a comment.
 */
export function readMarkers(text: string, jsx = false): Marker[] {
  const markers: Marker[] = [];
  let places: ((offset: number) => Place) | undefined;
  for (const match of text.matchAll(MARKER)) {
    places ??= contextFinder(text, jsx);
    if (places(match.index) !== 'code') continue;
    const bodyStart = match.index + match[0].indexOf(match[1]);
    const entries: MarkerEntry[] = [];
    for (const entry of match[1].matchAll(ENTRY)) {
      if (!isRuleId(entry[1])) continue;
      const start = bodyStart + entry.index;
      entries.push({ ruleId: entry[1], message: entry[2].trim(), start, end: start + entry[0].length });
    }
    markers.push({ start: match.index, end: match.index + match[0].length, entries });
  }
  return markers;
}

export function isIgnored(text: string, diagnostic: PendingDiagnostic): boolean {
  const anchor = diagnostic.anchorOffset ?? diagnostic.offset;
  const lineStart = lineStartOf(text, anchor);
  const previousStart = lineStartOf(text, Math.max(0, lineStart - 1));
  const lineEnd = text.indexOf('\n', anchor);
  const nearby = text.slice(previousStart, lineEnd === -1 ? text.length : lineEnd);
  return new RegExp(`${IGNORE_PREFIX}\\s+(?:[\\w/-]+[ ,]+)*${diagnostic.ruleId.replace('/', '\\/')}\\b`).test(nearby);
}

export function insertMarkers(text: string, diagnostics: readonly PendingDiagnostic[], jsx = false): AppliedEdits {
  const byAnchor = new Map<number, PendingDiagnostic[]>();
  for (const d of diagnostics) {
    if (!getRule(d.ruleId).marker) continue;
    const anchor = d.anchorOffset ?? d.offset;
    byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), d]);
  }
  const edits: TextEdit[] = [];
  const contexts = byAnchor.size > 0 ? contextFinder(text, jsx) : undefined;
  for (const [anchor, group] of byAnchor) {
    const where = contexts!(anchor);
    // Inside a string or template a comment would become text: the finding stays in the report only.
    if (where === 'literal') continue;
    const lineStart = lineStartOf(text, anchor);
    const previous = text.slice(lineStartOf(text, Math.max(0, lineStart - 1)), Math.max(0, lineStart - 1));
    const sameLineBefore = text.slice(lineStart, anchor);
    const present = (ruleId: string) =>
      previous.includes(`${MARKER_PREFIX} ${ruleId}:`) ||
      sameLineBefore.includes(`${MARKER_PREFIX} ${ruleId}:`) ||
      previous.includes(`| ${ruleId}:`);
    const entries = unique(
      group
        .filter((d) => !present(d.ruleId))
        .map((d) => `${d.ruleId}: ${renderMessage(d.ruleId, d.data).replaceAll('*/', '* /')}`),
    );
    if (entries.length === 0) continue;
    const comment = `/* ${MARKER_PREFIX} ${entries.join(' | ')} */`;
    if (where === 'jsx-text') {
      // In JSX children a bare comment would render as text.
      edits.push({ start: anchor, end: anchor, text: `{${comment}}` });
    } else if (sameLineBefore.trim() === '') {
      edits.push({ start: lineStart, end: lineStart, text: `${sameLineBefore}${comment}\n` });
    } else {
      edits.push({ start: anchor, end: anchor, text: `${comment} ` });
    }
  }
  return applyEdits(text, edits);
}

type Place = 'code' | 'literal' | 'jsx-text';

/** Classifies offsets of the text: ordinary code, inside a string or template, or in JSX text. */
function contextFinder(text: string, jsx: boolean): (offset: number) => Place {
  const file = ts.createSourceFile(
    jsx ? 'm.tsx' : 'm.ts',
    text,
    ts.ScriptTarget.Latest,
    true,
    jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  return (offset) => {
    let node: ts.Node = file;
    for (;;) {
      const child: ts.Node | undefined = node.forEachChild((c) =>
        c.getStart(file) <= offset && offset < c.getEnd() ? c : undefined,
      );
      if (!child) break;
      node = child;
    }
    if (ts.isJsxText(node)) return 'jsx-text';
    if (ts.isJsxElement(node) || ts.isJsxFragment(node)) return offset > node.getStart(file) ? 'jsx-text' : 'code';
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      return offset > node.getStart(file) ? 'literal' : 'code';
    }
    if (ts.isTemplateExpression(node)) return offset > node.getStart(file) ? 'literal' : 'code';
    return 'code';
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
