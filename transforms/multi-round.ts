/**
 * multi-round: a handler whose later question depends on an earlier answer (`Where to?`, then
 * `When do you travel to Oslo?`). `inputResponses` holds only the current round, so the first
 * statement gathers the answers of earlier rounds, verified, with this round's:
 *
 *   const answers = await collectedAnswers(ctx, 'tool book');
 *   const route = inputResponse(answers, 'to');
 *   if (route.kind !== 'elicit') {
 *     const requestState = await carryAnswers(answers, ctx, 'tool book');
 *     return inputRequired({ inputRequests: { to: … }, requestState });
 *   }
 *
 * Each ask stays a guard in place, and each question sends the answers back signed as
 * requestState, bound to the handler. The verify hook goes into the server's construction.
 * Code between two asks runs again in later rounds; before-guard flags say what that repeats.
 * Fields that look like secrets are flagged, since the client can read requestState.
 */
import { Node } from '../src/ts-morph.js';
import type { RewritableAsk } from '../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../src/analysis/handlers.js';
import type { PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { quote } from '../src/edit/code-style.js';
import type { NameAllocator } from '../src/edit/naming.js';
import { lineStartOf } from '../src/edit/text-edits.js';
import { addCapabilityEdits } from './handlers/capabilities.js';
import { buildGuardRounds, finishGuardPlan, openGuardPlan } from './handlers/guards.js';
import { handlerLabel, type HandlerPlan } from './handlers/plan.js';
import { secretsAsked } from './handlers/secrets.js';
import type { TransformContext } from './types.js';

/**
 * One round per ask, earlier answers carried in signed requestState; `stepsNotApplied` says why steps
 * were not used.
 */
export function planMultiRound(
  handler: HandlerRegistration,
  asks: readonly RewritableAsk[],
  names: NameAllocator,
  context: TransformContext,
  stepsNotApplied?: PendingDiagnostic,
): HandlerPlan {
  const { plan, ctxName } = openGuardPlan(handler, 'multi-round', names, {
    carriesState: true,
    diagnostics: stepsNotApplied ? [stepsNotApplied] : [],
  });
  const carried = carryAnswersInState(handler, ctxName, names, context, plan);
  addCapabilityEdits(plan, handler.fn, names, ctxName);
  const rounds = buildGuardRounds(
    plan,
    handler,
    asks.map((a) => [a]),
    { ctxName, names, context, carried, onCarriedAsk: (ask) => plan.diagnostics.push(...secretsAsked(ask, handler)) },
  );
  rounds.reasons.add(
    'earlier answers travel in signed requestState (set MCP_REQUEST_STATE_KEY); code between the asks runs ' +
      'again in later rounds',
  );
  return finishGuardPlan(plan, handler, rounds);
}

/**
 * The first statement of the handler gathers the answers of earlier rounds (verified) with this
 * round's; each question then sends them back, signed, as requestState.
 */
function carryAnswersInState(
  handler: HandlerRegistration,
  ctxName: string,
  names: NameAllocator,
  context: TransformContext,
  plan: HandlerPlan,
): { answers: string; requestState: string } {
  const answers = names.fresh('answers');
  const label = quote(context.style, handlerLabel(handler));
  const body = handler.fn.getBody()!;
  const first = Node.isBlock(body) ? body.getStatements()[0] : undefined;
  const text = body.getSourceFile().getFullText();
  const semi = context.style.semi ? ';' : '';
  const statement = `const ${answers} = await ${names.imported('collectedAnswers')}(${ctxName}, ${label})${semi}`;
  if (first) {
    const lineStart = lineStartOf(text, first.getStart());
    const indent = text.slice(lineStart, first.getStart());
    plan.edits.push({ start: lineStart, end: lineStart, text: `${indent}${statement}\n` });
  } else {
    plan.edits.push({ start: body.getStart() + 1, end: body.getStart() + 1, text: ` ${statement} ` });
  }
  plan.runtimeNeeds.add('collectedAnswers').add('carryAnswers');
  return { answers, requestState: `await ${names.imported('carryAnswers')}(${answers}, ${ctxName}, ${label})` };
}
