/**
 * A deliberately narrow test for code that is safe to run again on every round: declarations
 * of literals, names and arithmetic, and early returns built from them. Anything with a call the
 * list does not know is treated as not pure, so the rewrite is graded `review`, never `safe`.
 */
import { Node, SyntaxKind, type Statement } from 'ts-morph';

const PURE_CALLEES = new Set([
  'String',
  'Number',
  'Boolean',
  'JSON.stringify',
  'JSON.parse',
  'Math.min',
  'Math.max',
  'Math.round',
  'Math.floor',
  'Math.ceil',
  'Math.abs',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'Array.isArray',
  'encodeURIComponent',
  'decodeURIComponent',
]);
const PURE_METHODS = new Set(['toString', 'trim', 'toLowerCase', 'toUpperCase', 'join', 'slice', 'includes', 'startsWith', 'endsWith', 'toFixed', 'split', 'padStart', 'padEnd']);

export function isPureStatement(statement: Statement): boolean {
  return isPureNode(statement);
}

function isPureNode(node: Node): boolean {
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const text = callee.getText();
    const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
    if (!PURE_CALLEES.has(text) && !(method && PURE_METHODS.has(method))) return false;
    return node.getArguments().every(isPureNode) && (!Node.isPropertyAccessExpression(callee) || isPureNode(callee.getExpression()));
  }
  if (Node.isNewExpression(node) || Node.isAwaitExpression(node) || Node.isYieldExpression(node) || Node.isDeleteExpression(node)) {
    return false;
  }
  if (Node.isBinaryExpression(node) && isAssignment(node.getOperatorToken().getKind())) return false;
  if ((Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) && isIncrement(node.getOperatorToken())) return false;
  // Defining a function runs nothing.
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node)) return true;
  if (Node.isClassDeclaration(node) || Node.isThrowStatement(node)) return false;
  return node.getChildren().every(isPureNode);
}

function isAssignment(kind: SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

function isIncrement(kind: SyntaxKind): boolean {
  return kind === SyntaxKind.PlusPlusToken || kind === SyntaxKind.MinusMinusToken;
}
