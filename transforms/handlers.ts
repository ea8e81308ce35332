/**
 * The handler pass: finds every ask of the file and the handlers that serve it, asks the planner
 * which strategy takes each handler, lets that strategy plan its edits, and applies every plan
 * in one go. The strategies are transforms/guard-first.ts, multi-round.ts, steps.ts and
 * resumable.ts; the decision table is transforms/planner.ts.
 *
 * Asks no strategy can take (outside any request, in a callback nothing awaits, a method taken
 * as a value, a test mock) keep their code and get a marker naming the rule.
 */
import { type Node, type SourceFile } from '../src/ts-morph.js';
import {
  enclosingFunction,
  findAskSites,
  type AskSite,
  type BlockedAsk,
  type FileAskSites,
} from '../src/analysis/ask-sites.js';
import { functionName } from '../src/analysis/functions.js';
import { findHandlerRegistrations, type HandlerRegistration } from '../src/analysis/handlers.js';
import { SERVER_CONSTRUCTION, V1_REQUIRE } from '../src/analysis/input-point-text.js';
import {
  findAskMocks,
  findAskReferences,
  findUnknownRequests,
  type AskReference,
} from '../src/analysis/input-points.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { NameAllocator } from '../src/edit/naming.js';
import { applyEdits, composeOffsets, identityOffsets, lineStartOf } from '../src/edit/text-edits.js';
import { planGuardFirst } from './guard-first.js';
import { assemble, type PlacedPlan } from './handlers/assemble.js';
import { handRolledConfirmation, memoisedAnswers } from './handlers/findings.js';
import { splitParallelAsks } from './handlers/parallel-split.js';
import { atStatement, blockedDiagnostic, handlerLabel, leftUnchanged, type HandlerPlan } from './handlers/plan.js';
import { rangeOf } from './handlers/round.js';
import { planMultiRound } from './multi-round.js';
import { planNativeHelpers, type NativePlans } from './native-helpers.js';
import { nativeProgram } from './native-helpers/program.js';
import { nativeOwnSpots, planNativeOwnAsks } from './native-helpers/own-asks.js';
import type { NativeReach } from './native-helpers/reach.js';
import { decide, decideIndirect, withinMaxRisk, type Decision } from './planner.js';
import { descriptor, HANDLER_PASS } from './registry.js';
import { planHelpers, planResumable } from './resumable.js';
import { chainsFrom, type AskChain } from './resumable/reach.js';
import { planSteps } from './steps.js';
import type { FlowStyle, StrategyId, Transform, TransformContext, TransformResult } from './types.js';

export const handlerPass: Transform = { ...descriptor(HANDLER_PASS), apply };

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const original = sourceFile.getFullText();
  // Guards need the v2 server; the official upgrade leaves SDK v1 loaded with require() as it is.
  if (context.holdBack === 'framework') return frameworkHeld(sourceFile);
  const v1Require = V1_REQUIRE.exec(original);
  if (v1Require || context.holdBack === 'commonjs-v1') {
    return {
      changed: false,
      diagnostics: v1Require ? [v1RequireFinding(original, v1Require.index, v1Require[0].length)] : [],
      handlers: [],
      mapOffset: identityOffsets,
    };
  }
  const found = findAskSites(sourceFile);
  const split = original.includes('Promise.all') ? splitParallelAsks(sourceFile, found.sites) : undefined;
  if (!split) return rewrite(sourceFile, found, context);
  // Asks in parallel become one awaited ask per name; kept only if every such handler is then rewritten.
  const separated = applyEdits(original, split.edits);
  sourceFile.replaceWithText(separated.text);
  const result = rewrite(sourceFile, findAskSites(sourceFile), context);
  const rewritten = [...split.handlers].every((h) =>
    result.handlers.some((o) => o.handler === h && o.strategy !== 'left-unchanged'),
  );
  if (rewritten) return { ...result, mapOffset: composeOffsets(separated.mapOffset, result.mapOffset) };
  sourceFile.replaceWithText(original);
  return rewrite(sourceFile, findAskSites(sourceFile), context);
}

