/**
 * Where a handler splits into steps: a step starts at the top-level statement holding its
 * question and keeps the code up to the next question. What later steps read or write is handed
 * on by name, so it must survive JSON; a layout that cannot be split says why.
 */
import { Node, SyntaxKind, ts, type Block, type Statement } from '../../src/ts-morph.js';
import type { RewritableAsk } from '../../src/analysis/ask-sites.js';
import { declarationOf, isPropertyName } from '../../src/analysis/resolve.js';

export interface StepSegment {
  readonly statements: readonly Statement[];
  /** The questions this step asks; none for the end step. */
  readonly asks: readonly RewritableAsk[];
  /** Locals of earlier steps that this one reads or writes. */
  readonly receives: readonly string[];
  /** Locals this step declares or touches that later steps read or write. */
  readonly handsOn: readonly string[];
}

export interface StepLayout {
  readonly steps: readonly StepSegment[];
  readonly end: StepSegment;
}

/** Splits `body` at the top-level statements holding `asks`, or says why it cannot. */
export function layoutSteps(body: Block, asks: readonly RewritableAsk[]): StepLayout | { readonly blocked: string } {
  const statements = body.getStatements();
  const indexOf = (ask: RewritableAsk) =>
    statements.findIndex((s) => s.containsRange(ask.statement.getStart(), ask.statement.getEnd()));
  const starts = [...new Set(asks.map(indexOf))].sort((a, b) => a - b);
  if (starts.includes(-1)) return { blocked: 'a question sits outside the handler body' };
  const last = starts.at(-1)!;
  if (last === statements.length - 1)
    return { blocked: 'the last question ends the handler, which leaves the end step nothing to do' };
  if (hoistedVar(body)) return { blocked: 'a `var` declaration is visible across the whole handler' };
  // Types are not values: a step cannot hand one on.
  if (statements.some((s) => Node.isTypeAliasDeclaration(s) || Node.isInterfaceDeclaration(s)))
    return { blocked: 'the handler declares a type of its own' };

  const ranges = starts.map((start, i) => [i === 0 ? 0 : start, starts[i + 1] ?? last + 1] as const);
  ranges.push([last + 1, statements.length]);
  const segments = ranges.map(([from, to]) => statements.slice(from, to));

  // Every top-level declaration, by the node that `declarationOf` resolves its uses to.
  const declared = new Map<Node, { readonly name: string; readonly segment: number; readonly plain: boolean }>();
  segments.forEach((segment, index) => {
    for (const statement of segment) {
      if (Node.isVariableStatement(statement)) {
        for (const declaration of statement.getDeclarations()) {
          const plain = plainInitializer(declaration.getInitializer());
          const nameNode = declaration.getNameNode();
          if (Node.isIdentifier(nameNode))
            declared.set(declaration, { name: nameNode.getText(), segment: index, plain });
          else
            for (const element of nameNode.getDescendantsOfKind(SyntaxKind.BindingElement))
              declared.set(element, { name: element.getName(), segment: index, plain });
        }
      } else if (
        (Node.isFunctionDeclaration(statement) ||
          Node.isClassDeclaration(statement) ||
          Node.isEnumDeclaration(statement)) &&
        statement.getName()
      ) {
        declared.set(statement, { name: statement.getName()!, segment: index, plain: false });
      }
    }
  });

  const touched = segments.map(() => new Set<string>());
  const written = segments.map(() => new Set<string>());
  const unplain = new Set<string>();
  segments.forEach((segment, index) => {
    for (const statement of segment) {
      for (const id of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
        if (isPropertyName(id)) continue;
        const declaration = declarationOf(id);
        const found = declaration && declared.get(declaration);
        if (!found || found.segment >= index) continue;
        touched[index].add(found.name);
        if (mayWrite(id)) written[index].add(found.name);
        if (!found.plain) unplain.add(found.name);
      }
    }
  });
  const blockedName = [...unplain][0];
  if (blockedName)
    return { blocked: `\`${blockedName}\` is used by a later step but cannot travel in requestState as JSON` };

  const declaredAt = segments.map((_, index) =>
    [...declared.values()].filter((d) => d.segment === index).map((d) => d.name),
  );
  const layout = segments.map((segment, index): StepSegment => {
    const later = new Set(touched.slice(index + 1).flatMap((names) => [...names]));
    // A step hands on what it declared and what it may have changed; the rest is still in the state.
    const own = new Set([...written[index], ...declaredAt[index]]);
    return {
      statements: segment,
      asks: asks.filter((ask) => ranges[index][0] <= indexOf(ask) && indexOf(ask) < ranges[index][1]),
      receives: [...touched[index]],
      handsOn: [...own].filter((name) => later.has(name)),
    };
  });
  return { steps: layout.slice(0, -1), end: layout.at(-1)! };
}

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.PlusEqualsToken,
  SyntaxKind.MinusEqualsToken,
  SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.SlashEqualsToken,
  SyntaxKind.PercentEqualsToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Assigned, updated, or reachable by code that could change it (a method call, an argument). */
function mayWrite(id: Node): boolean {
  let node: Node = id;
  // `x.a.b = 1`, `x.items.push(1)`: the root of a member chain is what changes.
  while (Node.isPropertyAccessExpression(node.getParent()) || Node.isElementAccessExpression(node.getParent())) {
    const parent = node.getParentOrThrow();
    if (Node.isElementAccessExpression(parent) && parent.getArgumentExpression() === node) break;
    node = parent;
    const call = node.getParent();
    if (Node.isCallExpression(call) && call.getExpression() === node) return true;
  }
  // `({ x } = value)` and `[x] = value` assign through a pattern.
  while (
    Node.isShorthandPropertyAssignment(node.getParent()) ||
    Node.isPropertyAssignment(node.getParent()) ||
    Node.isObjectLiteralExpression(node.getParent()) ||
    Node.isArrayLiteralExpression(node.getParent()) ||
    Node.isSpreadElement(node.getParent())
  ) {
    node = node.getParentOrThrow();
  }
  const parent = node.getParent();
  if (
    Node.isBinaryExpression(parent) &&
    parent.getLeft() === node &&
    ASSIGNMENTS.has(parent.getOperatorToken().getKind())
  )
    return true;
  if (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) {
    const operator = parent.getOperatorToken();
    return operator === SyntaxKind.PlusPlusToken || operator === SyntaxKind.MinusMinusToken;
  }
  if (Node.isCallExpression(parent) && parent.getArguments().includes(node)) return node === id;
  return false;
}

/** A `var` anywhere in the handler (outside nested functions) is function-scoped: steps would split it. */
function hoistedVar(body: Block): boolean {
  const fn = body.getParent();
  return body
    .getDescendantsOfKind(SyntaxKind.VariableDeclarationList)
    .some(
      (list) =>
        (list.getFlags() & ts.NodeFlags.BlockScoped) === 0 &&
        list.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) === fn,
    );
}

/** Functions, class instances and regular expressions do not survive JSON. */
function plainInitializer(initializer: Node | undefined): boolean {
  let expression = initializer;
  while (
    expression &&
    (Node.isAwaitExpression(expression) ||
      Node.isParenthesizedExpression(expression) ||
      Node.isAsExpression(expression) ||
      Node.isSatisfiesExpression(expression) ||
      Node.isNonNullExpression(expression))
  ) {
    expression = expression.getExpression();
  }
  if (!expression) return true;
  return !(
    Node.isArrowFunction(expression) ||
    Node.isFunctionExpression(expression) ||
    Node.isClassExpression(expression) ||
    Node.isNewExpression(expression) ||
    Node.isRegularExpressionLiteral(expression)
  );
}
