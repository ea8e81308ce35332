/**
 * guard-first: an ask awaited directly in a tools/call, prompts/get or resources/read handler
 * becomes a guard at the same spot. The handler reads this round's answer with `inputResponse`;
 * when there is none it returns `inputRequired(...)`, and the client retries with the answer.
 *
 *   const r = await server.server.elicitInput(params)
 *     ⇒ const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
 *       if (r.kind !== 'elicit' || …invalid content…) return inputRequired({ inputRequests: { confirm: inputRequired.elicit(params) } });
 *
 * Only a missing answer asks again: decline and cancel reach the original branches unchanged.
 * Shapes it cannot rewrite safely (helpers, loops, try blocks, dependent sequences) keep their
 * code and get a marker naming the rule.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile, type Statement } from '../src/ts-morph.js';
import { enclosingFunction, enclosingStatementOf, findAskSites, type AskSite, type BlockedAsk, type RewritableAsk } from '../src/analysis/ask-sites.js';
import { findHandlerRegistrations, functionName, isLowLevelRegistration, type FunctionLikeNode, type HandlerRegistration } from '../src/analysis/handlers.js';
import { declarationOf, exportedDeclaration, resolveCallee } from '../src/analysis/resolve.js';
import { V1_REQUIRE } from '../src/analysis/input-point-text.js';
import { classifyCall, findAskMocks, findAskReferences, type AskReference } from '../src/analysis/input-points.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { indentUnit, quote } from '../src/engine/code-style.js';
import { applyEdits, composeOffsets, identityOffsets, lineStartOf, type OffsetMap, type TextEdit } from '../src/engine/text-edits.js';
import { flagsBefore, flagsOnPath, movableEffects, pathBeforeStatement, type BeforeGuardFlag } from './lib/before-guard.js';
import { askCall, capabilityEdits, chainToAsk, rethrowEdits, statementIn } from './lib/resumable.js';
import { handlerLabel, handRolledConfirmation, memoisedAnswers, staleCapabilityChecks, unresolvedCalls } from './lib/findings.js';
import { groupIntoRounds } from './lib/grouping.js';
import { splitParallelAsks } from './lib/parallel-asks.js';
import { isTypeScriptFile, planImports, planPrunes } from './lib/imports.js';
import { KeyAllocator, NameAllocator } from './lib/naming.js';
import { runtimeModule, wireVerify } from './lib/request-state.js';
import { buildRound, keyForPoint, rangeOf, type RoundSink } from './lib/rounds.js';
import { indentBodies, layoutSteps, stepScaffold, type Scaffold, type StepLayout } from './lib/steps.js';
import { descriptor } from './registry.js';
import type { HandlerOutcome, Risk, Transform, TransformContext, TransformResult } from './types.js';

const SERVER_MODULE = '@modelcontextprotocol/server';
const RESULT_TYPES = new Set(['CallToolResult', 'GetPromptResult', 'ReadResourceResult', 'CompatibilityCallToolResult']);

export const guardFirst: Transform = { ...descriptor('guard-first'), apply };

interface HandlerPlan extends RoundSink {
  readonly outcome: Omit<HandlerOutcome, 'offset' | 'endOffset'>;
  /** Names this handler imports from the runtime module (multi-round handlers only). */
  readonly runtimeNeeds: Set<string>;
  /** The registration, for a marker when the verify hook cannot be wired. */
  readonly replayedAt?: { readonly start: number; readonly end: number; readonly handler: string; readonly label: string };
  /** Step bodies to indent once the edits are applied (`--style steps`). */
  readonly stepBodies?: Scaffold['bodies'];
}

function emptyPlan(outcome: Omit<HandlerOutcome, 'offset' | 'endOffset'>, diagnostics: PendingDiagnostic[] = []): HandlerPlan {
  return { edits: [], diagnostics, needs: new Set(), typeNeeds: new Set(), consumed: [], inserted: [], runtimeNeeds: new Set(), outcome };
}

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const original = sourceFile.getFullText();
  // Guards need the v2 server; the official upgrade leaves SDK v1 loaded with require() as it is.
  const v1Require = V1_REQUIRE.exec(original);
  if (v1Require || context.holdBackAsks) {
    return { changed: false, diagnostics: v1Require ? [v1RequireFinding(original, v1Require.index, v1Require[0].length)] : [], handlers: [], mapOffset: identityOffsets };
  }
  const found = findAskSites(sourceFile);
  const split = original.includes('Promise.all') ? splitParallelAsks(sourceFile, found.sites) : undefined;
  if (!split) return rewrite(sourceFile, found.sites, context);
  // Asks in parallel become one awaited ask per name; kept only if every such handler is then rewritten.
  const separated = applyEdits(original, split.edits);
  sourceFile.replaceWithText(separated.text);
  const result = rewrite(sourceFile, findAskSites(sourceFile).sites, context);
  const rewritten = [...split.handlers].every((h) => result.handlers.some((o) => o.handler === h && o.strategy !== 'left-unchanged'));
  if (rewritten) return { ...result, mapOffset: composeOffsets(separated.mapOffset, result.mapOffset) };
  sourceFile.replaceWithText(original);
  return rewrite(sourceFile, findAskSites(sourceFile).sites, context);
}

