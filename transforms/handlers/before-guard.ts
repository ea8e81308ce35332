/**
 * What runs before a guard: every statement (and branch condition) on the path from the top of
 * the handler to the ask runs again on each round. Each one that does more than compute gets a
 * flag naming its category; `--fix-effects` may move effects to just after the guard.
 */
import { Node, SyntaxKind, type Statement } from '../../src/ts-morph.js';
import type { RewritableAsk } from '../../src/analysis/ask-sites.js';
import type { EffectCategory } from '../../src/analysis/effect-catalogue.js';
import type { EffectAnalyzer, EffectFinding } from '../../src/analysis/effects.js';
import type { FunctionLikeNode } from '../../src/analysis/functions.js';
import { isPropertyName } from '../../src/analysis/resolve.js';
import type { RuleId } from '../../src/diagnostics/rules.js';

export interface BeforeGuardFlag {
  readonly ruleId: RuleId;
  readonly finding: EffectFinding;
  /** The statement the marker goes above. */
  readonly statement: Node;
  /** The top-level statement of the path it belongs to (a sibling of some ancestor of the ask). */
  readonly pathStatement: Node;
  /** What was classified: that statement, or the branch condition on the way to the ask. */
  readonly pathNode: Node;
}

export const BEFORE_GUARD_RULES: Readonly<Partial<Record<EffectCategory, RuleId>>> = {
  effect: 'mrtr/effect-before-guard',
  'outer-mutation': 'mrtr/outer-mutation-before-guard',
  nondeterministic: 'mrtr/nondeterministic-before-guard',
  unknown: 'mrtr/unknown-call-before-guard',
  read: 'mrtr/read-before-guard',
};

/**
 * A resumable call runs each statement once; only a replay (its continuation lost) runs it again.
 * Reads then cost, nothing more, so they are not flagged.
 */
export const ON_REPLAY_RULES: Readonly<Partial<Record<EffectCategory, RuleId>>> = {
  effect: 'mrtr/effect-on-replay',
  'outer-mutation': 'mrtr/outer-mutation-on-replay',
  nondeterministic: 'mrtr/nondeterministic-on-replay',
  unknown: 'mrtr/unknown-call-on-replay',
};

/** Statements and branch conditions evaluated before `ask`, in source order. */
export function pathBefore(ask: RewritableAsk): Node[] {
  return pathBeforeStatement(ask.statement, ask.handler.fn.getBody()!);
}

/** Statements and branch conditions evaluated before `statement` on its way from the top of `body`. */
export function pathBeforeStatement(statement: Node, body: Node): Node[] {
  const before: Node[] = [];
  for (let node: Node = statement; node !== body && node.getParent(); node = node.getParentOrThrow()) {
    const parent = node.getParentOrThrow();
    if (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) {
      const siblings = parent.getStatements();
      before.unshift(...siblings.slice(0, siblings.indexOf(node as Statement)).flatMap((s) => fallingThrough(s)));
    }
    if (Node.isIfStatement(parent) && parent.getExpression() !== node) before.unshift(parent.getExpression());
    if (Node.isSwitchStatement(parent)) before.unshift(parent.getExpression());
  }
  return before;
}

/**
 * What of an earlier statement can run in a round that goes on to the ask: a branch that always
 * returns or throws never does (the round ends in it), so only the condition and the other branch count.
 * After the ask in the only loop around it, a branch that breaks out never reaches the next pass either.
 */
function fallingThrough(statement: Statement, breakLeaves = false): Node[] {
  if (!Node.isIfStatement(statement)) return [statement];
  const then = statement.getThenStatement();
  const otherwise = statement.getElseStatement();
  const thenExits = alwaysExits(then, breakLeaves);
  const elseExits = otherwise !== undefined && alwaysExits(otherwise, breakLeaves);
  if (!thenExits && !elseExits) return [statement];
  const kept = thenExits ? otherwise : then;
  return [statement.getExpression(), ...(kept ? fallingThrough(kept, breakLeaves) : [])];
}