/** A framework's server (FastMCP) gives its handlers no round to ask in: each ask is left as written, and marked. */
function frameworkHeld(sourceFile: SourceFile): TransformResult {
  const diagnostics = findAskSites(sourceFile).sites.map((site) =>
    pending('mrtr/framework-server', { kind: site.point.kind }, atStatement(site.point.call)),
  );
  return { changed: false, diagnostics, handlers: [], mapOffset: identityOffsets };
}

/** Anchored at the start of the require's line, so the marker goes above the statement. */
function v1RequireFinding(text: string, at: number, length: number): PendingDiagnostic {
  const lineStart = lineStartOf(text, at);
  const anchor = lineStart + (/^[ \t]*/.exec(text.slice(lineStart))?.[0].length ?? 0);
  return pending('mrtr/commonjs-v1-require', {}, { start: at, end: at + length, anchor });
}

function rewrite(sourceFile: SourceFile, found: FileAskSites, context: TransformContext): TransformResult {
  const sites = found.sites;
  const diagnostics: PendingDiagnostic[] = [
    ...findAskReferences(sourceFile).map((r) => referenceDiagnostic('mrtr/ask-by-reference', r)),
    ...findAskMocks(sourceFile).map((r) => referenceDiagnostic('mrtr/mocked-ask', r)),
    ...findUnknownRequests(sourceFile).map((call) => pending('mrtr/unknown-request', {}, atStatement(call))),
  ];
  const byHandler = new Map<HandlerRegistration, AskSite[]>();
  const helperSites: BlockedAsk[] = [];
  for (const site of sites) {
    if (site.status === 'blocked' && !site.handler && site.ruleId === 'mrtr/ask-in-helper') helperSites.push(site);
    else if (site.status === 'blocked' && !site.handler) diagnostics.push(blockedDiagnostic(site));
    else if (site.handler) byHandler.set(site.handler, [...(byHandler.get(site.handler) ?? []), site]);
  }

  const names = new NameAllocator(sourceFile);
  const native = nativeFirst(sourceFile, found, helperSites, names, context);
  const heldSites = helperSites.filter((site) => !native?.askers.has(enclosingFunction(site.point.call)!));
  const resumable = allows(context, 'resumable');
  if (!resumable) diagnostics.push(...heldSites.map((site) => notSelectedAt(site, 'resumable', context)));
  const helperPlan = heldSites.length > 0 && resumable ? planHelpers(heldSites, names, context) : undefined;
  // "Don't ask again": what would change is reported, and the handler is left as written.
  const remembered = memoisedAnswers(sites);
  const plans: PlacedPlan[] = [...byHandler].map(([handler, handlerSites]) =>
    placed(handler, planOwnAsks(handler, handlerSites, remembered, names, context)),
  );
  // Handlers that ask nothing themselves but reach a helper that does, or are defined in a file that asks.
  // Registrations are found afresh here: the handlers already planned are known by their functions.
  const planned = new Set([...byHandler.keys()].map((h) => h.fn));
  for (const handler of findHandlerRegistrations(sourceFile).values()) {
    if (!handler.family || planned.has(handler.fn)) continue;
    const nativePlan = native?.plans && [...native.plans.handlers].find(([h]) => h.fn === handler.fn)?.[1];
    if (nativePlan) {
      plans.push(placed(handler, nativePlan));
      continue;
    }
    const reach = decideIndirect(handler, sourceFile);
    if (!reach) continue;
    if (reach.seen === 'here' && reach.chains.length === 0) diagnostics.push(...handRolledConfirmation(handler));
    if (reach.chains.length === 0) continue;
    const plan = resumable
      ? planResumable(handler, [], reach.chains, names, context)
      : notSelected(handler, 'resumable', [], context);
    plans.push(placed(handler, plan));
  }
  if (helperPlan) diagnostics.push(...heldSites.map((site) => helperReach(site, plans, context, native?.held)));
  // A file that only builds a server still loads the runtime when the run asks through it.
  const buildsServer = context.run?.usesRuntime === true && SERVER_CONSTRUCTION.test(sourceFile.getFullText());
  if (sites.length === 0 && plans.length === 0 && !buildsServer)
    return { changed: false, diagnostics, handlers: [], mapOffset: identityOffsets };
  return assemble(
    sourceFile,
    {
      handlers: plans,
      others: [...(helperPlan ? [helperPlan] : []), ...(native?.plans ? [native.plans.helpers] : [])],
      diagnostics,
      unowned: remembered.filter((d) => !d.handler),
      names,
    },
    context,
  );
}

