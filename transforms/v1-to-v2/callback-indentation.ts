/**
 * The official v1-to-v2 transforms rebuild `server.tool(...)` as `server.registerTool(...)` and,
 * doing so, shift the callback's lines right (two spaces, four when the call is nested). Those
 * lines are the user's code: they go back where they were, so the diff shows only what changed.
 */
import { Node, SyntaxKind, type SourceFile } from '../../src/ts-morph.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';

const REGISTRATIONS = new Set(['registerTool', 'registerPrompt', 'registerResource']);

export function restoreCallbackIndentation(sourceFile: SourceFile, original: string): TextEdit[] {
  const text = sourceFile.getFullText();
  const originalLines = new Set(original.split(/\r?\n/).map((line) => line.trimEnd()));
  const edits: TextEdit[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.getName())) continue;
    const fn = call.getArguments().at(-1);
    if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) continue;
    const body = fn.getBody();
    if (!Node.isBlock(body) || original.includes(fn.getText())) continue;
    edits.push(
      ...dedentBody(text, fn.getStart(), body.getStart(), body.getEnd() - 1, contentRanges(body), originalLines),
    );
  }
  return edits;
}

/** Lines of the body shifted by the same whitespace as its closing brace: that shift comes off. */
function dedentBody(
  text: string,
  fnStart: number,
  open: number,
  close: number,
  content: readonly [number, number][],
  originalLines: ReadonlySet<string>,
): TextEdit[] {
  const fnLine = lineStartOf(text, fnStart);
  const fnIndent = /^[ \t]*/.exec(text.slice(fnLine))![0];
  const closeLine = lineStartOf(text, close);
  const closingIndent = text.slice(closeLine, close);
  if (
    !/^[ \t]*$/.test(closingIndent) ||
    !closingIndent.startsWith(fnIndent) ||
    closingIndent.length === fnIndent.length
  )
    return [];
  const shift = fnIndent + closingIndent.slice(fnIndent.length);
  const lines: { start: number; text: string }[] = [];
  for (
    let start = text.indexOf('\n', open) + 1;
    start > 0 && start <= closeLine;
    start = text.indexOf('\n', start) + 1
  ) {
    // A line that starts inside a string or template literal is its content, never indentation.
    if (content.some(([from, to]) => start > from && start < to)) continue;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (!line.startsWith(shift)) return [];
    lines.push({ start, text: line });
  }
  // Only a shift the transforms made: with it removed, the lines must read as they did before.
  const restored = lines.map((l) => fnIndent + l.text.slice(shift.length));
  const matchesNow = lines.filter((l) => originalLines.has(l.text.trimEnd())).length;
  const matchesRestored = restored.filter((l) => originalLines.has(l.trimEnd())).length;
  if (matchesRestored <= matchesNow || matchesRestored * 2 < lines.length) return [];
  return lines.map((l) => ({ start: l.start + fnIndent.length, end: l.start + shift.length, text: '' }));
}

/** Strings and template literals that span lines, as [start, end) offsets. */
function contentRanges(body: Node): [number, number][] {
  const ranges: [number, number][] = [];
  body.forEachDescendant((node) => {
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTemplateExpression(node)) {
      if (node.getText().includes('\n')) ranges.push([node.getStart(), node.getEnd()]);
    }
  });
  return ranges;
}
