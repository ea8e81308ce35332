/**
 * The ToolBuilder chain spliced around a handler's own statements:
 *
 *   return toolSteps<CallToolResult>(ctx, 'tool book')
 *     .incompleteStep('to', async (step) => { …guard for `to`…; return step.next({ route }); })
 *     .endStep(async ({ route }) => { …the rest, once… });
 *
 * Statements are not moved: the chain opens and closes at step boundaries, and the bodies are
 * indented once the edits are applied.
 */
import { ts, type SourceFile, type Statement } from '../../src/ts-morph.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';
import type { StepLayout, StepSegment } from './layout.js';

export interface ScaffoldInput {
  /** The local name of the runtime's `toolSteps`. */
  readonly toolSteps: string;
  readonly layout: StepLayout;
  /** Each incomplete step's name (its first key), in order. */
  readonly names: readonly string[];
  readonly ctxName: string;
  readonly stepName: string;
  /** The handler label, quoted. */
  readonly label: string;
  /** `<CallToolResult>` in TypeScript, empty in JavaScript. */
  readonly typeArgument: string;
  readonly quote: (text: string) => string;
  readonly unit: string;
  readonly semi: string;
}

export interface Scaffold {
  /** Edits that must precede every other edit at the same offset. */
  readonly edits: TextEdit[];
  /** Output ranges to indent two more levels: from the end of `after` to the start of `before`. */
  readonly bodies: { readonly after: TextEdit; readonly before: TextEdit }[];
}

/**
 * The builder chain around the original statements. Statements are not moved: the chain is
 * spliced in at step boundaries, and the step bodies are indented once the edits are applied.
 */
export function stepScaffold(input: ScaffoldInput): Scaffold {
  const { layout, names, ctxName, stepName, quote, unit, semi } = input;
  const text = layout.end.statements[0].getSourceFile().getFullText();
  const first = layout.steps[0].statements[0];
  const indent = text.slice(lineStartOf(text, first.getStart()), first.getStart());
  const destructure = (list: readonly string[]) => (list.length > 0 ? `{ ${list.join(', ')} }` : '');
  const handOn = (segment: StepSegment): string =>
    `${indent}return ${stepName}.next(${destructure(segment.handsOn)})${semi}\n`;

  const edits: TextEdit[] = [];
  const opens: TextEdit[] = [];
  const all = [...layout.steps, layout.end];
  all.forEach((segment, index) => {
    const at = boundaryOf(segment.statements[0]);
    if (index > 0) edits.push({ start: at, end: at, text: handOn(all[index - 1]) });
    const head =
      index === 0
        ? `${indent}return ${input.toolSteps}${input.typeArgument}(${ctxName}, ${input.label})\n`
        : `${indent}${unit}})\n`;
    const params = [
      ...(index < layout.steps.length ? [stepName] : []),
      ...(segment.receives.length > 0 ? [destructure(segment.receives)] : []),
    ].join(', ');
    const call = index < layout.steps.length ? `.incompleteStep(${quote(names[index])}, ` : '.endStep(';
    const open = { start: at, end: at, text: `${head}${indent}${unit}${call}async (${params}) => {\n` };
    edits.push(open);
    opens.push(open);
  });
  const lastStatement = layout.end.statements.at(-1)!;
  const end = lineEndAfter(text, lastStatement.getEnd());
  const finish = { start: end, end, text: `\n${indent}${unit}})${semi}` };
  edits.push(finish);
  // A body runs to the next step's opening, so the hand-on line before it is indented with it.
  return { edits, bodies: opens.map((after, index) => ({ after, before: opens[index + 1] ?? finish })) };
}

/** A statement's own leading comment lines go with it into its step. */
function boundaryOf(statement: Statement): number {
  const text = statement.getSourceFile().getFullText();
  const comments = statement.getLeadingCommentRanges();
  const own = comments.find((c) => text.slice(lineStartOf(text, c.getPos()), c.getPos()).trim() === '');
  return lineStartOf(text, own ? own.getPos() : statement.getStart());
}

/** The end of the line when only whitespace or a line comment follows `offset`. */
function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline === -1 ? text.length : newline;
  return /^[ \t]*(\/\/.*)?$/.test(text.slice(offset, lineEnd)) ? lineEnd : offset;
}

/**
 * Indents every line in the ranges by two levels, except lines that start inside a string or
 * template literal, whose leading whitespace is part of the value.
 */
export function indentBodies(
  sourceFile: SourceFile,
  ranges: readonly { start: number; end: number }[],
  unit: string,
): TextEdit[] {
  const text = sourceFile.getFullText();
  const literals: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      literals.push([node.getStart(sourceFile.compilerNode), node.getEnd()]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile.compilerNode);
  const edits: TextEdit[] = [];
  for (const { start, end } of ranges) {
    for (let at = start; at < end; at = text.indexOf('\n', at) + 1 || end) {
      if (text[at] === '\n') continue;
      if (literals.some(([from, to]) => from < at && at < to)) continue;
      edits.push({ start: at, end: at, text: unit + unit });
    }
  }
  return edits;
}
