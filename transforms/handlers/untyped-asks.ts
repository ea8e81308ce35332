/**
 * Asks reached through `as any` (`(server as any).server.request(...)`) gave the code an untyped
 * result. The rewrite's typed values would turn code that compiled into code that does not, so
 * such results stay untyped, unless the code casts the result itself.
 */
import { Node, SyntaxKind, type CallExpression } from '../../src/ts-morph.js';

export function hasUntypedResult(call: CallExpression): boolean {
  return reachedThroughAny(call) && !castByTheCode(call);
}

/** Somewhere on the way to the method, the type was thrown away. */
function reachedThroughAny(call: CallExpression): boolean {
  for (let node: Node = call.getExpression(); ;) {
    if (Node.isAsExpression(node) && node.getTypeNode()?.getKind() === SyntaxKind.AnyKeyword) return true;
    if (
      Node.isPropertyAccessExpression(node) ||
      Node.isElementAccessExpression(node) ||
      Node.isParenthesizedExpression(node) ||
      Node.isNonNullExpression(node) ||
      Node.isAsExpression(node)
    )
      node = node.getExpression();
    else return false;
  }
}

/** `(await ask(...)) as T`: the code states the result's type itself. */
function castByTheCode(call: CallExpression): boolean {
  let node: Node = call;
  while (Node.isParenthesizedExpression(node.getParentOrThrow()) || Node.isAwaitExpression(node.getParentOrThrow()))
    node = node.getParentOrThrow();
  const parent = node.getParentOrThrow();
  return Node.isAsExpression(parent) || Node.isTypeAssertion(parent);
}