/**
 * Helpers that can return the request to their callers do so, decided over the files the chains
 * span (transforms/native-helpers/program.ts); this file makes its share of the edits.
 */
function nativeFirst(
  sourceFile: SourceFile,
  found: FileAskSites,
  helperSites: readonly BlockedAsk[],
  names: NameAllocator,
  context: TransformContext,
): { askers: ReadonlySet<Node>; plans?: NativePlans; held: ReadonlyMap<Node, string> } | undefined {
  if (!allows(context, 'native-helpers') || (helperSites.length === 0 && !context.run)) return undefined;
  const reach = nativeProgram(sourceFile, context.run, found);
  const here = (node: Node) => node.getSourceFile() === sourceFile;
  const local: NativeReach = {
    askers: new Map([...reach.askers].filter(([fn]) => here(fn))),
    relays: new Set([...reach.relays].filter(here)),
    calls: reach.calls.filter((call) => here(call.call)),
    handlers: new Map([...reach.handlers].filter(([handler]) => here(handler.fn))),
    carried: new Set([...reach.carried].filter((handler) => here(handler.fn))),
    // Callers in this file need to know which askers elsewhere take the context they pass already.
    ownContext: reach.ownContext,
    held: reach.held,
  };
  if (local.askers.size + local.relays.size + local.calls.length === 0) return { askers: new Set(), held: reach.held };
  return { askers: new Set(local.askers.keys()), plans: planNativeHelpers(local, names, context), held: reach.held };
}

/**
 * Who reaches a helper's ask: the handlers of this file and of the rest of the run whose calls
 * lead to it. Any handler served by an SDK server can, at run time; none found is said loudly.
 */
function helperReach(
  site: BlockedAsk,
  plans: readonly PlacedPlan[],
  context: TransformContext,
  held: ReadonlyMap<Node, string> | undefined,
): PendingDiagnostic {
  const owner = enclosingFunction(site.point.call)!;
  const fn = functionName(owner) ?? 'anonymous';
  const why = held?.get(owner);
  const notNative = why ? `; it stays held, not native: ${why}` : '';
  // Each as `tool archive → confirmWithUser`: the handler, then the calls that lead to the helper.
  const local = plans.flatMap(({ plan: { outcome } }) =>
    (outcome.askPaths ?? [])
      .filter((path) => path.split(' → ').at(-1) === fn)
      .map((path) => `${outcome.handler} → ${path}`),
  );
  const from = [...new Set([...local, ...(context.run?.reachedFrom.get(fn) ?? [])])].sort();
  const call = site.point.call;
  const range = { start: call.getStart(), end: call.getEnd(), anchor: site.anchor.getStart() };
  if (from.length === 0) return pending('mrtr/helper-unreached', { fn, kind: site.point.kind }, range);
  return pending('mrtr/resumable-helper', { fn, kind: site.point.kind, from: from.join(', '), notNative }, range);
}

