/**
 * requestState is signed, not encrypted: the client can read what travels in it. Names that look
 * like secrets are flagged where they would start travelling.
 */
import { Node, type PropertyAssignment, type ShorthandPropertyAssignment } from '../../src/ts-morph.js';
import type { RewritableAsk } from '../../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import type { StepLayout } from '../steps/layout.js';
import { handlerLabel } from './plan.js';

export const SECRET_NAME = /pass(word|phrase)?|secret|token|api[-_]?key|credential|private[-_]?key|otp|pin\b/i;

/** Fields of an elicited form whose answers would be carried in requestState. */
export function secretsAsked(ask: RewritableAsk, handler: HandlerRegistration): PendingDiagnostic[] {
  const params = ask.point.params;
  if (!params || !Node.isObjectLiteralExpression(params)) return [];
  const schema = params.getProperty('requestedSchema');
  const properties = schema && Node.isPropertyAssignment(schema) ? schema.getInitializer() : undefined;
  const fields =
    properties && Node.isObjectLiteralExpression(properties) ? properties.getProperty('properties') : undefined;
  const object = fields && Node.isPropertyAssignment(fields) ? fields.getInitializer() : undefined;
  if (!object || !Node.isObjectLiteralExpression(object)) return [];
  return object
    .getProperties()
    .filter(
      (p): p is PropertyAssignment | ShorthandPropertyAssignment =>
        (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p)) && SECRET_NAME.test(p.getName()),
    )
    .map((p) =>
      pending(
        'mrtr/secret-in-state',
        { name: p.getName().replace(/^['"]|['"]$/g, '') },
        { start: p.getStart(), end: p.getEnd(), anchor: ask.statement.getStart() },
        handlerLabel(handler),
      ),
    );
}

/** Values a step hands on to later steps. */
export function secretsHandedOn(layout: StepLayout, handler: HandlerRegistration): PendingDiagnostic[] {
  const names = new Set(layout.steps.flatMap((segment) => segment.handsOn).filter((name) => SECRET_NAME.test(name)));
  return layout.steps.flatMap((segment) =>
    segment.statements
      .flatMap((statement) => (Node.isVariableStatement(statement) ? statement.getDeclarations() : []))
      .filter((declaration) => names.has(declaration.getName()))
      .map((declaration) =>
        pending(
          'mrtr/secret-carried',
          { name: declaration.getName() },
          {
            start: declaration.getStart(),
            end: declaration.getEnd(),
            anchor: declaration.getVariableStatementOrThrow().getStart(),
          },
          handlerLabel(handler),
        ),
      ),
  );
}