function alwaysExits(statement: Node, breakLeaves = false): boolean {
  if (Node.isReturnStatement(statement) || Node.isThrowStatement(statement)) return true;
  if (breakLeaves && Node.isBreakStatement(statement) && !statement.getLabel()) return true;
  if (Node.isBlock(statement)) {
    const last = statement.getStatements().at(-1);
    return last !== undefined && alwaysExits(last, breakLeaves);
  }
  if (Node.isIfStatement(statement)) {
    const otherwise = statement.getElseStatement();
    return (
      otherwise !== undefined &&
      alwaysExits(statement.getThenStatement(), breakLeaves) &&
      alwaysExits(otherwise, breakLeaves)
    );
  }
  return false;
}

/**
 * What a replay runs again before the ask in `statement`: its path from the top, and, inside a
 * loop, what earlier iterations ran after it (the replay runs them all again to get back here).
 */
export function replayedBefore(statement: Node, body: Node): Node[] {
  const replayed = pathBeforeStatement(statement, body);
  let loops = 0;
  for (let node: Node = statement; node !== body && node.getParent(); node = node.getParentOrThrow())
    if (isLoop(node)) loops++;
  // What follows the ask up to the innermost loop around it (disjoint from the path before it),
  // starting with the branches of the `if` whose condition asks.
  const after: Node[] = Node.isIfStatement(statement)
    ? [statement.getThenStatement(), statement.getElseStatement()].filter((branch) => branch !== undefined)
    : [];
  for (let node: Node = statement; node !== body && node.getParent(); node = node.getParentOrThrow()) {
    const parent = node.getParentOrThrow();
    if (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) {
      const siblings = parent.getStatements();
      const later = siblings.slice(siblings.indexOf(node as Statement) + 1);
      after.push(...later.flatMap((s) => fallingThrough(s, loops === 1)));
    }
    if (isLoop(parent)) replayed.push(...after.splice(0));
  }
  return replayed;
}

export function isLoop(node: Node): boolean {
  return (
    Node.isForStatement(node) ||
    Node.isForOfStatement(node) ||
    Node.isForInStatement(node) ||
    Node.isWhileStatement(node) ||
    Node.isDoStatement(node)
  );
}

export function flagsBefore(
  ask: RewritableAsk,
  group: readonly RewritableAsk[],
  analyzer: EffectAnalyzer,
): BeforeGuardFlag[] {
  return flagsOnPath(pathBefore(ask), ask.handler.fn, analyzer, (node) => usedAfterAsk(node, ask, group));
}

/** Flags for what `path` does, judged inside `fn`; `usedLater` decides whether a varying value matters. */
export function flagsOnPath(
  path: readonly Node[],
  fn: FunctionLikeNode,
  analyzer: EffectAnalyzer,
  usedLater: (node: Node) => boolean,
  rules = BEFORE_GUARD_RULES,
  ignored?: ReadonlySet<Node>,
): BeforeGuardFlag[] {
  const flags: BeforeGuardFlag[] = [];
  for (const node of path) {
    if (ignored?.has(node)) continue;
    const finding = analyzer.classify(node, fn, ignored);
    const ruleId = finding && rules[finding.category];
    if (!finding || !ruleId) continue;
    if (finding.category === 'nondeterministic' && !usedLater(node)) continue;
    const pathStatement = Node.isExpression(node) ? node.getParentOrThrow() : node;
    flags.push({
      ruleId,
      finding,
      statement: enclosingStatement(finding.node, pathStatement),
      pathStatement,
      pathNode: node,
    });
  }
  return flags;
}

/**
 * A value that differs per round only matters when it outlives the guard: read by the question or
 * by code after the ask.
 */
export function usedAfterAsk(node: Node, ask: RewritableAsk, group: readonly RewritableAsk[]): boolean {
  return readFrom(node, ask.handler.fn, Math.min(...group.map((a) => a.statement.getStart())));
}

