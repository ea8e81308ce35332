/**
 * Findings about handlers that need no rewrite of their own: answers remembered across calls,
 * calls the analysis cannot follow, hand-rolled confirmations.
 */
import { Node, SyntaxKind, type SourceFile } from '../../src/ts-morph.js';
import { enclosingFunction, enclosingStatementOf, type AskSite } from '../../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { classifyCall } from '../../src/analysis/input-points.js';
import { importedFile, isDeclaredOutside, resolveCallee } from '../../src/analysis/resolve.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { boundNames } from './before-guard.js';
import { referencesAny } from './grouping.js';
import { handlerLabel } from './plan.js';

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
          {
            start: assignment.getStart(),
            end: assignment.getEnd(),
            anchor: enclosingStatementOf(assignment).getStart(),
          },
          site.handler && handlerLabel(site.handler),
        ),
      );
    }
  }
  return found;
}

/**
 * Calls in the handler the analysis cannot follow (methods of values it cannot see), where the
 * file asks or imports code that asks: they may reach an ask, so the handler is wrapped and flagged.
 */
export interface UnresolvedCall {
  readonly diagnostic: PendingDiagnostic;
  readonly node: Node;
}

export function unresolvedCalls(
  handler: HandlerRegistration,
  sourceFile: SourceFile,
  fileAsks: boolean,
): UnresolvedCall[] {
  const importsAsking =
    fileAsks ||
    sourceFile.getImportDeclarations().some((d) => {
      const target = d.getModuleSpecifierValue().startsWith('.')
        ? importedFile(sourceFile, d.getModuleSpecifierValue())
        : undefined;
      return (
        target?.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => classifyCall(c) !== undefined) ?? false
      );
    });
  if (!importsAsking) return [];
  const body = handler.fn.getBody();
  const calls = handler.fn.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    return (
      Node.isPropertyAccessExpression(callee) &&
      !resolveCallee(callee) &&
      !PURE_NAMESPACE.test(callee.getExpression().getText().split('.')[0])
    );
  });
  const callback = handler.registration.getArguments().at(-1);
  const unresolvedCallback =
    callback && !Node.isArrowFunction(callback) && !Node.isFunctionExpression(callback) && !resolveCallee(callback)
      ? [callback]
      : [];
  const first = [...unresolvedCallback, ...calls][0];
  if (!first || !body) return [];
  const diagnostic = pending(
    'mrtr/unresolved-call-chain',
    { handler: handler.name, what: first.getText().replace(/\s+/g, ' ').slice(0, 60) },
    { start: first.getStart(), end: first.getEnd(), anchor: enclosingStatementOf(first).getStart() },
    handlerLabel(handler),
  );
  return [{ diagnostic, node: first }];
}

const PURE_NAMESPACE = /^(JSON|Math|Object|Array|String|Number|console|z|path|Promise|effects)$/;

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
