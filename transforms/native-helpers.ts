/**
 * native-helpers: an ask in a helper becomes re-entrant code any instance can serve. The handler's
 * context is passed down the calls that reach the helper; the helper reads this round's answer
 * under its key, or returns the `inputRequired` result, and every caller on the way returns it:
 *
 *   const r = await server.server.elicitInput(params)
 *     ⇒ const r = await elicitAnswer(ctx, 'confirm', params, outside);
 *       if (isInputRequiredResult(r)) return r;
 *   if (!(await confirm(server, msg)))
 *     ⇒ const confirmResult = await confirm(server, msg, ctx);
 *       if (isInputRequiredResult(confirmResult)) return confirmResult;
 *       if (!confirmResult)
 *
 * What follows the ask stays as written: decline, cancel, validation, catch fallbacks. Nothing is
 * held between rounds. Called without a context (a timer, a test with a stub server), the helper
 * asks as it did before. What runs before the ask runs again on each round and is flagged.
 */
import { type Node, SyntaxKind } from '../src/ts-morph.js';
import type { BlockedAsk } from '../src/analysis/ask-sites.js';
import { functionName, type FunctionLikeNode } from '../src/analysis/functions.js';
import type { HandlerRegistration } from '../src/analysis/handlers.js';
import { pending } from '../src/diagnostics/diagnostic.js';
import { isTypeScriptFile } from '../src/edit/imports.js';
import { KeyAllocator, type NameAllocator } from '../src/edit/naming.js';
import type { TextEdit } from '../src/edit/text-edits.js';
import { flagsOnPath, pathBeforeStatement, replayedBefore } from './handlers/before-guard.js';
import { addCapabilityEdits } from './handlers/capabilities.js';
import { contextParameter, widenReturnType } from './handlers/context-parameter.js';
import { carriedDiagnostic, carrierFor, type EffectCarrier } from './handlers/carry-once.js';
import {
  emptyPlan,
  flagDiagnostic,
  handlerLabel,
  outcomeOf,
  reasonFor,
  replayedAt,
  type HandlerPlan,
} from './handlers/plan.js';
import { askCall } from './resumable/ask-calls.js';
import { guardedCall, parameterAdded, widenedPromise } from './native-helpers/edits.js';
import { keepFinallyForTheEnd } from './native-helpers/finally-guard.js';
import { jsdocEdits } from './native-helpers/jsdoc.js';
import type { AwaitedSpot, NativeReach } from './native-helpers/reach.js';
import type { TransformContext } from './types.js';

export interface NativePlans {
  /** The helpers' edits and findings, reported by their findings. */
  readonly helpers: HandlerPlan;
  /** One plan per handler that reaches a native helper. */
  readonly handlers: Map<HandlerRegistration, HandlerPlan>;
}

