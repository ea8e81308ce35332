/**
 * Findings about handlers that need no rewrite of their own: answers remembered across calls, and
 * hand-rolled confirmations.
 */
import { Node, SyntaxKind } from '../../src/ts-morph.js';
import { enclosingFunction, type AskSite } from '../../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { isDeclaredOutside } from '../../src/analysis/resolve.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { boundNames } from './before-guard.js';
import { referencesAny } from './grouping.js';
import { atStatement, handlerLabel } from './plan.js';

/** `remembered = answer.action === 'accept'` where `remembered` outlives the request. */
export function memoisedAnswers(sites: readonly AskSite[]): PendingDiagnostic[] {
  const found: PendingDiagnostic[] = [];
  for (const site of sites) {
    const statement = site.status === 'rewritable' ? site.statement : site.anchor;
    const bound = Node.isVariableStatement(statement)
      ? statement.getDeclarations().flatMap((d) => boundNames(d.getNameNode()))
      : [];
    const owner = enclosingFunction(site.point.call);
    if (bound.length === 0 || !owner) continue;
    for (const assignment of owner.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      const target = assignment.getLeft();
      const root = Node.isIdentifier(target) ? target : target.getFirstDescendantByKind(SyntaxKind.Identifier);
      if (!root || !Node.isIdentifier(root) || !isDeclaredOutside(root, owner)) continue;
      if (!referencesAny(assignment.getRight(), new Set(bound))) continue;
      found.push(
        pending(
          'mrtr/memoised-answer',
          { kind: site.point.kind, name: root.getText() },
          atStatement(assignment),
          site.handler && handlerLabel(site.handler),
        ),
      );
    }
  }
  return found;
}

/** "Call me again with confirm: true": a string telling the model to repeat the call with a flag it checks. */
export function handRolledConfirmation(handler: HandlerRegistration): PendingDiagnostic[] {
  const text = handler.fn.getText();
  const flag = /\b(confirm(?:ed)?|approved?|force)\s*:\s*true\b/.exec(text)?.[1];
  if (!flag || !new RegExp(`\\.${flag}\\b|\\b${flag}\\b\\s*[,}]`).test(text)) return [];
  const registration = handler.registration;
  return [
    pending(
      'mrtr/hand-rolled-confirmation',
      { handler: handler.name, flag },
      { start: registration.getStart(), end: registration.getEnd(), anchor: registration.getStart() },
      handlerLabel(handler),
    ),
  ];
}
