/**
 * Which asks of a handler share a round: asks on paths that exclude each other get a guard each;
 * independent sibling asks with only pure code between them share one round; anything else is a
 * dependent sequence (undefined), which carries earlier answers in requestState.
 */
import { Node, SyntaxKind, type Statement } from '../../src/ts-morph.js';
import type { RewritableAsk } from '../../src/analysis/ask-sites.js';
import type { EffectAnalyzer } from '../../src/analysis/effects.js';
import { isPropertyName } from '../../src/analysis/resolve.js';
import { boundNames } from './before-guard.js';

/**
 * Asks that can never both run (opposite branches, or an earlier branch that always returns)
 * each get their own guard. Otherwise every ask must be an independent sibling statement, and
 * then they share one round; anything else is a dependent sequence.
 */
export function groupIntoRounds(asks: RewritableAsk[], effects: EffectAnalyzer): RewritableAsk[][] | undefined {
  const allExclusive = asks.every((a, i) => asks.slice(i + 1).every((b) => exclusive(a, b)));
  if (allExclusive) return asks.map((a) => [a]);
  return canShareRound(asks, effects) ? [asks] : undefined;
}

function exclusive(first: RewritableAsk, second: RewritableAsk): boolean {
  const a = first.statement;
  const b = second.statement;
  for (
    let node: Node | undefined = a.getParent();
    node && !node.containsRange(b.getPos(), b.getEnd());
    node = node.getParent()
  ) {
    if (Node.isBlock(node) || Node.isCaseClause(node) || Node.isDefaultClause(node)) {
      if (endsInExit(node.getStatements())) return true;
    }
    const parent = node.getParent();
    if (parent && Node.isIfStatement(parent)) {
      const other = parent.getThenStatement() === node ? parent.getElseStatement() : parent.getThenStatement();
      if (other?.containsRange(b.getPos(), b.getEnd())) return true;
    }
  }
  return false;
}

function endsInExit(statements: Statement[]): boolean {
  const last = statements.at(-1);
  if (!last) return false;
  if (Node.isReturnStatement(last) || Node.isThrowStatement(last)) return true;
  if (Node.isBlock(last)) return endsInExit(last.getStatements());
  return false;
}

/** Only code the effect analysis finds pure may stand between asks that share a round. */
function canShareRound(asks: RewritableAsk[], effects: EffectAnalyzer): boolean {
  const parent = asks[0].statement.getParent();
  if (!asks.every((a) => a.statement.getParent() === parent)) return false;
  if (!asks.slice(0, -1).every((a) => a.binding !== undefined || a.bare)) return false;
  if (!Node.isBlock(parent) && !Node.isCaseClause(parent) && !Node.isDefaultClause(parent)) return false;
  const statements = parent.getStatements();
  const from = statements.indexOf(asks[0].statement);
  const to = statements.indexOf(asks.at(-1)!.statement);
  const askStatements = new Set<Statement>(asks.map((a) => a.statement));
  const bound = new Set<string>();
  for (const statement of statements.slice(from, to + 1)) {
    if (referencesAny(statement, bound)) return false;
    if (!askStatements.has(statement) && effects.classify(statement, asks[0].handler.fn)) return false;
    const ask = asks.find((a) => a.statement === statement);
    if (ask?.binding) boundNames(ask.binding.nameNode).forEach((n) => bound.add(n));
  }
  return true;
}

export function referencesAny(node: Node, names: Set<string>): boolean {
  if (names.size === 0) return false;
  return node.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => names.has(id.getText()) && !isPropertyName(id));
}
