/**
 * A method called on a plain object the code wrote itself (`const server = { listRoots: vi.fn() }`,
 * `{ server: { elicitInput } }`): a stand-in for the SDK, as tests build them, not an ask.
 */
import { Node, type Expression, type PropertyAccessExpression } from '../ts-morph.js';
import { declarationOf } from './resolve.js';

/** The value under type-only wrappers: `{…} as const`, `{…} satisfies Schema`, `(x)`, `x!`. */
export function withoutTypeWrappers(node: Expression): Expression {
  let current = node;
  while (
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current) ||
    Node.isParenthesizedExpression(current) ||
    Node.isTypeAssertion(current) ||
    Node.isNonNullExpression(current)
  )
    current = current.getExpression();
  return current;
}

/** Whether `receiver.path.method` resolves, through object literals, to a literal that defines `method` itself. */
export function definedByObjectLiteral(callee: PropertyAccessExpression): boolean {
  const path: string[] = [];
  let root: Node = callee;
  while (Node.isPropertyAccessExpression(root)) {
    path.unshift(root.getName());
    root = root.getExpression();
  }
  if (!Node.isIdentifier(root)) return false;
  const declaration = declarationOf(root);
  let value = initializerOf(declaration);
  for (const [depth, name] of path.entries()) {
    const object = value && withoutTypeWrappers(value);
    if (!object || !Node.isObjectLiteralExpression(object)) return false;
    const member = object.getProperty(name);
    if (!member) return false;
    // The method itself is a member the code wrote: whatever it does, it is not the SDK's.
    if (depth === path.length - 1) return true;
    value = Node.isPropertyAssignment(member)
      ? member.getInitializer()
      : Node.isShorthandPropertyAssignment(member)
        ? initializerOf(declarationOf(member.getNameNode()))
        : undefined;
  }
  return false;
}

function initializerOf(declaration: Node | undefined): Expression | undefined {
  return Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
}
