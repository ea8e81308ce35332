/**
 * A `finally` around a call that may return the request runs when the round ends there too, not
 * only when the call does. Its cleanup is kept for the call's end:
 *
 *   } finally {             ⇒   } finally {
 *     closeSession(id);           if (!isAskingClient(ctx)) {
 *   }                               closeSession(id);
 *                                 }
 *                               }
 */
import { Node, type Block } from '../../src/ts-morph.js';
import type { FunctionLikeNode } from '../../src/analysis/functions.js';
import { indentUnit, type CodeStyle } from '../../src/edit/code-style.js';
import type { NameAllocator } from '../../src/edit/naming.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';
import type { HandlerPlan } from '../handlers/plan.js';

/**
 * Guards, once each, the `finally` blocks of `fn` that a call at `statement` unwinds through when
 * it returns the request.
 */
export function keepFinallyForTheEnd(
  plan: HandlerPlan,
  fn: FunctionLikeNode,
  statement: Node,
  ctx: string,
  names: NameAllocator,
  style: CodeStyle,
  guarded: Set<Node>,
): void {
  const body = fn.getBody();
  if (!body) return;
  for (const block of finallyBlocksAround(statement, body)) {
    if (guarded.has(block)) continue;
    guarded.add(block);
    plan.edits.push(...guardedFinally(block, `!${names.imported('isAskingClient')}(${ctx})`, style));
    plan.runtimeNeeds.add('isAskingClient');
  }
}

/** The `finally` blocks that `statement` (in `body`) unwinds through, innermost first. */
export function finallyBlocksAround(statement: Node, body: Node): Block[] {
  const blocks: Block[] = [];
  for (let node: Node = statement; node !== body && node.getParent(); node = node.getParentOrThrow()) {
    const parent = node.getParentOrThrow();
    const tryStatement = Node.isCatchClause(parent) ? parent.getParentOrThrow() : parent;
    if (!Node.isTryStatement(tryStatement)) continue;
    const finallyBlock = tryStatement.getFinallyBlock();
    if (finallyBlock && node !== finallyBlock) blocks.push(finallyBlock);
  }
  return blocks;
}

/** The block's statements under `if (!isAskingClient(ctx)) { … }`, one level in. */
export function guardedFinally(block: Block, condition: string, style: CodeStyle): TextEdit[] {
  const source = block.getSourceFile().getFullText();
  const open = block.getStart() + 1;
  const close = block.getEnd() - 1;
  const indent = /^[ \t]*/.exec(source.slice(lineStartOf(source, block.getStart())))?.[0] ?? '';
  const unit = indentUnit(style);
  const edits: TextEdit[] = [{ start: open, end: open, text: `\n${indent}${unit}if (${condition}) {` }];
  // A template literal's lines are its text: one spanning lines keeps its place, the rest move in.
  const multiline = block
    .getDescendants()
    .some(
      (n) => (Node.isTemplateExpression(n) || Node.isNoSubstitutionTemplateLiteral(n)) && n.getText().includes('\n'),
    );
  if (!multiline) {
    for (let at = source.indexOf('\n', open); at !== -1 && at < close; at = source.indexOf('\n', at + 1)) {
      const lineStart = at + 1;
      const blank = source.slice(lineStart, source.indexOf('\n', lineStart) >>> 0).trim() === '';
      if (lineStart < close && !blank && source.slice(lineStart, close).trim() !== '')
        edits.push({ start: lineStart, end: lineStart, text: unit });
    }
  }
  edits.push({ start: close, end: close, text: `${unit}}\n${indent}` });
  return edits;
}
