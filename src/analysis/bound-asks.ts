/**
 * An ask method held in a variable: `const elicit = server.server.elicitInput.bind(server.server)`,
 * then `await elicit(params)`. The call is the ask; the variable goes when its one call is rewritten.
 */
import { Node, SyntaxKind, ts, type Identifier, type VariableStatement } from '../ts-morph.js';
import { declarationOf } from './resolve.js';

export interface BoundAsk {
  readonly method: string;
  readonly receiverText: string;
  /** The `const` statement, when this call is the one use of its name. */
  readonly only: VariableStatement | undefined;
}

export function boundAsk(callee: Identifier, askMethods: ReadonlySet<string>): BoundAsk | undefined {
  const declaration = declarationOf(callee);
  if (!declaration || !Node.isVariableDeclaration(declaration)) return undefined;
  const access = bindTarget(declaration.getInitializer());
  if (!access || !askMethods.has(access.getName())) return undefined;
  const statement = declaration.getVariableStatement();
  if (!statement || (statement.getDeclarationList().getFlags() & ts.NodeFlags.Const) === 0) return undefined;
  return { method: access.getName(), receiverText: access.getExpression().getText(), only: soleUse(statement, callee) };
}

/** `R.m.bind(R)` ⇒ `R.m`; an unbound `R.m` loses its receiver and never worked, so it is not followed. */
export function bindTarget(initializer: Node | undefined) {
  if (!initializer || !Node.isCallExpression(initializer)) return undefined;
  const bind = initializer.getExpression();
  if (!Node.isPropertyAccessExpression(bind) || bind.getName() !== 'bind') return undefined;
  const access = bind.getExpression();
  const [thisArg] = initializer.getArguments();
  if (!Node.isPropertyAccessExpression(access) || thisArg?.getText() !== access.getExpression().getText())
    return undefined;
  return access;
}

/** True when `access` is the method of a `const x = R.m.bind(R)` whose one use is a call of `x`, followed as an ask. */
export function isFollowedBinding(access: Node, askMethods: ReadonlySet<string>): boolean {
  const call = access.getParent()?.getParent();
  const declaration = call?.getParent();
  if (!call || !declaration || !Node.isVariableDeclaration(declaration) || bindTarget(call) !== access) return false;
  const name = declaration.getNameNode();
  if (!Node.isIdentifier(name)) return false;
  const [use, ...more] = usesOf(declaration.getVariableStatement()?.getParentOrThrow(), name);
  const caller = use?.getParent();
  return (
    more.length === 0 &&
    Node.isIdentifier(use) &&
    Node.isCallExpression(caller) &&
    caller.getExpression() === use &&
    boundAsk(use, askMethods)?.only !== undefined
  );
}

function soleUse(statement: VariableStatement, use: Identifier): VariableStatement | undefined {
  const declaration = declarationOf(use);
  const name = declaration && Node.isVariableDeclaration(declaration) ? declaration.getNameNode() : undefined;
  if (!name || !Node.isIdentifier(name) || statement.getDeclarations().length !== 1) return undefined;
  return usesOf(statement.getParentOrThrow(), name).length === 1 ? statement : undefined;
}

function usesOf(scope: Node | undefined, name: Identifier): Node[] {
  if (!scope) return [];
  const declaration = name.getParentOrThrow();
  return scope
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id !== name && id.getText() === name.getText() && declarationOf(id) === declaration);
}
