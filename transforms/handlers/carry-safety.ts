/**
 * What a later round would lose if code carried by `once` were skipped there: a variable of the
 * handler it changes, or an object of the handler's own it is handed. Such code keeps its flag.
 */
import { Node, SyntaxKind, ts, type Identifier } from '../../src/ts-morph.js';
import { isAssignment, isIncrement } from '../../src/analysis/effects.js';
import type { FunctionLikeNode } from '../../src/analysis/functions.js';
import { isOwnedBy } from '../../src/analysis/ownership.js';
import { declarationOf, isDeclaredOutside, isPropertyName } from '../../src/analysis/resolve.js';

/** Methods that read their receiver (arrays, strings, maps): calling one changes nothing the handler holds. */
const READING_METHODS = new Set([
  'forEach',
  'map',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'reduce',
  'join',
  'includes',
  'indexOf',
  'slice',
  'concat',
  'flatMap',
  'at',
  'get',
  'has',
  'entries',
  'keys',
  'values',
  'toString',
  'trim',
  'split',
  'startsWith',
  'endsWith',
  'toUpperCase',
  'toLowerCase',
]);

/**
 * What a later round would miss if `target` were skipped: a variable of the handler it changes
 * (`stats.calls += 1`, `items.push(x)`), or an object of the handler it is handed and may change.
 */
export function skipsHandlerState(target: Node, fn: FunctionLikeNode): string | undefined {
  // Only a variable read again after the skipped code matters.
  const local = (node: Node) => {
    const root = rootIdentifier(node);
    return root && !isDeclaredOutside(root, fn) && readAfter(root, target, fn) ? root : undefined;
  };
  for (const node of [target, ...target.getDescendants()]) {
    let changed: Identifier | undefined;
    if (Node.isBinaryExpression(node) && isAssignment(node.getOperatorToken().getKind()))
      changed = local(node.getLeft());
    else if (
      (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) &&
      isIncrement(node.getOperatorToken())
    )
      changed = local(node.getOperand());
    else if (Node.isCallExpression(node)) {
      const callee = node.getExpression();
      // A method of the request's context or arguments (`ctx.mcpReq.notify(…)`) changes nothing the handler keeps.
      const receiver =
        Node.isPropertyAccessExpression(callee) && !READING_METHODS.has(callee.getName())
          ? local(callee.getExpression())
          : undefined;
      if (receiver && !isParameter(receiver)) changed = receiver;
      const handed = node
        .getArguments()
        .find((arg) => Node.isIdentifier(arg) && local(arg) && !isParameter(arg) && !holdsPrimitive(arg, fn));
      if (!changed && handed)
        return `it is handed \`${handed.getText()}\`, an object of the handler's own that it may change`;
    }
    if (changed) return `it changes \`${changed.getText()}\`, which the handler keeps using`;
  }
  return undefined;
}

function readAfter(name: Identifier, target: Node, fn: FunctionLikeNode): boolean {
  const text = name.getText();
  return fn
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .some((id) => id.getStart() >= target.getEnd() && id.getText() === text && !isPropertyName(id));
}

/** The handler's parameters hold what the request brought, parsed afresh each round. */
function isParameter(id: Identifier): boolean {
  const declaration = declarationOf(id);
  return (
    declaration !== undefined &&
    (Node.isParameterDeclaration(declaration) || declaration.getFirstAncestorByKind(SyntaxKind.Parameter) !== undefined)
  );
}

/** A local whose value is a string, number or boolean: handing it over cannot change it. */
function holdsPrimitive(id: Node, fn: FunctionLikeNode): boolean {
  if (Node.isIdentifier(id) && isOwnedBy(id, fn)) return false;
  const primitive =
    ts.TypeFlags.StringLike |
    ts.TypeFlags.NumberLike |
    ts.TypeFlags.BooleanLike |
    ts.TypeFlags.Null |
    ts.TypeFlags.Undefined;
  const type = id.getType();
  return type.isUnion()
    ? type.getUnionTypes().every((t) => (t.getFlags() & primitive) !== 0)
    : (type.getFlags() & primitive) !== 0;
}

export function rootIdentifier(node: Node): Identifier | undefined {
  let current = node;
  while (Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current))
    current = current.getExpression();
  return Node.isIdentifier(current) ? current : undefined;
}