export function planNativeHelpers(reach: NativeReach, names: NameAllocator, context: TransformContext): NativePlans {
  const helpers = emptyPlan({
    handler: 'helpers',
    family: 'tool',
    name: '',
    strategy: 'native-helpers',
    risk: 'review',
    keys: [],
    reasons: [],
  });
  const ctxOf = new Map<FunctionLikeNode, string>();
  const keyOf = new Map<FunctionLikeNode, string>();
  const keys = new KeyAllocator();
  // A helper given the context already (`confirm(ctx, msg)` asking `ctx.mcpReq.elicitInput`) keeps it.
  const ownContext = reach.ownContext;
  // Other helpers take the context last and optional, so every other caller keeps its call.
  for (const fn of [...reach.askers.keys(), ...reach.relays]) {
    const own = ownContext.get(fn);
    const ctx = own ?? names.parameter('ctx', fn);
    ctxOf.set(fn, ctx);
    const typed = isTypeScriptFile(fn.getSourceFile());
    if (!own) {
      helpers.edits.push(parameterAdded(fn, typed ? `${ctx}?: ${names.imported('ServerContext')}` : ctx));
      if (typed) helpers.typeNeeds.add('ServerContext');
      else helpers.edits.push(...jsdocEdits(fn, ctx));
    }
    const widened = widenedPromise(fn, names.imported('InputRequiredResult'));
    if (widened) {
      helpers.edits.push(widened);
      helpers.typeNeeds.add('InputRequiredResult');
    }
    addCapabilityEdits(helpers, fn, names, ctx);
  }
  const askingCalls: ReadonlySet<Node> = new Set(reach.calls.map((call) => call.call));
  const handlers = new Map<HandlerRegistration, HandlerPlan>();
  const carryingOf = new Map<HandlerRegistration, HandlerCarrying>();
  for (const handler of reach.handlers.keys()) {
    const { plan, ctx } = nativeHandlerPlan(handler, names);
    ctxOf.set(handler.fn, ctx.name);
    handlers.set(handler, plan);
    const carried = reach.carried.has(handler);
    // Calls that ask run in every round; with answers carried, what a loop's pass does is carried per pass.
    const native = carried ? { ignored: askingCalls, perPass: true } : { ignored: askingCalls };
    const carrier = carrierFor(handler.fn, ctx.name, names, context, native);
    carryingOf.set(handler, { carrier, reasons: new Set(), done: new Set(), ignored: askingCalls });
  }

  const guard = names.imported('isInputRequiredResult');
  helpers.needs.add('isInputRequiredResult');
  const guardedFinallies = new Set<Node>();
  for (const [fn, { site, spot }] of reach.askers) {
    const key = keys.fresh(functionName(fn) ?? 'ask');
    keyOf.set(fn, key);
    nativeAskEdits(helpers, site.point, spot, key, ctxOf.get(fn)!, true, names, context);
    keepFinallyForTheEnd(helpers, fn, spot.statement, ctxOf.get(fn)!, names, context.style, guardedFinallies);
    helpers.diagnostics.push(
      pending(
        'mrtr/native-helper',
        { fn: functionName(fn) ?? 'anonymous', kind: site.point.kind, key },
        { start: spot.call.getStart(), end: spot.call.getEnd(), anchor: spot.statement.getStart() },
      ),
    );
    flagBefore(helpers, fn, spot.statement, key, context);
  }

  for (const call of reach.calls) {
    const handler = [...handlers.keys()].find((h) => h.fn === call.caller);
    const plan = handler ? handlers.get(handler)! : helpers;
    const args = call.call.getArguments();
    const padding = Array.from(
      { length: Math.max(0, call.callee.getParameters().length - args.length) },
      () => 'undefined',
    );
    const passed = [...padding, ctxOf.get(call.caller)!].join(', ');
    const close = call.call.getLastChildByKindOrThrow(SyntaxKind.CloseParenToken);
    const lastArg = args.at(-1);
    // After a trailing comma the argument follows it; otherwise it is appended.
    const trailingComma = lastArg?.getNextSiblingIfKind(SyntaxKind.CommaToken);
    const argEdit: TextEdit = trailingComma
      ? { start: close.getStart(), end: close.getStart(), text: `${passed}` }
      : { start: close.getStart(), end: close.getStart(), text: lastArg ? `, ${passed}` : passed };
    const base = `${functionName(call.callee) ?? 'helper'}Result`;
    // The callee's own context parameter is already passed; the others take the caller's last.
    const edits = ownContext.has(call.callee) ? [] : [argEdit];
    plan.edits.push(...guardedCall(call, edits, { guard, base, names, style: context.style }));
    keepFinallyForTheEnd(
      plan,
      call.caller,
      call.statement,
      ctxOf.get(call.caller)!,
      names,
      context.style,
      guardedFinallies,
    );
    if (handler) plan.needs.add('isInputRequiredResult');
    const key = firstKey(call.callee, reach, keyOf);
    if (handler) {
      const body = handler.fn.getBody();
      if (body) {
        flagHandler(plan, carryingOf.get(handler)!, handler, replayedBefore(call.statement, body), key, context);
      }
    } else flagBefore(helpers, call.caller, call.statement, key, context);
  }

  for (const [handler, chains] of reach.handlers) {
    const plan = handlers.get(handler)!;
    const label = handlerLabel(handler);
    const reached = [...new Set(chains.map((chain) => chain.at(-1)!))];
    const reasons = [
      `asks through ${chains.map((chain) => `${label} → ${chain.join(' → ')}`).join('; ')}; ` +
        'the helpers return the request, so any instance can serve the retry',
      ...carryingOf.get(handler)!.reasons,
    ];
    const answersCarried = reach.carried.has(handler);
    if (answersCarried) {
      reasons.push(
        'it asks more than once in a call: each pass asks under a key of its own, and the earlier answers ' +
          'travel in signed requestState (set MCP_REQUEST_STATE_KEY)',
      );
    }
    const onceUsed = carryingOf.get(handler)!.done.size > 0 && plan.runtimeNeeds.size > 0;
    // Either way state travels: the server needs the verify hook.
    const carried = onceUsed || answersCarried;
    if (onceUsed) {
      reasons.push(
        'what runs before the helper is reached runs in the first round only, carried by once in signed ' +
          'requestState (set MCP_REQUEST_STATE_KEY)',
      );
    }
    handlers.set(handler, {
      ...plan,
      ...(carried ? { replayedAt: replayedAt(handler) } : {}),
      outcome: {
        ...plan.outcome,
        risk: carryingOf.get(handler)!.reasons.size > 0 ? 'review' : 'safe',
        keys: reached.map((name) => keyByName(name, reach, keyOf)).filter((k): k is string => k !== undefined),
        reasons,
        reaches: reached,
        askPaths: chains.map((chain) => chain.join(' → ')),
        ...(answersCarried ? { carriesAnswers: true } : {}),
      },
    });
  }
  return { helpers, handlers };
}