/** The planner's decision for a handler that asks in its own body, built by the strategy it names. */
function planOwnAsks(
  handler: HandlerRegistration,
  sites: AskSite[],
  remembered: readonly PendingDiagnostic[],
  names: NameAllocator,
  context: TransformContext,
): HandlerPlan {
  let chains: readonly AskChain[] | undefined;
  const decided = decide({
    handler,
    sites,
    remembered: remembered.filter((d) => d.handler === handlerLabel(handler)),
    chains: () => (chains ??= chainsFrom(handler)),
    effects: context.effects,
    style: flowStyle(context),
  });
  const decision = selected(decided, context);
  // Asks in the handler's own loops and sequences return the request; a held helper keeps them held.
  let notNative: string | undefined;
  if (decision.strategy === 'resumable' && allows(context, 'native-helpers')) {
    const spots = decision.chains.length === 0 ? nativeOwnSpots(handler, sites) : 'a helper it reaches stays held';
    if (typeof spots !== 'string') return planNativeOwnAsks(handler, sites, spots, names, context);
    notNative = spots;
  }
  if (decision.strategy !== 'left-unchanged' && !allows(context, decision.strategy)) {
    const stepsNotApplied =
      decision.strategy === 'multi-round' && decision.stepsNotApplied ? [decision.stepsNotApplied] : [];
    return notSelected(handler, decision.strategy, stepsNotApplied, context);
  }
  const maxRisk = context.options.maxRisk;
  switch (decision.strategy) {
    case 'left-unchanged':
      return leftUnchanged(handler, decision.diagnostics, decision.reason);
    case 'resumable':
      return planResumable(handler, sites, decision.chains, names, context, notNative);
    case 'guard-first':
      return withinMaxRisk(
        planGuardFirst(handler, decision.groups, names, context),
        handler,
        decision.groups[0][0],
        maxRisk,
      );
    case 'multi-round':
      return withinMaxRisk(
        planMultiRound(handler, decision.asks, names, context, decision.stepsNotApplied),
        handler,
        decision.asks[0],
        maxRisk,
      );
    case 'steps':
      return withinMaxRisk(
        planSteps(handler, decision.asks, decision.layout, names, context),
        handler,
        decision.asks[0],
        maxRisk,
      );
  }
}

function allows(context: TransformContext, strategy: StrategyId): boolean {
  return context.options.strategies?.includes(strategy) ?? true;
}

/** `--style steps`, or steps chosen with `-t` without multi-round, splits dependent handlers into steps. */
function flowStyle(context: TransformContext): FlowStyle {
  return context.options.style === 'steps' || (allows(context, 'steps') && !allows(context, 'multi-round'))
    ? 'steps'
    : 'guard';
}

/** Steps left out with `-t` while multi-round is in: a handler that would take steps keeps the multi-round rewrite. */
function selected(decision: Decision, context: TransformContext): Decision {
  if (decision.strategy !== 'steps' || allows(context, 'steps') || !allows(context, 'multi-round')) return decision;
  return { strategy: 'multi-round', asks: decision.asks };
}

function notSelected(
  handler: HandlerRegistration,
  strategy: StrategyId,
  diagnostics: PendingDiagnostic[],
  context: TransformContext,
): HandlerPlan {
  const label = handlerLabel(handler);
  const refused = heldRefused(strategy, context);
  const d = pending(
    refused ? 'mrtr/held-refused' : 'mrtr/strategy-not-selected',
    { what: `handler \`${label}\``, strategy },
    rangeOf(handler.registration),
    label,
  );
  const why = refused
    ? 'asks where only a held call could serve it, which --target native refuses'
    : `needs the ${strategy} strategy, which -t left out`;
  return leftUnchanged(handler, [...diagnostics, d], why);
}

function notSelectedAt(site: BlockedAsk, strategy: StrategyId, context: TransformContext): PendingDiagnostic {
  const owner = enclosingFunction(site.point.call);
  const call = site.point.call;
  const what = `helper \`${(owner && functionName(owner)) ?? 'anonymous'}\``;
  return pending(
    heldRefused(strategy, context) ? 'mrtr/held-refused' : 'mrtr/strategy-not-selected',
    { what, strategy },
    { start: call.getStart(), end: call.getEnd(), anchor: site.anchor.getStart() },
  );
}

/** Left out by --target native rather than by -t. */
function heldRefused(strategy: StrategyId, context: TransformContext): boolean {
  return strategy === 'resumable' && context.options.target === 'native';
}

function placed(handler: HandlerRegistration, plan: HandlerPlan): PlacedPlan {
  return { at: handler.registration.getStart(), end: handler.registration.getEnd(), plan };
}

function referenceDiagnostic(
  ruleId: 'mrtr/ask-by-reference' | 'mrtr/mocked-ask',
  reference: AskReference,
): PendingDiagnostic {
  return pending(ruleId, { method: reference.method }, atStatement(reference.node));
}
