/**
 * steps (`--style steps`): a handler whose later questions depend on earlier answers is split at
 * its questions into ToolBuilder steps, closures inside the handler so its parameters stay as
 * written:
 *
 *   return toolSteps<CallToolResult>(ctx, 'tool book')
 *     .incompleteStep('to', async (step) => { …guard for `to`…; return step.next({ route }); })
 *     .incompleteStep('date', async (step, { route }) => { …guard for `date`…; return step.next({ date }); })
 *     .endStep(async ({ route, date }) => { …the rest, once… });
 *
 * The code between two questions runs once, in the round where the earlier answer arrives, and
 * the end step runs once. What later steps use is handed on by name, as JSON, in the signed
 * requestState. A handler that cannot be split (a local that is not plain data, `var`, its own
 * types, a low-level handler) keeps the multi-round rewrite, with `mrtr/steps-not-applied`.
 */
import { Node } from '../src/ts-morph.js';
import type { RewritableAsk } from '../src/analysis/ask-sites.js';
import { isLowLevelRegistration, type HandlerRegistration } from '../src/analysis/handlers.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { indentUnit, quote } from '../src/edit/code-style.js';
import { isTypeScriptFile } from '../src/edit/imports.js';
import type { NameAllocator } from '../src/edit/naming.js';
import { addCapabilityEdits } from './handlers/capabilities.js';
import { buildGuardRounds, finishGuardPlan, openGuardPlan } from './handlers/guards.js';
import { handlerLabel, type HandlerPlan } from './handlers/plan.js';
import { rangeOf } from './handlers/round.js';
import { secretsAsked, secretsHandedOn } from './handlers/secrets.js';
import { layoutSteps, type StepLayout } from './steps/layout.js';
import { stepScaffold } from './steps/scaffold.js';
import type { TransformContext } from './types.js';

const RESULT_TYPE_OF: Readonly<Record<string, string>> = {
  tool: 'CallToolResult',
  prompt: 'GetPromptResult',
  resource: 'ReadResourceResult',
};

/** The handler split into steps, or the reason it keeps the multi-round rewrite. */
export function stepsLayoutFor(
  handler: HandlerRegistration,
  asks: readonly RewritableAsk[],
): StepLayout | { readonly diagnostic: PendingDiagnostic } {
  const body = handler.fn.getBody();
  const layout = isLowLevelRegistration(handler)
    ? { blocked: 'a low-level request handler returns the whole result union, which steps do not type' }
    : body && Node.isBlock(body)
      ? layoutSteps(body, asks)
      : { blocked: 'the handler has no block body' };
  if ('steps' in layout) return layout;
  const label = handlerLabel(handler);
  return {
    diagnostic: pending(
      'mrtr/steps-not-applied',
      { handler: label, reason: layout.blocked },
      rangeOf(handler.registration),
      label,
    ),
  };
}

export function planSteps(
  handler: HandlerRegistration,
  asks: readonly RewritableAsk[],
  layout: StepLayout,
  names: NameAllocator,
  context: TransformContext,
): HandlerPlan {
  const { plan, ctxName } = openGuardPlan(handler, 'steps', names, { carriesState: true });
  const stepName = names.fresh('step');
  addCapabilityEdits(plan, handler.fn, names, ctxName);
  const groups = asks.map((a) => [a]);
  const rounds = buildGuardRounds(plan, handler, groups, {
    ctxName,
    names,
    context,
    carried: { answers: `${stepName}.answers` },
    stepStart: (group) => layout.steps.find((segment) => segment.asks.includes(group[0]))?.statements[0],
    onCarriedAsk: (ask) => plan.diagnostics.push(...secretsAsked(ask, handler)),
  });
  // Each step is named after the first key of the round that opens it.
  const stepNames = groups.flatMap((group, i) =>
    layout.steps.some((segment) => segment.asks[0] === group[0]) ? [rounds.roundKeys[i][0]] : [],
  );
  const resultType = RESULT_TYPE_OF[handler.family!];
  const typed = isTypeScriptFile(handler.fn.getSourceFile());
  if (typed) plan.typeNeeds.add(resultType);
  const scaffold = stepScaffold({
    toolSteps: names.imported('toolSteps'),
    layout,
    names: stepNames,
    ctxName,
    stepName,
    label: quote(context.style, handlerLabel(handler)),
    typeArgument: typed ? `<${resultType}>` : '',
    quote: (text) => quote(context.style, text),
    unit: indentUnit(context.style),
    semi: context.style.semi ? ';' : '',
  });
  // The chain opens before anything else written at a step's first line.
  plan.edits.unshift(...scaffold.edits);
  plan.runtimeNeeds.add('toolSteps');
  plan.diagnostics.push(...secretsHandedOn(layout, handler));
  const count = layout.steps.length;
  const handed = [...new Set(layout.steps.flatMap((segment) => segment.handsOn))];
  rounds.reasons.add(
    `${count} incomplete step${count > 1 ? 's' : ''} and an end step: code between two questions runs once, in ` +
      `the round where the earlier answer arrives, and the end step runs once; answers travel in signed requestState ` +
      `(set MCP_REQUEST_STATE_KEY)`,
  );
  if (handed.length > 0)
    rounds.reasons.add(`steps hand on ${handed.map((name) => `\`${name}\``).join(', ')} as JSON in requestState`);
  return finishGuardPlan(plan, handler, rounds, scaffold.bodies);
}