/** Anchored at the start of the require's line, so the marker goes above the statement. */
function v1RequireFinding(text: string, at: number, length: number): PendingDiagnostic {
  const lineStart = lineStartOf(text, at);
  const anchor = lineStart + (/^[ \t]*/.exec(text.slice(lineStart))?.[0].length ?? 0);
  return pending('mrtr/commonjs-v1-require', {}, { start: at, end: at + length, anchor });
}

function rewrite(sourceFile: SourceFile, sites: AskSite[], context: TransformContext): TransformResult {
  const diagnostics: PendingDiagnostic[] = [
    ...findAskReferences(sourceFile).map((r) => referenceDiagnostic('mrtr/ask-by-reference', r)),
    ...findAskMocks(sourceFile).map((r) => referenceDiagnostic('mrtr/mocked-ask', r)),
  ];
  const byHandler = new Map<HandlerRegistration, AskSite[]>();
  const helperSites: BlockedAsk[] = [];
  for (const site of sites) {
    if (site.status === 'blocked' && !site.handler && site.ruleId === 'mrtr/ask-in-helper') helperSites.push(site);
    else if (site.status === 'blocked' && !site.handler) diagnostics.push(blockedDiagnostic(site));
    else if (site.handler) byHandler.set(site.handler, [...(byHandler.get(site.handler) ?? []), site]);
  }

  const names = new NameAllocator(sourceFile);
  const helperPlan = helperSites.length > 0 ? planHelpers(helperSites, names, context) : undefined;
  // "Don't ask again": what would change is reported, and the handler is left as written.
  const remembered = memoisedAnswers(sites);
  const plans = [...byHandler].map(([handler, handlerSites]) => {
    const own = remembered.filter((d) => d.handler === label(handler));
    return {
      at: handler.registration.getStart(),
      end: handler.registration.getEnd(),
      plan: own.length > 0 ? leftUnchanged(handler, own, 'the answer is remembered across calls') : planHandler(handler, handlerSites, names, context),
    };
  });
  // Handlers with no ask of their own that reach one through a helper, or are defined in another file that asks.
  // Registrations are found afresh here: the handlers already planned are known by their functions.
  const planned = new Set([...byHandler.keys()].map((h) => h.fn));
  for (const handler of findHandlerRegistrations(sourceFile).values()) {
    if (!handler.family || planned.has(handler.fn)) continue;
    const elsewhere = handler.fn.getSourceFile() !== sourceFile;
    if (elsewhere && handler.registration.getSourceFile() !== sourceFile) continue;
    const chains = elsewhere ? definedElsewhere(handler) : chainsFrom(handler);
    if (chains.length === 0 && !elsewhere) {
      // A call it cannot follow may still reach an ask: wrapping is harmless if not, and needed if so.
      const unresolved = unresolvedCalls(handler, sourceFile, helperSites.length > 0);
      diagnostics.push(...handRolledConfirmation(handler));
      if (unresolved.length === 0) continue;
      const plan = planResumable(handler, [], [], names, context, unresolved.map((u) => u.node));
      plan.diagnostics.push(...unresolved.map((u) => u.diagnostic));
      plans.push({ at: handler.registration.getStart(), end: handler.registration.getEnd(), plan });
      continue;
    }
    if (chains.length === 0) continue;
    plans.push({ at: handler.registration.getStart(), end: handler.registration.getEnd(), plan: planResumable(handler, [], chains, names, context) });
  }
  // `function addTool(server, name, handler) { server.registerTool(name, {}, handler) }`: the tools it registers cannot be seen.
  const wrapsHandler = plans.some((p) => p.plan.runtimeNeeds.has('resumable'));
  const forwarding = context.runAsks || helperSites.length > 0 || wrapsHandler ? forwardedRegistrations(sourceFile, context) : [];
  const wrapped = wrapsHandler || forwarding.length > 0;
  // A helper only this file can call, with no wrapped handler here, would fail at run time: say so where it asks.
  if (helperPlan && !wrapped) diagnostics.push(...helperSites.filter((site) => !callableFromOutside(enclosingFunction(site.point.call)!)).map(unreachedHelper));
  if (sites.length === 0 && plans.length === 0 && forwarding.length === 0) return { changed: false, diagnostics, handlers: [], mapOffset: identityOffsets };
  const allPlans = [...plans.map((p) => p.plan), ...(helperPlan ? [helperPlan] : []), ...forwarding];
  diagnostics.push(...staleCapabilityChecks(sourceFile, allPlans.flatMap((plan) => plan.edits)), ...remembered.filter((d) => !d.handler));
  const edits = allPlans.flatMap((plan) => plan.edits);
  diagnostics.push(...allPlans.flatMap((plan) => plan.diagnostics));
  const replayed = allPlans.filter((plan) => plan.replayedAt);
  const runtimeNeeds = new Set(allPlans.flatMap((plan) => [...plan.runtimeNeeds]));
  const runtime = runtimeNeeds.size > 0 ? runtimeModule(sourceFile, context.options.runtimeDir) : undefined;
  if (replayed.length > 0) {
    const wiring = wireVerify(sourceFile);
    edits.push(...wiring.edits);
    if (wiring.edits.length > 0) runtimeNeeds.add('verifyRequestState');
    if (!wiring.found) {
      for (const plan of replayed) {
        const at = plan.replayedAt!;
        diagnostics.push(pending('mrtr/request-state-unwired', { handler: at.handler }, { start: at.start, end: at.end, anchor: at.start }, at.label));
      }
    }
  }

  let mapOffset: OffsetMap = identityOffsets;
  let inserted: PendingDiagnostic[] = [];
  let text: string | undefined;
  if (edits.length > 0) {
    // Everything is planned on this tree and applied in one pass: one re-parse per file.
    const needs = new Set(allPlans.flatMap((plan) => [...plan.needs]));
    const typeNeeds = new Set(allPlans.flatMap((plan) => [...plan.typeNeeds]));
    const prunes = planPrunes(sourceFile, allPlans.flatMap((plan) => plan.consumed), edits);
    edits.push(
      ...prunes.edits,
      ...(needs.size + typeNeeds.size > 0 ? planImports(sourceFile, SERVER_MODULE, { values: [...needs], types: [...typeNeeds] }, context.style, prunes.removed) : []),
      ...(runtime ? planImports(sourceFile, runtime.specifier, { values: [...runtimeNeeds].sort(), types: [] }, context.style, prunes.removed) : []),
    );
    const applied = applyEdits(sourceFile.getFullText(), edits);
    text = applied.text;
    mapOffset = applied.mapOffset;
    // Steps wrap the statements they hold: indent them now that their place in the output is known.
    const bodies = allPlans.flatMap((plan) => plan.stepBodies ?? []);
    let settle: OffsetMap = identityOffsets;
    if (bodies.length > 0) {
      const ranges = bodies.map(({ after, before }) => ({ start: applied.outputStartOf(after) + after.text.length, end: applied.outputStartOf(before) }));
      sourceFile.replaceWithText(applied.text);
      const indented = applyEdits(applied.text, indentBodies(sourceFile, ranges, indentUnit(context.style)));
      text = indented.text;
      settle = indented.mapOffset;
      mapOffset = composeOffsets(applied.mapOffset, settle);
    }
    // Findings inside inserted text sit at the edit's output position.
    inserted = allPlans.flatMap((plan) =>
      plan.inserted.map(({ edit, within, diagnostic }) => {
        const at = settle(applied.outputStartOf(edit) + within);
        return { ...diagnostic, offset: at, endOffset: at + diagnostic.endOffset, anchorOffset: at };
      }),
    );
  }
  return {
    changed: edits.length > 0,
    diagnostics: [
      ...diagnostics.map((d) => ({
        ...d,
        offset: mapOffset(d.offset),
        endOffset: mapOffset(d.endOffset),
        anchorOffset: d.anchorOffset === undefined ? undefined : mapOffset(d.anchorOffset),
      })),
      ...inserted,
    ],
    handlers: plans.map(({ at, end, plan }) => ({ ...plan.outcome, offset: mapOffset(at), endOffset: mapOffset(end) })),
    mapOffset,
    text,
    newFiles: runtime ? [runtime.file] : [],
  };
}

