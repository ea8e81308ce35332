/**
 * Registrations that wait for the 2025 handshake: tools registered inside
 * `server.server.oninitialized = () => { … }`, and registrations gated on the capabilities the
 * client declared at `initialize`. A 2026-07-28 client sends no `initialize`, so it would see none
 * of them; capabilities arrive with each request instead.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type ExpressionStatement,
  type Identifier,
  type IfStatement,
  type Statement,
  type VariableStatement,
} from '../ts-morph.js';
import type { FunctionLikeNode } from './functions.js';
import { findHandlerRegistrations, type HandlerRegistration } from './handlers.js';
import { declarationOf, isPropertyName, resolveCallee } from './resolve.js';

/** Methods that register a handler on an McpServer (v1 and v2 spellings) or a task tool. */
const REGISTRATIONS = new Set([
  'registerTool',
  'registerPrompt',
  'registerResource',
  'tool',
  'prompt',
  'resource',
  'registerToolTask',
]);

export interface InitializedCallback {
  /** `server.server.oninitialized = async () => { … };` */
  readonly statement: ExpressionStatement;
  readonly fn: FunctionLikeNode;
  /** Statements of its body that register handlers, directly or through project functions. */
  readonly registering: readonly { readonly statement: Statement; readonly movable: boolean }[];
  /** Every top-level statement of its body. */
  readonly body: readonly Statement[];
}

/** `x.oninitialized = () => { … }` assignments whose callback registers handlers. */
export function initializedCallbacks(scope: Node): InitializedCallback[] {
  const found: InitializedCallback[] = [];
  for (const statement of scope.getDescendantsOfKind(SyntaxKind.ExpressionStatement)) {
    const expression = statement.getExpression();
    if (!Node.isBinaryExpression(expression) || expression.getOperatorToken().getKind() !== SyntaxKind.EqualsToken)
      continue;
    const left = expression.getLeft();
    const right = expression.getRight();
    if (!Node.isPropertyAccessExpression(left) || left.getName() !== 'oninitialized') continue;
    if (!(Node.isArrowFunction(right) || Node.isFunctionExpression(right))) continue;
    const block = right.getBody();
    if (!Node.isBlock(block)) continue;
    const body = block.getStatements();
    const registering = body
      .filter((s) => registers(s))
      .map((s) => ({ statement: s, movable: !usesCallbackLocals(s, right) }));
    if (registering.length > 0) found.push({ statement, fn: right, registering, body });
  }
  return found;
}

/** A statement that registers handlers: a registration call, or a call of a project function that makes one. */
function registers(statement: Statement): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  let expression = statement.getExpression();
  if (Node.isAwaitExpression(expression)) expression = expression.getExpression();
  return Node.isCallExpression(expression) && callRegisters(expression, new Set(), 0);
}

function callRegisters(call: CallExpression, seen: Set<Node>, depth: number): boolean {
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee) && REGISTRATIONS.has(callee.getName())) return true;
  if (depth > 4) return false;
  const fn = resolveCallee(callee);
  if (!fn || seen.has(fn)) return false;
  seen.add(fn);
  return fn.getDescendantsOfKind(SyntaxKind.CallExpression).some((inner) => callRegisters(inner, seen, depth + 1));
}

/** Whether the statement names a parameter or local of the callback, which it cannot take along. */
function usesCallbackLocals(statement: Statement, fn: FunctionLikeNode): boolean {
  return statement.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (isPropertyName(id)) return false;
    const declaration = declarationOf(id);
    return declaration !== undefined && fn.containsRange(declaration.getPos(), declaration.getEnd());
  });
}

export interface GatedRegistration {
  /** `if (clientSupportsSampling) { server.registerTool(…); }` */
  readonly gate: IfStatement;
  /** The registrations the gate holds, in order; nothing else is in it. */
  readonly registrations: readonly HandlerRegistration[];
  /** The `const`s before the gate that read the capabilities, in order, which move into each handler. */
  readonly declarations: readonly VariableStatement[];
  /** The capabilities the gate names (`sampling`, `elicitation`, `url`…), for the refusal message. */
  readonly capabilities: readonly string[];
}

const CAPABILITY_WORDS = ['elicitation', 'sampling', 'roots', 'url', 'form', 'tasks'];

/** A gate this pass already opened to clients whose capabilities are not known yet. */
export const OPENED = /\.getClientCapabilities\(\) === undefined \|\|/;