/** Whether `fn` reads a name the variable statement `node` declares anywhere from offset `from` on. */
export function readFrom(node: Node, fn: Node, from: number): boolean {
  if (!Node.isVariableStatement(node)) return false;
  const names = new Set(node.getDeclarations().flatMap((d) => boundNames(d.getNameNode())));
  return fn
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .some((id) => id.getStart() >= from && names.has(id.getText()) && !isPropertyName(id));
}

export function enclosingStatement(node: Node, limit: Node): Node {
  for (let current: Node | undefined = node; current && current !== limit; current = current.getParent()) {
    const parent = current.getParent();
    if (
      parent &&
      (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) &&
      limit.containsRange(current.getPos(), current.getEnd())
    ) {
      return current;
    }
  }
  return limit;
}

export function boundNames(nameNode: Node): string[] {
  if (Node.isIdentifier(nameNode)) return [nameNode.getText()];
  return nameNode.getDescendantsOfKind(SyntaxKind.BindingElement).map((e) => e.getName());
}

/**
 * Effects `--fix-effects` may move to just after the guard: siblings of the first ask, whose
 * names nothing before the guard reads, with only pure code (or other moved effects) between them
 * and the ask, so the order of effects and I/O is kept.
 */
export function movableEffects(
  flags: readonly BeforeGuardFlag[],
  group: readonly RewritableAsk[],
  analyzer: EffectAnalyzer,
): Statement[] {
  const first = group[0];
  const parent = first.statement.getParent();
  if (!parent || !(Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent))) return [];
  const siblings = parent.getStatements();
  return movableAbove({
    siblings,
    askIndex: siblings.indexOf(first.statement),
    lastIndex: Math.max(...group.map((a) => siblings.indexOf(a.statement))),
    flags,
    readers: group.flatMap((a) => (a.point.params ? [a.point.params] : [])),
    fn: first.handler.fn,
    analyzer,
  });
}

/**
 * The flagged effects among `siblings` that can move to below the statement at `lastIndex`: walking
 * back from `askIndex`, each one whose names no statement up to `lastIndex` (nor `readers`) reads,
 * with only pure code (`ignored` left out) or other moved effects between it and the ask.
 */
export function movableAbove(input: {
  readonly siblings: readonly Statement[];
  readonly askIndex: number;
  readonly lastIndex: number;
  readonly flags: readonly BeforeGuardFlag[];
  readonly readers: readonly Node[];
  readonly fn: FunctionLikeNode;
  readonly analyzer: EffectAnalyzer;
  readonly ignored?: ReadonlySet<Node>;
}): Statement[] {
  const { siblings } = input;
  const parent = siblings[input.askIndex]?.getParent();
  const candidates = new Set(
    input.flags
      .filter(
        (f) =>
          (f.ruleId === 'mrtr/effect-before-guard' || f.ruleId === 'mrtr/outer-mutation-before-guard') &&
          f.pathStatement.getParent() === parent,
      )
      .map((f) => f.pathStatement as Statement),
  );
  const moved: Statement[] = [];
  // Walk back from the ask: a statement can move only if everything after it up to the ask stays pure or moves too.
  for (let i = input.askIndex - 1; i >= 0; i--) {
    const statement = siblings[i];
    if (
      candidates.has(statement) &&
      !readBeforeGuard(statement, siblings.slice(i + 1, input.lastIndex), input.readers)
    ) {
      moved.unshift(statement);
      continue;
    }
    const finding = input.analyzer.classify(statement, input.fn, input.ignored);
    if (finding && finding.category !== 'pure') break;
  }
  return moved;
}

function readBeforeGuard(statement: Statement, between: readonly Statement[], others: readonly Node[]): boolean {
  if (!Node.isVariableStatement(statement)) return false;
  const names = new Set(statement.getDeclarations().flatMap((d) => boundNames(d.getNameNode())));
  const readers: Node[] = [...between, ...others];
  return readers.some((n) =>
    n.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => names.has(id.getText()) && !isPropertyName(id)),
  );
}
