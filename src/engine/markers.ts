/**
 * In-code markers: `/* @mrtr-migrate <rule-id>: <message> *\/` on its own line above the
 * statement, one per line with every rule for that line, never twice, and never where a
 * `// @mrtr-migrate-ignore <rule-id>` says not to. The anchor is always a statement start,
 * so a marker can never land inside a string, template or JSX text.
 */
import type { PendingDiagnostic } from '../diagnostics/diagnostic.js';
import { getRule, renderMessage } from '../diagnostics/rules.js';
import { applyEdits, lineStartOf, type AppliedEdits, type TextEdit } from './text-edits.js';

export const MARKER_PREFIX = '@mrtr-migrate';
export const IGNORE_PREFIX = '@mrtr-migrate-ignore';

export function isIgnored(text: string, diagnostic: PendingDiagnostic): boolean {
  const anchor = diagnostic.anchorOffset ?? diagnostic.offset;
  const lineStart = lineStartOf(text, anchor);
  const previousStart = lineStartOf(text, Math.max(0, lineStart - 1));
  const lineEnd = text.indexOf('\n', anchor);
  const nearby = text.slice(previousStart, lineEnd === -1 ? text.length : lineEnd);
  return new RegExp(`${IGNORE_PREFIX}\\s+(?:[\\w/-]+[ ,]+)*${diagnostic.ruleId.replace('/', '\\/')}\\b`).test(nearby);
}

export function insertMarkers(text: string, diagnostics: readonly PendingDiagnostic[]): AppliedEdits {
  const byAnchor = new Map<number, PendingDiagnostic[]>();
  for (const d of diagnostics) {
    if (!getRule(d.ruleId).marker) continue;
    const anchor = d.anchorOffset ?? d.offset;
    byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), d]);
  }
  const edits: TextEdit[] = [];
  for (const [anchor, group] of byAnchor) {
    const lineStart = lineStartOf(text, anchor);
    const previous = text.slice(lineStartOf(text, Math.max(0, lineStart - 1)), Math.max(0, lineStart - 1));
    const sameLineBefore = text.slice(lineStart, anchor);
    const present = (ruleId: string) => previous.includes(`${MARKER_PREFIX} ${ruleId}:`) || sameLineBefore.includes(`${MARKER_PREFIX} ${ruleId}:`) || previous.includes(`| ${ruleId}:`);
    const entries = unique(group.filter((d) => !present(d.ruleId)).map((d) => `${d.ruleId}: ${renderMessage(d.ruleId, d.data).replaceAll('*/', '* /')}`));
    if (entries.length === 0) continue;
    const comment = `/* ${MARKER_PREFIX} ${entries.join(' | ')} */`;
    if (sameLineBefore.trim() === '') {
      edits.push({ start: lineStart, end: lineStart, text: `${sameLineBefore}${comment}\n` });
    } else {
      edits.push({ start: anchor, end: anchor, text: `${comment} ` });
    }
  }
  return applyEdits(text, edits);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