/**
 * Registrations inside `if (<capability check>) { … }` with no `else`, where the check reads the
 * client's capabilities directly or through `const`s declared just before it in the same block,
 * which nothing else reads.
 */
export function gatedRegistrations(scope: Node): GatedRegistration[] {
  const registrations = [...findHandlerRegistrations(scope.getSourceFile()).values()];
  const found: GatedRegistration[] = [];
  for (const gate of scope.getDescendantsOfKind(SyntaxKind.IfStatement)) {
    if (gate.getElseStatement() || OPENED.test(gate.getExpression().getText())) continue;
    const then = gate.getThenStatement();
    const held = Node.isBlock(then) ? then.getStatements() : [then];
    const inside = held.map((s) => registrationOf(s, registrations));
    if (held.length === 0 || inside.some((r) => r === undefined)) continue;
    const declarations = supportingDeclarations(gate);
    if (!declarations) continue;
    const read = [gate.getExpression(), ...declarations];
    if (!read.some((node) => readsCapabilities(node))) continue;
    const words = new Set(
      read
        .flatMap((node) => identifiersOf(node))
        .map((id) => id.getText())
        .filter((name) => CAPABILITY_WORDS.includes(name)),
    );
    found.push({
      gate,
      registrations: inside as HandlerRegistration[],
      declarations,
      capabilities: CAPABILITY_WORDS.filter((w) => words.has(w)),
    });
  }
  return found;
}

function registrationOf(statement: Statement, all: readonly HandlerRegistration[]): HandlerRegistration | undefined {
  if (!Node.isExpressionStatement(statement)) return undefined;
  const call = statement.getExpression();
  return all.find((r) => r.registration === call && r.family !== undefined);
}

export function readsCapabilities(node: Node): boolean {
  return node.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'getClientCapabilities';
  });
}

/**
 * The `const` statements of the gate's block that its condition depends on, closed over each other;
 * undefined when one of them is read anywhere but the condition, another of them, or the handlers
 * being registered (where it moves along).
 */
function supportingDeclarations(gate: IfStatement): VariableStatement[] | undefined {
  const block = gate.getParent();
  if (!Node.isBlock(block) && !Node.isSourceFile(block)) return [];
  const statements = block.getStatements();
  const before = statements.slice(0, statements.indexOf(gate));
  const chosen = new Set<VariableStatement>();
  const visit = (node: Node): boolean => {
    for (const id of identifiersOf(node)) {
      if (isPropertyName(id)) continue;
      const statement = constStatementOf(id, before);
      if (statement === null) return false;
      if (!statement || chosen.has(statement)) continue;
      chosen.add(statement);
      if (!visit(statement)) return false;
    }
    return true;
  };
  if (!visit(gate.getExpression())) return undefined;
  const ordered = before.filter((s): s is VariableStatement => chosen.has(s as VariableStatement));
  const allowed = [gate, ...ordered];
  for (const statement of ordered) {
    for (const declaration of statement.getDeclarations()) {
      const name = declaration.getNameNode();
      if (!Node.isIdentifier(name)) return undefined;
      if (!onlyReadIn(name, block, allowed)) return undefined;
    }
  }
  return ordered;
}

/** The identifiers under a node, itself included. */
function identifiersOf(node: Node): Identifier[] {
  const under = node.getDescendantsOfKind(SyntaxKind.Identifier);
  return Node.isIdentifier(node) ? [node, ...under] : under;
}

/** The statement among `candidates` that declares `id` with `const`; null for a `let`/`var` one. */
function constStatementOf(id: Identifier, candidates: readonly Statement[]): VariableStatement | null | undefined {
  const declaration = declarationOf(id);
  if (!declaration || !Node.isVariableDeclaration(declaration)) return undefined;
  const statement = declaration.getVariableStatement();
  if (!statement || !candidates.includes(statement)) return undefined;
  return `${statement.getDeclarationKind()}` === 'const' ? statement : null;
}

/** Every reference to `name` in `scope` sits in one of `allowed`. */
function onlyReadIn(name: Identifier, scope: Node, allowed: readonly Node[]): boolean {
  const declaration = name.getParent();
  return scope
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id !== name && id.getText() === name.getText() && !isPropertyName(id))
    .filter((id) => declarationOf(id) === declaration)
    .every((id) => allowed.some((node) => node.containsRange(id.getPos(), id.getEnd())));
}