/**
 * Registrations inside a function that forwards its own parameter (`server.registerTool(name,
 * config, handler)`): every handler registered through it is wrapped in resumable(...) there,
 * which costs nothing for those that never reach an ask.
 */
function forwardedRegistrations(sourceFile: SourceFile, context: TransformContext): HandlerPlan[] {
  const plans: HandlerPlan[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const family = Node.isPropertyAccessExpression(callee) ? FORWARDED_FAMILIES[callee.getName()] : undefined;
    const callback = call.getArguments().at(-1);
    if (!family || !callback || !isHiddenHandler(callback)) continue;
    // Named after the function that forwards its parameter, or after the data the handler comes from.
    const via = (Node.isIdentifier(callback) && forwarder(call)) || callback.getText();
    const plan = emptyPlan({ handler: 'forwarded', family, name: '', strategy: 'resumable', risk: 'review', keys: [], reasons: [] }, [
      pending('mrtr/forwarded-registration', { what: via }, { start: call.getStart(), end: call.getEnd(), anchor: enclosingStatementOf(call).getStart() }),
    ]);
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
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'bind' && isHiddenHandler(callee.getExpression());
  }
  if (Node.isIdentifier(callback)) return Node.isParameterDeclaration(declarationOf(callback));
  return (Node.isPropertyAccessExpression(callback) || Node.isElementAccessExpression(callback)) && !resolveCallee(callback);
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

/** A function other files may call: exported, or a public method of an exported class. */
function callableFromOutside(fn: FunctionLikeNode): boolean {
  if (Node.isMethodDeclaration(fn)) {
    const owner = fn.getParent();
    const isPrivate = fn.hasModifier(SyntaxKind.PrivateKeyword) || Node.isPrivateIdentifier(fn.getNameNode());
    return !isPrivate && Node.isClassDeclaration(owner) && (owner.hasExportKeyword() || isExportedName(fn.getSourceFile(), owner.getName()));
  }
  return isExportedName(fn.getSourceFile(), functionName(fn)) || fn.getFirstAncestor((n) => Node.isVariableStatement(n) && n.hasExportKeyword()) !== undefined;
}

function isExportedName(sourceFile: SourceFile, name: string | undefined): boolean {
  return name !== undefined && exportedDeclaration(sourceFile, name) !== undefined;
}

function unreachedHelper(site: BlockedAsk): PendingDiagnostic {
  const owner = enclosingFunction(site.point.call)!;
  return pending('mrtr/helper-unreached', { fn: functionName(owner) ?? 'anonymous' }, { start: site.point.call.getStart(), end: site.point.call.getEnd(), anchor: site.anchor.getStart() });
}

function referenceDiagnostic(ruleId: 'mrtr/ask-by-reference' | 'mrtr/mocked-ask', reference: AskReference): PendingDiagnostic {
  const node = reference.node;
  return pending(ruleId, { method: reference.method }, { start: node.getStart(), end: node.getEnd(), anchor: enclosingStatementOf(node).getStart() });
}

function blockedDiagnostic(site: BlockedAsk): PendingDiagnostic {
  const call = site.point.call;
  return pending(site.ruleId, site.data, { start: call.getStart(), end: call.getEnd(), anchor: site.anchor.getStart() }, site.handler && label(site.handler));
}

const label = handlerLabel;

function outcomeOf(handler: HandlerRegistration, fields: Pick<HandlerOutcome, 'strategy' | 'risk' | 'keys' | 'reasons'>): Omit<HandlerOutcome, 'offset' | 'endOffset'> {
  return { handler: label(handler), family: handler.family!, name: handler.name, ...fields };
}

function leftUnchanged(handler: HandlerRegistration, diagnostics: PendingDiagnostic[], reason: string): HandlerPlan {
  return emptyPlan(outcomeOf(handler, { strategy: 'left-unchanged', risk: 'manual', keys: [], reasons: [reason] }), diagnostics);
}

const RISK_ORDER: Readonly<Record<Risk, number>> = { safe: 0, review: 1, manual: 2 };

function planHandler(handler: HandlerRegistration, sites: AskSite[], names: NameAllocator, context: TransformContext): HandlerPlan {
  const blocked = sites.filter((s): s is BlockedAsk => s.status === 'blocked');
  const stuck = blocked.filter((s) => !RESUMABLE_RULES.has(s.ruleId));
  if (stuck.length > 0) {
    return leftUnchanged(handler, stuck.map(blockedDiagnostic), 'an ask in this handler sits where a guard cannot replace it');
  }
  const chains = chainsFrom(handler);
  if (blocked.length > 0 || chains.length > 0) return planResumable(handler, sites, chains, names, context);
  const asks = (sites as RewritableAsk[]).sort((a, b) => a.point.call.getStart() - b.point.call.getStart());
  // Dependent asks: one round each, earlier answers carried in signed requestState.
  const grouped = groupIntoRounds(asks, context.effects);
  const replay = grouped === undefined;
  const groups = grouped ?? asks.map((a) => [a]);
  const ctx = contextParameter(handler, names);
  if ('how' in ctx) {
    const d = pending('mrtr/context-param-unavailable', { handler: handler.name, how: ctx.how }, rangeOf(handler.fn.getParameters()[handler.contextIndex] ?? handler.fn), label(handler));
    return leftUnchanged(handler, [d], 'the handler context cannot be reached');
  }

  const styled = replay && context.options.style === 'steps' ? stepsFor(handler, asks) : undefined;
  const steps = styled && 'steps' in styled ? styled : undefined;
  const strategy = steps ? 'steps' : replay ? 'multi-round' : groups.some((g) => g.length > 1) ? 'one-round' : 'guard-first';
  const basePlan = emptyPlan(outcomeOf(handler, { strategy, risk: 'safe', keys: [], reasons: [] }), styled && 'diagnostic' in styled ? [styled.diagnostic] : []);
  const registration = handler.registration;
  const plan: HandlerPlan = replay
    ? { ...basePlan, replayedAt: { start: registration.getStart(), end: registration.getEnd(), handler: handler.name, label: label(handler) } }
    : basePlan;
  plan.edits.push(...ctx.edits);
  plan.needs.add('inputRequired').add('inputResponse');
  if (ctx.typed) plan.typeNeeds.add('ServerContext');
  const stepName = steps ? names.fresh('step') : undefined;
  const carried = stepName ? { answers: `${stepName}.answers` } : replay ? carryAnswersInState(handler, ctx.name, names, context, plan) : undefined;
  addCapabilityEdits(plan, handler.fn, ctx.name);
  const keys = new KeyAllocator();
  const allKeys: string[] = [];
  const reasons = new Set<string>();
  const flagged = new Set<string>();
  let moves = 0;
  const stepNames: string[] = [];
  for (const group of groups) {
    // In a step only what precedes the question within the step runs again.
    const stepStart = steps?.steps.find((segment) => segment.asks.includes(group[0]))?.statements[0];
    const flags = flagsBefore(group[0], group, context.effects).filter((flag) => !stepStart || flag.finding.node.getStart() >= stepStart.getStart());
    const moved = context.options.fixEffects ? movableEffects(flags, group, context.effects) : [];
    const roundKeys = buildRound({ group, ctxName: ctx.name, keys, names, style: context.style, moved, carried }, plan);
    if (replay) for (const ask of group) plan.diagnostics.push(...secretsIn(ask, handler));
    if (steps?.steps.some((segment) => segment.asks[0] === group[0])) stepNames.push(roundKeys[0]);
    allKeys.push(...roundKeys);
    moves += moved.length;
    for (const flag of flags) {
      if (moved.includes(flag.pathStatement as Statement)) continue;
      const id = `${flag.ruleId}@${flag.finding.node.getStart()}`;
      if (flagged.has(id)) continue;
      flagged.add(id);
      plan.diagnostics.push(flagDiagnostic(flag, roundKeys[0], handler));
      reasons.add(reasonFor(flag));
    }
  }
  if (moves > 0) reasons.add(`${moves} effect${moves > 1 ? 's' : ''} moved below the guard by --fix-effects`);
  let stepBodies: Scaffold['bodies'] | undefined;
  if (steps && stepName) {
    const resultType = RESULT_TYPE_OF[handler.family!];
    const typed = isTypeScriptFile(handler.fn.getSourceFile());
    if (typed) plan.typeNeeds.add(resultType);
    const scaffold = stepScaffold({
      layout: steps,
      names: stepNames,
      ctxName: ctx.name,
      stepName,
      label: quote(context.style, label(handler)),
      typeArgument: typed ? `<${resultType}>` : '',
      quote: (text) => quote(context.style, text),
      unit: indentUnit(context.style),
      semi: context.style.semi ? ';' : '',
    });
    // The chain opens before anything else written at a step's first line.
    plan.edits.unshift(...scaffold.edits);
    plan.runtimeNeeds.add('toolSteps');
    stepBodies = scaffold.bodies;
    plan.diagnostics.push(...secretsCarried(steps, handler));
    const handed = [...new Set(steps.steps.flatMap((segment) => segment.handsOn))];
    reasons.add(`${steps.steps.length} incomplete step${steps.steps.length > 1 ? 's' : ''} and an end step: code between two questions runs once, in the round where the earlier answer arrives, and the end step runs once; answers travel in signed requestState (set MCP_REQUEST_STATE_KEY)`);
    if (handed.length > 0) reasons.add(`steps hand on ${handed.map((name) => `\`${name}\``).join(', ')} as JSON in requestState`);
  } else if (replay) reasons.add('earlier answers travel in signed requestState (set MCP_REQUEST_STATE_KEY); code between the asks runs again in later rounds');
  const widened = widenReturnType(handler);
  if (widened) {
    plan.edits.push(widened);
    plan.typeNeeds.add('InputRequiredResult');
  }
  const risk: Risk = reasons.size > 0 ? 'review' : 'safe';
  if (RISK_ORDER[risk] > RISK_ORDER[context.options.maxRisk]) {
    const first = asks[0];
    const d = pending('mrtr/risk-above-max', { handler: handler.name, risk, reason: [...reasons][0], max: context.options.maxRisk }, { start: first.point.call.getStart(), end: first.point.call.getEnd(), anchor: first.statement.getStart() }, label(handler));
    return emptyPlan(outcomeOf(handler, { strategy: 'left-unchanged', risk: 'manual', keys: [], reasons: [`not rewritten: ${risk} is above --max-risk ${context.options.maxRisk}`, ...reasons] }), [d]);
  }
  return { ...plan, stepBodies, outcome: { ...plan.outcome, risk, keys: allKeys, reasons: reasons.size > 0 ? [...reasons] : ['nothing runs before the guard but code that is safe to repeat'] } };
}

const RESULT_TYPE_OF: Readonly<Record<string, string>> = { tool: 'CallToolResult', prompt: 'GetPromptResult', resource: 'ReadResourceResult' };

/** The handler split into steps, or the reason it keeps the multi-round rewrite. */
function stepsFor(handler: HandlerRegistration, asks: readonly RewritableAsk[]): StepLayout | { diagnostic: PendingDiagnostic } {
  const body = handler.fn.getBody();
  const layout = isLowLevelRegistration(handler)
    ? { blocked: 'a low-level request handler returns the whole result union, which steps do not type' }
    : body && Node.isBlock(body)
      ? layoutSteps(body, asks)
      : { blocked: 'the handler has no block body' };
  if ('steps' in layout) return layout;
  return { diagnostic: pending('mrtr/steps-not-applied', { handler: label(handler), reason: layout.blocked }, rangeOf(handler.registration), label(handler)) };
}

/** Values handed between steps travel to the client: flag names that look like secrets. */
function secretsCarried(layout: StepLayout, handler: HandlerRegistration): PendingDiagnostic[] {
  const names = new Set(layout.steps.flatMap((segment) => segment.handsOn).filter((name) => SECRET_NAME.test(name)));
  return layout.steps.flatMap((segment) =>
    segment.statements
      .flatMap((statement) => (Node.isVariableStatement(statement) ? statement.getDeclarations() : []))
      .filter((declaration) => names.has(declaration.getName()))
      .map((declaration) => pending('mrtr/secret-carried', { name: declaration.getName() }, { start: declaration.getStart(), end: declaration.getEnd(), anchor: declaration.getVariableStatementOrThrow().getStart() }, label(handler))),
  );
}

/** A registration whose handler function lives in another file: the chain is that function, if it asks. */
function definedElsewhere(handler: HandlerRegistration): { call: CallExpression; chain: string[] }[] {
  const fn = handler.fn;
  const asks = fn.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => classifyCall(c) !== undefined);
  const through = asks ? [] : chainsFrom(handler).map(({ chain }) => chain);
  if (!asks && through.length === 0) return [];
  return [{ call: handler.registration, chain: [functionName(fn) ?? 'anonymous', ...(through[0] ?? [])] }];
}

/** Shapes a guard cannot replace but a resumable ask can. */
const RESUMABLE_RULES = new Set<string>(['mrtr/ask-in-loop', 'mrtr/ask-in-try', 'mrtr/unsupported-ask-position']);

/** Calls in the handler that reach an ask through project functions, with their chains. */
function chainsFrom(handler: HandlerRegistration): { call: CallExpression; chain: string[] }[] {
  const found: { call: CallExpression; chain: string[] }[] = [];
  for (const call of handler.fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (classifyCall(call)) continue;
    const chain = chainToAsk(call);
    if (chain) found.push({ call, chain });
  }
  return found;
}

/**
 * A handler that asks through helpers, in loops or in try blocks: every ask becomes a resumable
 * ask of the runtime, the registration is wrapped in `resumable(...)`, catches let the end of a
 * round through, and everything before the first ask is flagged as running again.
 */
function planResumable(
  handler: HandlerRegistration,
  sites: AskSite[],
  chains: { call: CallExpression; chain: string[] }[],
  names: NameAllocator,
  context: TransformContext,
  unresolved: readonly Node[] = [],
): HandlerPlan {
  const handlerLabel = label(handler);
  const registration = handler.registration;
  const plan: HandlerPlan = {
    ...emptyPlan(outcomeOf(handler, { strategy: 'resumable', risk: 'review', keys: [], reasons: [] })),
    replayedAt: { start: registration.getStart(), end: registration.getEnd(), handler: handler.name, label: handlerLabel },
  };
  const keys = new KeyAllocator();
  const allKeys: string[] = [];
  const catches = new Set<Node>();
  const askNodes: Node[] = [];
  for (const site of [...sites].sort((a, b) => a.point.call.getStart() - b.point.call.getStart())) {
    const statement = site.status === 'rewritable' ? site.statement : site.anchor;
    const nameNode = Node.isVariableStatement(statement) ? statement.getDeclarations()[0]?.getNameNode() : undefined;
    const key = keys.fresh(keyForPoint(site.point, nameNode));
    allKeys.push(key);
    const rewrite = askCall(site.point, key, context.style, statement);
    plan.edits.push(rewrite.edit);
    plan.diagnostics.push(...rewrite.diagnostics);
    plan.runtimeNeeds.add(rewrite.runtimeName);
    plan.consumed.push(...site.point.consumedNames);
    plan.edits.push(...rethrowEdits(site.point.call, handler.fn, names, context.style, catches));
    askNodes.push(site.point.call);
  }
  const local = handler.fn.getSourceFile() === handler.registration.getSourceFile();
  for (const call of [...chains.map((c) => c.call), ...unresolved]) {
    if (local) plan.edits.push(...rethrowEdits(call, handler.fn, names, context.style, catches));
    askNodes.push(call);
  }
  if (catches.size > 0) plan.runtimeNeeds.add('isRoundEnd');
  plan.runtimeNeeds.add('resumable');
  plan.edits.push(...wrapRegistration(handler, handlerLabel, context));
  // Through resumable(...), an inline callback's context parameter loses its contextual type: name it.
  const ctxParam = handler.fn.getParameters()[handler.contextIndex];
  if (local && ctxParam && !ctxParam.getTypeNode() && Node.isIdentifier(ctxParam.getNameNode()) && isTypeScriptFile(handler.fn.getSourceFile()) && Node.isCallExpression(handler.fn.getParent())) {
    plan.edits.push({ start: ctxParam.getEnd(), end: ctxParam.getEnd(), text: ': ServerContext' });
    plan.typeNeeds.add('ServerContext');
  }
  // A handler defined in another file is edited there (its asks and checks), never from here.
  if (local) addCapabilityEdits(plan, handler.fn);

  // Everything before the first ask on its path runs again on every round.
  const body = handler.fn.getBody();
  const first = askNodes.sort((a, b) => a.getStart() - b.getStart())[0];
  const firstStatement = first && body && local ? statementIn(first, handler.fn) : undefined;
  const reasons = new Set<string>();
  if (firstStatement && body) {
    const flags = flagsOnPath(pathBeforeStatement(firstStatement, body), handler.fn, context.effects, () => true);
    for (const flag of flags) {
      plan.diagnostics.push(flagDiagnostic(flag, allKeys[0] ?? chains[0]?.chain.at(-1) ?? 'first', handler));
      reasons.add(reasonFor(flag));
    }
  }
  const via = [...new Set(chains.map(({ chain }) => chain.join(' → ')))];
  return {
    ...plan,
    outcome: {
      ...plan.outcome,
      keys: allKeys,
      reasons: [
        ...(via.length > 0 ? [`asks through ${via.map((c) => `${handlerLabel} → ${c}`).join('; ')}`] : []),
        ...(unresolved.length > 0 ? [`wrapped because \`${unresolved[0].getText().replace(/\s+/g, ' ').slice(0, 40)}\` may reach an ask the codemod cannot follow`] : []),
        'the handler runs again from the top every round; answers travel in signed requestState (set MCP_REQUEST_STATE_KEY)',
        ...reasons,
      ],
    },
  };
}

