/**
 * What counts as a function for the analysis, and the name it goes by. Kept apart from handler
 * registrations so that name resolution and handler discovery do not import each other.
 */
import {
  Node,
  type ArrowFunction,
  type FunctionDeclaration,
  type FunctionExpression,
  type MethodDeclaration,
  type PropertyAccessExpression,
} from '../ts-morph.js';

export type FunctionLikeNode = ArrowFunction | FunctionExpression | FunctionDeclaration | MethodDeclaration;

export function isFunctionLike(node: Node): node is FunctionLikeNode {
  return (
    Node.isArrowFunction(node) ||
    Node.isFunctionExpression(node) ||
    Node.isFunctionDeclaration(node) ||
    Node.isMethodDeclaration(node)
  );
}

/** The name a function is declared or bound under, if it has one. */
export function functionName(fn: FunctionLikeNode): string | undefined {
  if ((Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) && fn.getName()) return fn.getName();
  const parent = fn.getParent();
  if (parent && (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent))) return parent.getName();
  if (Node.isFunctionExpression(fn) && fn.getName()) return fn.getName();
  // `exports.confirm = async function () {…}`, `module.exports.confirm = …`
  if (
    parent &&
    Node.isBinaryExpression(parent) &&
    parent.getRight() === fn &&
    Node.isPropertyAccessExpression(parent.getLeft())
  )
    return (parent.getLeft() as PropertyAccessExpression).getName();
  return undefined;
}
