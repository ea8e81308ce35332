/**
 * What counts as a function for the analysis, and the name it goes by. Kept apart from handler
 * registrations so that name resolution and handler discovery do not import each other.
 */
import { Node, type PropertyAccessExpression } from '../ts-morph.js';

export type FunctionLikeNode =
  | import('ts-morph').ArrowFunction
  | import('ts-morph').FunctionExpression
  | import('ts-morph').FunctionDeclaration
  | import('ts-morph').MethodDeclaration;

export function isFunctionLike(node: Node): node is FunctionLikeNode {
  return (
    Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node)
  );
}

/** The name a function is declared or bound under, if it has one. */
export function functionName(fn: FunctionLikeNode): string | undefined {
  if ((Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) && fn.getName()) return fn.getName();
  const parent = fn.getParent();
  if (parent && (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent))) return parent.getName();
  if (Node.isFunctionExpression(fn) && fn.getName()) return fn.getName();
  // `exports.confirm = async function () {…}`, `module.exports.confirm = …`
  if (parent && Node.isBinaryExpression(parent) && parent.getRight() === fn && Node.isPropertyAccessExpression(parent.getLeft())) return (parent.getLeft() as PropertyAccessExpression).getName();
  return undefined;
}