/** `registerTool(name, config, handler)` ⇒ `registerTool(name, config, resumable('tool name', handler))`. */
function wrapRegistration(handler: HandlerRegistration, handlerLabel: string, context: TransformContext): TextEdit[] {
  const fixed = isLowLevelRegistration(handler) || handler.family === undefined;
  return wrapInResumable(handler.registration, handler.family ?? 'handler', fixed ? handlerLabel : undefined, context);
}

/**
 * `registerTool(name, config, resumable('tool name', handler))`: in every registration form the
 * callback is the last argument. A computed name (tools registered in a loop) binds each tool's
 * state to its own name at run time.
 */
function wrapInResumable(registration: CallExpression, family: string, fixedLabel: string | undefined, context: TransformContext): TextEdit[] {
  const args = registration.getArguments();
  const target = args.at(-1);
  if (!target) return [];
  const name = args[0];
  const literal = !name || Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name);
  const labelText =
    fixedLabel !== undefined ? quote(context.style, fixedLabel) : literal ? quote(context.style, name ? `${family} ${name.getLiteralValue()}` : family) : `\`${family} \${${name.getText()}}\``;
  return [
    { start: target.getStart(), end: target.getStart(), text: `resumable(${labelText}, ` },
    { start: target.getEnd(), end: target.getEnd(), text: ')' },
  ];
}

