/**
 * `const [a, b] = await Promise.all([ask(…), ask(…)])` asks in parallel. Under MRTR the requests of
 * one round are answered together anyway, so the statement is split into one awaited ask per
 * name and the one-round rewrite puts them back into a single round. Only the plain shape is
 * split: every element an ask, simple names, no comments that the split would drop.
 */
import { Node, type ArrayLiteralExpression, type SourceFile, type Statement } from '../../src/ts-morph.js';
import type { AskSite } from '../../src/analysis/ask-sites.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import { handlerLabel } from './plan.js';

export interface ParallelSplit {
  readonly edits: TextEdit[];
  /** Handlers whose asks were split: the split stands only if each of them is then rewritten. */
  readonly handlers: ReadonlySet<string>;
}

export function splitParallelAsks(sourceFile: SourceFile, sites: readonly AskSite[]): ParallelSplit | undefined {
  const edits: TextEdit[] = [];
  const handlers = new Set<string>();
  const done = new Set<Statement>();
  for (const site of sites) {
    if (site.status !== 'blocked' || site.ruleId !== 'mrtr/ask-not-awaited' || !site.handler?.family) continue;
    const shape = parallelShape(site.point.call, sites);
    if (!shape || done.has(shape.statement)) continue;
    done.add(shape.statement);
    const split = splitEdits(sourceFile, shape);
    if (!split) continue;
    edits.push(...split);
    handlers.add(handlerLabel(site.handler));
  }
  return edits.length > 0 ? { edits, handlers } : undefined;
}

interface ParallelShape {
  readonly statement: Statement;
  readonly array: ArrayLiteralExpression;
  readonly keyword: string | undefined;
  /** Per element: the name it is bound to, or undefined for an ask whose answer is not kept. */
  readonly names: readonly (string | undefined)[];
}

function parallelShape(call: Node, sites: readonly AskSite[]): ParallelShape | undefined {
  let element: Node = call;
  while (Node.isParenthesizedExpression(element.getParentOrThrow())) element = element.getParentOrThrow();
  const array = element.getParent();
  if (!Node.isArrayLiteralExpression(array)) return undefined;
  const all = array.getParent();
  if (!Node.isCallExpression(all) || all.getArguments().length !== 1 || all.getExpression().getText() !== 'Promise.all')
    return undefined;
  const awaited = all.getParent();
  if (!Node.isAwaitExpression(awaited)) return undefined;
  const asks = new Set(sites.map((s) => s.point.call as Node));
  const elements = array.getElements();
  if (!elements.every((e) => asks.has(unparenthesized(e)))) return undefined;

  const holder = awaited.getParent();
  if (Node.isExpressionStatement(holder))
    return { statement: holder, array, keyword: undefined, names: elements.map(() => undefined) };
  if (!Node.isVariableDeclaration(holder) || holder.getTypeNode()) return undefined;
  const list = holder.getParent();
  const statement = list?.getParent();
  if (
    !Node.isVariableDeclarationList(list) ||
    list.getDeclarations().length !== 1 ||
    !Node.isVariableStatement(statement)
  )
    return undefined;
  const pattern = holder.getNameNode();
  if (!Node.isArrayBindingPattern(pattern)) return undefined;
  const bound = pattern.getElements();
  if (bound.length > elements.length) return undefined;
  const names: (string | undefined)[] = [];
  for (const b of bound) {
    if (Node.isOmittedExpression(b)) names.push(undefined);
    else if (
      Node.isIdentifier(b.getNameNode()) &&
      !b.getInitializer() &&
      !b.getDotDotDotToken() &&
      !b.getPropertyNameNode()
    )
      names.push(b.getName());
    else return undefined;
  }
  while (names.length < elements.length) names.push(undefined);
  return { statement, array, keyword: list.getDeclarationKind(), names };
}

function unparenthesized(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}

/**
 * Splices around the asks, which keep their bytes (and offsets); the text between them must be
 * only the syntax being replaced, so no comment is lost.
 */
function splitEdits(sourceFile: SourceFile, shape: ParallelShape): TextEdit[] | undefined {
  const text = sourceFile.getFullText();
  const elements = shape.array.getElements();
  const start = shape.statement.getStart();
  const end = shape.statement.getEnd();
  const semicolon = text.slice(start, end).trimEnd().endsWith(';') ? ';' : '';
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, start))![0];
  const prefix = (i: number) => (shape.names[i] ? `${shape.keyword} ${shape.names[i]} = await ` : 'await ');
  const gaps = [
    text.slice(start, elements[0].getStart()),
    ...elements.slice(1).map((e, i) => text.slice(elements[i].getEnd(), e.getStart())),
    text.slice(elements.at(-1)!.getEnd(), end),
  ];
  if (gaps.some((gap) => /\/[/*]/.test(gap))) return undefined;
  return [
    { start, end: elements[0].getStart(), text: prefix(0) },
    ...elements.slice(1).map((e, i) => ({
      start: elements[i].getEnd(),
      end: e.getStart(),
      text: `${semicolon}\n${indent}${prefix(i + 1)}`,
    })),
    { start: elements.at(-1)!.getEnd(), end, text: semicolon },
  ];
}
