/**
 * Whose object a mutation changes. Only what the function made itself (a literal, a `new`
 * collection, a copy) is its own; a value returned by a call, a parameter, or a property of
 * something outer may be shared, so changing it can outlive the round.
 */
import { Node, SyntaxKind, type Expression } from '../ts-morph.js';
import { withoutTypeWrappers } from './input-points.js';
import { declarationOf, isDeclaredOutside } from './resolve.js';

/** Calls that return a fresh array, object or string: the caller owns what they give. */
const COPYING_METHODS = new Set([
  'slice',
  'map',
  'filter',
  'concat',
  'flat',
  'flatMap',
  'split',
  'toSorted',
  'toReversed',
  'toSpliced',
  'with',
  'entries',
  'keys',
  'values',
]);
const COPYING_FUNCTIONS = new Set([
  'structuredClone',
  'Array.from',
  'Array.of',
  'Object.fromEntries',
  'Object.entries',
  'Object.keys',
  'Object.values',
  'JSON.parse',
]);

/** True when `root` names a value `scope` created itself, so changing it stays within the round. */
export function isOwnedBy(root: Node, scope: Node): boolean {
  if (!Node.isIdentifier(root) || isDeclaredOutside(root, scope)) return false;
  const declaration = declarationOf(root);
  if (declaration && isStepParameter(declaration)) return true;
  if (!declaration || !Node.isVariableDeclaration(declaration)) return false;
  // `let x;` assigned later: what it holds is not followed, and a local is presumed made here.
  const initializer = declaration.getInitializer();
  return !initializer || isFresh(initializer);
}

/**
 * A parameter of a ToolBuilder step (`.incompleteStep('name', async (step, carried) => …)`): the
 * steps runtime hands each run a fresh copy, so changing it stays in the run.
 */
function isStepParameter(declaration: Node): boolean {
  const parameter = Node.isParameterDeclaration(declaration)
    ? declaration
    : declaration.getFirstAncestorByKind(SyntaxKind.Parameter);
  const call = parameter?.getParent()?.getParent();
  const callee = call && Node.isCallExpression(call) ? call.getExpression() : undefined;
  return callee !== undefined && Node.isPropertyAccessExpression(callee) && callee.getName() === 'incompleteStep';
}

function isFresh(expression: Expression): boolean {
  const value = withoutTypeWrappers(expression);
  if (
    Node.isObjectLiteralExpression(value) ||
    Node.isArrayLiteralExpression(value) ||
    Node.isNewExpression(value) ||
    Node.isStringLiteral(value) ||
    Node.isNumericLiteral(value) ||
    Node.isTemplateExpression(value) ||
    Node.isNoSubstitutionTemplateLiteral(value)
  )
    return true;
  if (Node.isConditionalExpression(value)) return isFresh(value.getWhenTrue()) && isFresh(value.getWhenFalse());
  if (!Node.isCallExpression(value)) return false;
  const callee = value.getExpression();
  if (COPYING_FUNCTIONS.has(callee.getText())) return true;
  return Node.isPropertyAccessExpression(callee) && COPYING_METHODS.has(callee.getName());
}