/** Asks in helpers (functions that are not handlers): resumable asks named after the helper. */
function planHelpers(sites: BlockedAsk[], names: NameAllocator, context: TransformContext): HandlerPlan {
  // Not a handler: its outcome is never reported, only its edits and findings.
  const plan = emptyPlan({ handler: 'helpers', family: 'tool', name: '', strategy: 'resumable', risk: 'review', keys: [], reasons: [] });
  const keys = new Map<Node, KeyAllocator>();
  const catches = new Set<Node>();
  for (const site of sites) {
    const owner = enclosingFunction(site.point.call)!;
    const allocator = keys.get(owner) ?? new KeyAllocator();
    keys.set(owner, allocator);
    const helper = functionName(owner) ?? 'anonymous';
    const key = allocator.fresh(helper);
    const rewrite = askCall(site.point, key, context.style, site.anchor);
    plan.edits.push(rewrite.edit);
    plan.diagnostics.push(...rewrite.diagnostics, pending('mrtr/resumable-helper', { fn: helper, kind: site.point.kind }, { start: site.point.call.getStart(), end: site.point.call.getEnd(), anchor: site.anchor.getStart() }));
    plan.runtimeNeeds.add(rewrite.runtimeName);
    plan.consumed.push(...site.point.consumedNames);
    plan.edits.push(...rethrowEdits(site.point.call, owner, names, context.style, catches));
    const body = owner.getBody();
    const statement = statementIn(site.point.call, owner);
    if (body && statement) {
      for (const flag of flagsOnPath(pathBeforeStatement(statement, body), owner, context.effects, () => true)) {
        plan.diagnostics.push(pending(flag.ruleId, { what: flag.finding.what, why: flag.finding.why, key }, { start: flag.finding.node.getStart(), end: flag.finding.node.getEnd(), anchor: flag.statement.getStart() }));
      }
    }
  }
  if (catches.size > 0) plan.runtimeNeeds.add('isRoundEnd');
  for (const owner of keys.keys()) addCapabilityEdits(plan, owner);
  return plan;
}

