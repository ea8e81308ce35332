/**
 * In-code markers: `/* @mrtr-migrate <rule-id>: <message> *\/` on its own line above the
 * statement, one per line with every rule for that line, never twice, and never where a
 * `// @mrtr-migrate-ignore <rule-id>` says not to. The anchor is always a statement start,
 * so a marker can never land inside a string, template or JSX text.
 */
import { ts } from '../ts-morph.js';
import type { PendingDiagnostic } from '../diagnostics/diagnostic.js';
import { getRule, renderMessage } from '../diagnostics/rules.js';
import { applyEdits, lineStartOf, type AppliedEdits, type TextEdit } from '../edit/text-edits.js';

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
