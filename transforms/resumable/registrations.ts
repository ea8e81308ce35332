/**
 * The `resumable(...)` wrap at a registration, which gives every ask the handler reaches a round
 * to end: on the handler's own registration, or on a registration that forwards a handler the
 * codemod cannot see (a function's parameter, a handler taken from data).
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../../src/ts-morph.js';
import { enclosingFunction, enclosingStatementOf } from '../../src/analysis/ask-sites.js';
import { functionName } from '../../src/analysis/functions.js';
import { isLowLevelRegistration, type HandlerRegistration } from '../../src/analysis/handlers.js';
import { declarationOf, resolveCallee } from '../../src/analysis/resolve.js';
import { pending } from '../../src/diagnostics/diagnostic.js';
import { quote } from '../../src/edit/code-style.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import { emptyPlan, type HandlerPlan } from '../handlers/plan.js';
import type { TransformContext } from '../types.js';

/** `registerTool(name, config, handler)` ⇒ `registerTool(name, config, resumable('tool name', handler))`. */
export function wrapRegistration(handler: HandlerRegistration, label: string, context: TransformContext): TextEdit[] {
  const fixed = isLowLevelRegistration(handler) || handler.family === undefined;
  return wrapInResumable(handler.registration, handler.family ?? 'handler', fixed ? label : undefined, context);
}

/**
 * In every registration form the callback is the last argument. A computed name (tools
 * registered in a loop) binds each tool's state to its own name at run time.
 */
function wrapInResumable(
  registration: CallExpression,
  family: string,
  fixedLabel: string | undefined,
  context: TransformContext,
): TextEdit[] {
  const args = registration.getArguments();
  const target = args.at(-1);
  if (!target) return [];
  const name = args[0];
  const literal = !name || Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name);
  const labelText =
    fixedLabel !== undefined
      ? quote(context.style, fixedLabel)
      : literal
        ? quote(context.style, name ? `${family} ${name.getLiteralValue()}` : family)
        : `\`${family} \${${name.getText()}}\``;
  return [
    { start: target.getStart(), end: target.getStart(), text: `resumable(${labelText}, ` },
    { start: target.getEnd(), end: target.getEnd(), text: ')' },
  ];
}

/**
 * Registrations inside a function that forwards its own parameter (`server.registerTool(name,
 * config, handler)`): every handler registered through it is wrapped in resumable(...) there,
 * which costs nothing for those that never reach an ask.
 */
export function forwardedRegistrations(sourceFile: SourceFile, context: TransformContext): HandlerPlan[] {
  const plans: HandlerPlan[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const family = Node.isPropertyAccessExpression(callee) ? FORWARDED_FAMILIES[callee.getName()] : undefined;
    const callback = call.getArguments().at(-1);
    if (!family || !callback || !isHiddenHandler(callback)) continue;
    // Named after the function that forwards its parameter, or after the data the handler comes from.
    const via = (Node.isIdentifier(callback) && forwarder(call)) || callback.getText();
    const plan = emptyPlan(
      { handler: 'forwarded', family, name: '', strategy: 'resumable', risk: 'review', keys: [], reasons: [] },
      [
        pending(
          'mrtr/forwarded-registration',
          { what: via },
          { start: call.getStart(), end: call.getEnd(), anchor: enclosingStatementOf(call).getStart() },
        ),
      ],
    );
    plan.edits.push(...wrapInResumable(call, family, undefined, context));
    plan.runtimeNeeds.add('resumable');
    plans.push({ ...plan, replayedAt: { start: call.getStart(), end: call.getEnd(), handler: via, label: via } });
  }
  return plans;
}

/**
 * A registered handler the codemod cannot see: the registering function's own parameter, or a
 * handler taken from data (`tool.handler`, `handlers[name]`) that names no function it can follow.
 */
function isHiddenHandler(callback: Node): boolean {
  // `handler.bind(this)` hides what `handler` hides.
  if (Node.isCallExpression(callback)) {
    const callee = callback.getExpression();
    return (
      Node.isPropertyAccessExpression(callee) && callee.getName() === 'bind' && isHiddenHandler(callee.getExpression())
    );
  }
  if (Node.isIdentifier(callback)) return Node.isParameterDeclaration(declarationOf(callback));
  return (
    (Node.isPropertyAccessExpression(callback) || Node.isElementAccessExpression(callback)) && !resolveCallee(callback)
  );
}

function forwarder(call: CallExpression): string | undefined {
  const fn = enclosingFunction(call);
  return fn && functionName(fn);
}

const FORWARDED_FAMILIES: Readonly<Record<string, 'tool' | 'prompt' | 'resource'>> = {
  registerTool: 'tool',
  tool: 'tool',
  registerPrompt: 'prompt',
  prompt: 'prompt',
  registerResource: 'resource',
  resource: 'resource',
};
