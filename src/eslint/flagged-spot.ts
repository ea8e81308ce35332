/**
 * `flagged-spot`: every `@mrtr-migrate` marker, reported at the code it marks with the catalogue's
 * message and the `explain` text, and a suggestion that marks it reviewed by removing the marker.
 */
import type { Rule } from 'eslint';
import { getRule } from '../diagnostics/rules.js';
import { isFoundInCode, readMarkers, type Marker, type MarkerEntry } from '../engine/markers.js';
import { explainBrief } from '../report/explain.js';
import { isSkipped, locOf } from './parsed.js';

export const flaggedSpot: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Report each spot the migration flagged with an `@mrtr-migrate` marker' },
    hasSuggestions: true,
    schema: [],
    messages: {
      flagged: '{{message}} ({{ruleId}})\n\n{{explain}}',
      flaggedInCode:
        '{{message}} ({{ruleId}})\n\n{{explain}}\n\nReview finds this in the code itself: it is settled by changing ' +
        'the code, not by removing the marker.',
      markReviewed: 'Mark it reviewed: remove the `{{ruleId}}` marker',
    },
  },
  create(context) {
    const code = context.sourceCode;
    if (isSkipped(context.filename) || !code.text.includes('@mrtr-migrate')) return {};
    return {
      Program() {
        for (const marker of readMarkers(code.text, /\.[jt]sx$/.test(context.filename))) {
          const spot = markedSpot(code.text, marker);
          for (const entry of marker.entries) {
            const data = { ruleId: entry.ruleId, message: entry.message, explain: explainBrief(getRule(entry.ruleId)) };
            if (isFoundInCode(entry.ruleId)) {
              context.report({ loc: locOf(code, spot.start, spot.end), messageId: 'flaggedInCode', data });
              continue;
            }
            context.report({
              loc: locOf(code, spot.start, spot.end),
              messageId: 'flagged',
              data,
              suggest: [
                {
                  messageId: 'markReviewed',
                  data: { ruleId: entry.ruleId },
                  fix: (fixer) => fixer.removeRange(reviewedRange(code.text, marker, entry)),
                },
              ],
            });
          }
        }
      },
    };
  },
};

/** The code a marker marks: from the first token after it to the end of that line. */
function markedSpot(text: string, marker: Marker): { start: number; end: number } {
  let start = marker.end;
  // A marker in JSX children sits in braces of its own.
  if (text[start] === '}' && text[marker.start - 1] === '{') start++;
  while (start < text.length && /\s/.test(text[start])) start++;
  if (start >= text.length) return { start: marker.start, end: marker.end };
  const lineEnd = text.indexOf('\n', start);
  let end = lineEnd === -1 ? text.length : lineEnd;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** What marking `entry` reviewed removes: its entry from a shared marker, or the whole marker and its line. */
function reviewedRange(text: string, marker: Marker, entry: MarkerEntry): [number, number] {
  const index = marker.entries.indexOf(entry);
  if (marker.entries.length > 1) {
    return index === 0 ? [entry.start, marker.entries[1].start] : [marker.entries[index - 1].end, entry.end];
  }
  let start = marker.start;
  let end = marker.end;
  if (text[start - 1] === '{' && text[end] === '}') {
    start--;
    end++;
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  const lineEnd = newline === -1 ? text.length : newline;
  if (text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '') {
    return [lineStart, newline === -1 ? lineEnd : newline + 1];
  }
  return [start, text[end] === ' ' ? end + 1 : end];
}
