/**
 * The text a native helper chain needs: the context parameter, a result type that admits the
 * request, and after each awaited call the line that returns the request up to the caller.
 */
import { Node, SyntaxKind } from '../../src/ts-morph.js';
import type { FunctionLikeNode } from '../../src/analysis/functions.js';
import { indentUnit, type CodeStyle } from '../../src/edit/code-style.js';
import type { NameAllocator } from '../../src/edit/naming.js';
import { applyEdits, lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';
import type { AwaitedSpot } from './reach.js';

/** `(a, b)` ⇒ `(a, b, ctx?: ServerContext)`; an arrow's lone bare parameter gets parentheses. */
export function parameterAdded(fn: FunctionLikeNode, parameter: string): TextEdit {
  const params = fn.getParameters();
  const last = params.at(-1);
  const open = fn.getFirstChildByKind(SyntaxKind.OpenParenToken);
  if (last && !open) return { start: last.getStart(), end: last.getEnd(), text: `(${last.getText()}, ${parameter})` };
  if (last) {
    const comma = last.getNextSiblingIfKind(SyntaxKind.CommaToken);
    if (!comma) return { start: last.getEnd(), end: last.getEnd(), text: `, ${parameter}` };
    // A list written one parameter per line, ending in a comma: one more line.
    const text = last.getSourceFile().getFullText();
    const indent = /^[ \t]*/.exec(text.slice(lineStartOf(text, last.getStart())))?.[0] ?? '';
    return { start: comma.getEnd(), end: comma.getEnd(), text: `\n${indent}${parameter},` };
  }
  const at = open!.getEnd();
  return { start: at, end: at, text: parameter };
}

/** `Promise<boolean>` ⇒ `Promise<boolean | InputRequiredResult>`; nothing when the type is inferred. */
export function widenedPromise(fn: FunctionLikeNode, requestType: string): TextEdit | undefined {
  const returnType = fn.getReturnTypeNode();
  if (!returnType || !Node.isTypeReference(returnType) || returnType.getTypeName().getText() !== 'Promise')
    return undefined;
  const [inner] = returnType.getTypeArguments();
  if (!inner || inner.getText().includes('InputRequiredResult')) return undefined;
  return { start: inner.getEnd(), end: inner.getEnd(), text: ` | ${requestType}` };
}

export interface GuardText {
  /** The local name of `isInputRequiredResult`. */
  readonly guard: string;
  /** The name for a value hoisted out of its statement. */
  readonly base: string;
  readonly names: NameAllocator;
  readonly style: CodeStyle;
}

/**
 * `edits` change the call; the request it may now return goes back to the caller. A returned
 * call needs nothing more; a `const x = await …` gets the guard after it; anything else is hoisted
 * into a const of its own, guarded, and its value used where the await was.
 */
export function guardedCall(spot: AwaitedSpot, edits: readonly TextEdit[], text: GuardText): TextEdit[] {
  const { awaited, statement } = spot;
  const semi = text.style.semi ? ';' : '';
  const source = statement.getSourceFile().getFullText();
  const lineStart = lineStartOf(source, statement.getStart());
  const indent = /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
  const guardLine = (name: string) => `if (${text.guard}(${name})) return ${name}${semi}`;
  if (returnedDirectly(awaited)) return [...edits];
  if (spot.expressionBody) return blockBodyEdits(spot, edits, text);
  const bound = boundName(spot);
  if (bound)
    return [...edits, { start: statement.getEnd(), end: statement.getEnd(), text: `\n${indent}${guardLine(bound)}` }];
  const name = text.names.fresh(text.base);
  if (Node.isExpressionStatement(statement) && unwrapped(statement.getExpression()) === awaited) {
    return [
      { start: awaited.getStart(), end: awaited.getStart(), text: `const ${name} = ` },
      ...edits,
      { start: statement.getEnd(), end: statement.getEnd(), text: `\n${indent}${guardLine(name)}` },
    ];
  }
  // Hoisted: the await's own text, with the call's edits applied, moves above the statement; a name
  // needs none of the parentheses that held the await.
  const start = awaited.getStart();
  const local = edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  const value = applyEdits(awaited.getText(), local).text;
  let replaced: Node = awaited;
  while (Node.isParenthesizedExpression(replaced.getParentOrThrow())) replaced = replaced.getParentOrThrow();
  return [
    {
      start: statement.getStart(),
      end: statement.getStart(),
      text: `const ${name} = ${value}${semi}\n${indent}${guardLine(name)}\n${indent}`,
    },
    { start: replaced.getStart(), end: replaced.getEnd(), text: name },
  ];
}

/** `return await f()`, `return f()` or `async () => f()`: the request is the caller's result as it is. */
function returnedDirectly(awaited: Node): boolean {
  let node = awaited;
  while (Node.isParenthesizedExpression(node.getParentOrThrow())) node = node.getParentOrThrow();
  const parent = node.getParent();
  return Node.isReturnStatement(parent) || (Node.isArrowFunction(parent) && parent.getBody() === node);
}

/**
 * `async (uri) => ({ text: await brief() })` becomes a block, so the guard has a place:
 * `{ const briefResult = await brief(ctx); if (…) return briefResult; return { text: briefResult }; }`.
 */
function blockBodyEdits(spot: AwaitedSpot, edits: readonly TextEdit[], text: GuardText): TextEdit[] {
  const { awaited, statement: body } = spot;
  const semi = text.style.semi ? ';' : '';
  const source = body.getSourceFile().getFullText();
  const indent = /^[ \t]*/.exec(source.slice(lineStartOf(source, body.getStart())))?.[0] ?? '';
  const inner = indent + indentUnit(text.style);
  const name = text.names.fresh(text.base);
  const start = awaited.getStart();
  const local = edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  const value = applyEdits(awaited.getText(), local).text;
  let replaced: Node = awaited;
  while (Node.isParenthesizedExpression(replaced.getParentOrThrow())) replaced = replaced.getParentOrThrow();
  // An object literal body keeps no parentheses after `return`; its lines move one level in.
  const returned = Node.isParenthesizedExpression(body) ? body.getExpression() : body;
  const from = returned.getStart();
  const moved = applyEdits(returned.getText(), [
    { start: replaced.getStart() - from, end: replaced.getEnd() - from, text: name },
  ]).text;
  // A template literal's lines are its text: one that spans lines keeps the body as written.
  const multilineText = [returned, ...returned.getDescendants()].some(
    (n) => (Node.isTemplateExpression(n) || Node.isNoSubstitutionTemplateLiteral(n)) && n.getText().includes('\n'),
  );
  const result = multilineText ? moved : moved.replace(/\n/g, `\n${indentUnit(text.style)}`);
  return [
    {
      start: body.getStart(),
      end: body.getEnd(),
      text:
        `{\n${inner}const ${name} = ${value}${semi}\n${inner}if (${text.guard}(${name})) return ${name}${semi}\n` +
        `${inner}return ${result}${semi}\n${indent}}`,
    },
  ];
}

/** `const x = await f()` with no declared type: the guard narrows `x` itself. */
function boundName(spot: AwaitedSpot): string | undefined {
  const { statement, awaited } = spot;
  if (!Node.isVariableStatement(statement)) return undefined;
  const declarations = statement.getDeclarations();
  const [declaration] = declarations;
  if (declarations.length !== 1 || declaration.getTypeNode()) return undefined;
  const init = declaration.getInitializer();
  if (!init || unwrapped(init) !== awaited || !Node.isIdentifier(declaration.getNameNode())) return undefined;
  return declaration.getName();
}

function unwrapped(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}