function addCapabilityEdits(plan: HandlerPlan, fn: Node, ctxName?: string): void {
  const edits = capabilityEdits(fn, ctxName);
  if (edits.length === 0) return;
  plan.edits.push(...edits);
  plan.runtimeNeeds.add('clientCapabilities');
}

/**
 * The first statement of a multi-round handler gathers the answers of earlier rounds (verified)
 * with this round's; each question then sends them back, signed, as requestState.
 */
function carryAnswersInState(handler: HandlerRegistration, ctxName: string, names: NameAllocator, context: TransformContext, plan: HandlerPlan): { answers: string; requestState: string } {
  const answers = names.fresh('answers');
  const handlerLabel = quote(context.style, label(handler));
  const body = handler.fn.getBody()!;
  const first = Node.isBlock(body) ? body.getStatements()[0] : undefined;
  const text = body.getSourceFile().getFullText();
  const semi = context.style.semi ? ';' : '';
  const statement = `const ${answers} = await collectedAnswers(${ctxName}, ${handlerLabel})${semi}`;
  if (first) {
    const lineStart = lineStartOf(text, first.getStart());
    const indent = text.slice(lineStart, first.getStart());
    plan.edits.push({ start: lineStart, end: lineStart, text: `${indent}${statement}\n` });
  } else {
    plan.edits.push({ start: body.getStart() + 1, end: body.getStart() + 1, text: ` ${statement} ` });
  }
  plan.runtimeNeeds.add('collectedAnswers').add('carryAnswers');
  return { answers, requestState: `await carryAnswers(${answers}, ${ctxName}, ${handlerLabel})` };
}