/**
 * The ask read natively, `await elicitAnswer(ctx, 'key', params[, outside])`, and the line after it
 * that returns the request; `outside` keeps the old push for callers without a context.
 */
export function nativeAskEdits(
  plan: HandlerPlan,
  point: BlockedAsk['point'],
  spot: AwaitedSpot,
  key: string,
  ctx: string,
  outside: boolean,
  names: NameAllocator,
  context: TransformContext,
): void {
  const rewrite = askCall(point, key, context.style, spot.statement, names, outside, ctx);
  const [callEdit, ...rest] = rewrite.edits;
  const guard = names.imported('isInputRequiredResult');
  plan.needs.add('isInputRequiredResult');
  plan.edits.push(...guardedCall(spot, [callEdit], { guard, base: 'answer', names, style: context.style }));
  plan.edits.push(...rest);
  plan.diagnostics.push(...rewrite.diagnostics);
  plan.runtimeNeeds.add(rewrite.runtimeName);
  plan.consumed.push(...point.consumedNames);
}

/** A native handler's plan to start from: its context parameter, a result type that admits the request. */
export function nativeHandlerPlan(
  handler: HandlerRegistration,
  names: NameAllocator,
): { plan: HandlerPlan; ctx: ReturnType<typeof contextParameter> } {
  const plan = emptyPlan(outcomeOf(handler, { strategy: 'native-helpers', risk: 'safe', keys: [], reasons: [] }));
  const ctx = contextParameter(handler, names);
  plan.edits.push(...ctx.edits);
  if (ctx.typed) plan.typeNeeds.add('ServerContext');
  const widened = widenReturnType(handler);
  if (widened) {
    plan.edits.push(widened);
    plan.typeNeeds.add('InputRequiredResult');
  }
  addCapabilityEdits(plan, handler.fn, names, ctx.name);
  return { plan, ctx };
}

function firstKey(fn: FunctionLikeNode, reach: NativeReach, keyOf: Map<FunctionLikeNode, string>): string {
  const direct = keyOf.get(fn);
  if (direct) return direct;
  const next = reach.calls.find((c) => c.caller === fn);
  return next ? firstKey(next.callee, reach, keyOf) : (functionName(fn) ?? 'ask');
}

function keyByName(name: string, reach: NativeReach, keyOf: Map<FunctionLikeNode, string>): string | undefined {
  const fn = [...reach.askers.keys()].find((f) => functionName(f) === name);
  return fn && keyOf.get(fn);
}

/**
 * Everything before the call in the handler runs again on each round: an effect or a varying value
 * is carried by `once` where it can be, as above a handler's own guard, and flagged where not.
 */
export function flagHandler(
  plan: HandlerPlan,
  carrying: HandlerCarrying,
  handler: HandlerRegistration,
  path: readonly Node[],
  key: string,
  context: TransformContext,
): void {
  const flags = flagsOnPath(path, handler.fn, context.effects, () => true, undefined, carrying.ignored);
  for (const flag of flags) {
    const result = carrying.carrier?.carry(flag, () => true) ?? { carried: [], kept: [{ flag }] };
    for (const run of result.carried) {
      if (carrying.done.has(run.edit.start)) continue;
      carrying.done.add(run.edit.start);
      plan.edits.push(run.edit);
      plan.runtimeNeeds.add(run.runtimeName);
      plan.diagnostics.push(carriedDiagnostic(run, key, handler));
    }
    for (const { flag: kept, notCarried } of result.kept) {
      const id = `${kept.ruleId}@${kept.finding.node.getStart()}`;
      if (carrying.done.has(id)) continue;
      carrying.done.add(id);
      plan.diagnostics.push(flagDiagnostic(kept, key, handler, notCarried));
      carrying.reasons.add(reasonFor(kept));
    }
  }
}

export interface HandlerCarrying {
  readonly carrier: EffectCarrier | undefined;
  readonly reasons: Set<string>;
  /** Edits made and flags raised, so a statement above two calls is handled once. */
  readonly done: Set<number | string>;
  /** The calls that ask: they run in every round, and are never carried. */
  readonly ignored: ReadonlySet<Node>;
}

function flagBefore(plan: HandlerPlan, fn: FunctionLikeNode, statement: Node, key: string, context: TransformContext) {
  const body = fn.getBody();
  if (!body) return;
  for (const flag of flagsOnPath(pathBeforeStatement(statement, body), fn, context.effects, () => true)) {
    if (plan.diagnostics.some((d) => d.offset === flag.finding.node.getStart() && d.ruleId === flag.ruleId)) continue;
    plan.diagnostics.push(
      pending(
        flag.ruleId,
        { what: flag.finding.what, why: flag.finding.why, key, notCarried: '' },
        { start: flag.finding.node.getStart(), end: flag.finding.node.getEnd(), anchor: flag.statement.getStart() },
      ),
    );
  }
}