const SECRET_NAME = /pass(word|phrase)?|secret|token|api[-_]?key|credential|private[-_]?key|otp|pin\b/i;

/** Answers carried in requestState can be read by the client: flag fields that look like secrets. */
function secretsIn(ask: RewritableAsk, handler: HandlerRegistration): PendingDiagnostic[] {
  const params = ask.point.params;
  if (!params || !Node.isObjectLiteralExpression(params)) return [];
  const schema = params.getProperty('requestedSchema');
  const properties = schema && Node.isPropertyAssignment(schema) ? schema.getInitializer() : undefined;
  const fields = properties && Node.isObjectLiteralExpression(properties) ? properties.getProperty('properties') : undefined;
  const object = fields && Node.isPropertyAssignment(fields) ? fields.getInitializer() : undefined;
  if (!object || !Node.isObjectLiteralExpression(object)) return [];
  return object
    .getProperties()
    .filter((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p)) && SECRET_NAME.test(p.getName()))
    .map((p) => pending('mrtr/secret-in-state', { name: (p as import('ts-morph').PropertyAssignment).getName().replace(/^['"]|['"]$/g, '') }, { start: p.getStart(), end: p.getEnd(), anchor: ask.statement.getStart() }, label(handler)));
}

function flagDiagnostic(flag: BeforeGuardFlag, key: string, handler: HandlerRegistration): PendingDiagnostic {
  const { finding } = flag;
  return pending(flag.ruleId, { what: finding.what, why: finding.why, key }, { start: finding.node.getStart(), end: finding.node.getEnd(), anchor: flag.statement.getStart() }, label(handler));
}

function reasonFor(flag: BeforeGuardFlag): string {
  const { finding } = flag;
  switch (finding.category) {
    case 'read':
      return `\`${finding.what}\` re-runs a read on every round`;
    case 'unknown':
      return `\`${finding.what}\` runs again on every round and cannot be seen into`;
    case 'nondeterministic':
      return `\`${finding.what}\` differs between rounds and is used after the guard`;
    default:
      return `\`${finding.what}\` runs again on every round: it ${finding.why}`;
  }
}

interface ContextParameter {
  readonly name: string;
  readonly edits: TextEdit[];
  /** The parameter was added with a `ServerContext` annotation, which needs importing. */
  readonly typed?: boolean;
}

/** The handler's context parameter, added to the signature when the handler never took it. */
function contextParameter(handler: HandlerRegistration, names: NameAllocator): ContextParameter | { how: string } {
  const fn = handler.fn;
  const params = fn.getParameters();
  const index = handler.contextIndex;
  const existing = params[index];
  if (existing) {
    const nameNode = existing.getNameNode();
    return Node.isIdentifier(nameNode) ? { name: nameNode.getText(), edits: [] } : { how: 'a destructuring pattern' };
  }
  if (params.some((p) => p.isRestParameter())) return { how: 'a rest parameter' };
  const name = names.parameter('ctx', fn);
  const fillers = FILLERS[handler.family!].slice(params.length, index).map((base) => names.fresh(base));
  // A function declared apart from its registration gets no contextual type: annotate it.
  const annotate = isTypeScriptFile(fn.getSourceFile()) && !Node.isCallExpression(fn.getParent());
  const added = [...fillers.map((f) => (annotate ? `${f}: unknown` : f)), annotate ? `${name}: ServerContext` : name];
  const last = params.at(-1);
  if (last) {
    const open = fn.getFirstChildByKind(SyntaxKind.OpenParenToken);
    if (!open) return { name, typed: annotate, edits: [{ start: last.getStart(), end: last.getEnd(), text: `(${[last.getText(), ...added].join(', ')})` }] };
    return { name, typed: annotate, edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, ${added.join(', ')}` }] };
  }
  const open = fn.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
  return { name, typed: annotate, edits: [{ start: open.getEnd(), end: open.getEnd(), text: added.join(', ') }] };
}

const FILLERS: Readonly<Record<string, readonly string[]>> = {
  tool: ['_args'],
  prompt: ['_args'],
  resource: ['_uri', '_variables'],
};

/** `Promise<CallToolResult>` ⇒ `Promise<CallToolResult | InputRequiredResult>`. */
function widenReturnType(handler: HandlerRegistration): TextEdit | undefined {
  const returnType = handler.fn.getReturnTypeNode();
  if (!returnType || /\bInputRequiredResult\b/.test(returnType.getText())) return undefined;
  const references = [returnType, ...returnType.getDescendants()].filter(
    (n) => Node.isTypeReference(n) && RESULT_TYPES.has(n.getTypeName().getText().split('.').at(-1) ?? ''),
  );
  const first = references[0];
  if (!first) return undefined;
  return { start: first.getEnd(), end: first.getEnd(), text: ' | InputRequiredResult' };
}
