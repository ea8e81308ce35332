/**
 * Every plan of a file applied in one pass: the strategies' edits, the imports they need, the
 * runtime module and its verify hook, then the step bodies indented, and every finding moved to
 * where it lands in the output.
 */
import type { Node, SourceFile } from '../../src/ts-morph.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { indentUnit } from '../../src/edit/code-style.js';
import { planImports, planPrunes } from '../../src/edit/imports.js';
import type { NameAllocator } from '../../src/edit/naming.js';
import { applyEdits, composeOffsets, identityOffsets, type OffsetMap } from '../../src/edit/text-edits.js';
import { strategies, strategyReporting } from '../registry.js';
import type { TransformContext, TransformResult } from '../types.js';
import { staleCapabilityChecks } from './capabilities.js';
import { atStatement, type HandlerPlan } from './plan.js';
import { runtimeModule, STATELESS_RUNTIME, wireVerify } from './runtime-module.js';
import { indentBodies } from '../steps/scaffold.js';

const SERVER_MODULE = '@modelcontextprotocol/server';

/** A handler's plan with the registration it reports on, in the input text. */
export interface PlacedPlan {
  readonly at: number;
  readonly end: number;
  readonly plan: HandlerPlan;
}

export interface FilePlans {
  /** Plans of handlers, reported one outcome each. */
  readonly handlers: readonly PlacedPlan[];
  /** Plans reported by their findings only (helpers, forwarded registrations). */
  readonly others: readonly HandlerPlan[];
  /** File-level findings gathered so far. */
  readonly diagnostics: PendingDiagnostic[];
  /** Remembered-answer findings outside any handler. */
  readonly unowned: readonly PendingDiagnostic[];
  /** The file's names, which also say under which local name each import is used. */
  readonly names: NameAllocator;
}

export function assemble(sourceFile: SourceFile, plans: FilePlans, context: TransformContext): TransformResult {
  const names = plans.names;
  const localOf = (name: string) => names.localOf(name);
  const diagnostics = plans.diagnostics;
  const allPlans = [...plans.handlers.map((p) => p.plan), ...plans.others];
  diagnostics.push(
    ...staleCapabilityChecks(
      sourceFile,
      allPlans.flatMap((plan) => plan.edits),
      names.localOf('clientCapabilities'),
    ),
    ...plans.unowned,
  );
  const edits = allPlans.flatMap((plan) => plan.edits);
  diagnostics.push(...allPlans.flatMap((plan) => plan.diagnostics));
  const replayed = allPlans.filter((plan) => plan.replayedAt);
  const runtimeNeeds = new Set(allPlans.flatMap((plan) => [...plan.runtimeNeeds]));
  // A construction that loads the runtime gives every handler of that server a round to ask in.
  let serverHere = false;
  // Native helpers carry nothing between rounds: only state that travels needs the verify hook.
  const carries = [...runtimeNeeds].some((name) => !STATELESS_RUNTIME.has(name));
  if (replayed.length > 0 || carries || context.run?.usesRuntime) {
    const wiring = wireVerify(sourceFile, () => names.imported('verifyRequestState'));
    serverHere = wiring.found;
    edits.push(...wiring.edits);
    if (wiring.edits.length > 0) runtimeNeeds.add('verifyRequestState');
    // Another file of the run builds the server and gets the hook: the state is verified there.
    if (!wiring.found && !context.run?.serverWired)
      diagnostics.push(...replayed.map((plan) => unwired(plan.replayedAt!)));
  }
  const steps = runtimeNeeds.delete('toolSteps');
  const runtime =
    runtimeNeeds.size > 0 || steps ? runtimeModule(sourceFile, context.options.runtimeDir, steps) : undefined;
  if (!serverHere && !context.run?.serverWired) {
    diagnostics.push(...allPlans.flatMap((plan) => plan.resumableAsks).map((ask) => unseenServer(ask)));
  }

  let mapOffset: OffsetMap = identityOffsets;
  let inserted: PendingDiagnostic[] = [];
  let text: string | undefined;
  if (edits.length > 0) {
    // Everything is planned on this tree and applied in one pass: one re-parse per file.
    const needs = new Set(allPlans.flatMap((plan) => [...plan.needs]));
    const typeNeeds = new Set(allPlans.flatMap((plan) => [...plan.typeNeeds]));
    const prunes = planPrunes(
      sourceFile,
      allPlans.flatMap((plan) => plan.consumed),
      edits,
    );
    edits.push(
      ...prunes.edits,
      ...(needs.size + typeNeeds.size > 0
        ? planImports(
            sourceFile,
            SERVER_MODULE,
            { values: [...needs], types: [...typeNeeds] },
            context.style,
            prunes.removed,
            localOf,
          )
        : []),
      ...(runtime && runtimeNeeds.size > 0
        ? planImports(
            sourceFile,
            runtime.specifier,
            { values: [...runtimeNeeds].sort(), types: [] },
            context.style,
            prunes.removed,
            localOf,
          )
        : []),
      ...(runtime && steps
        ? planImports(
            sourceFile,
            runtime.stepsSpecifier,
            { values: ['toolSteps'], types: [] },
            context.style,
            prunes.removed,
            localOf,
          )
        : []),
    );
    const applied = applyEdits(sourceFile.getFullText(), edits);
    text = applied.text;
    mapOffset = applied.mapOffset;
    // Steps wrap the statements they hold: indent them now that their place in the output is known.
    const bodies = allPlans.flatMap((plan) => plan.stepBodies ?? []);
    let settle: OffsetMap = identityOffsets;
    if (bodies.length > 0) {
      const ranges = bodies.map(({ after, before }) => ({
        start: applied.outputStartOf(after) + after.text.length,
        end: applied.outputStartOf(before),
      }));
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
    handlers: plans.handlers.map(({ at, end, plan }) => ({
      ...plan.outcome,
      offset: mapOffset(at),
      endOffset: mapOffset(end),
    })),
    mapOffset,
    text,
    newFiles: runtime?.files ?? [],
    applied: appliedStrategies(allPlans),
  };
}

/** The strategies whose plans edited the file, in registry order: the report names them, not the pass. */
function appliedStrategies(plans: readonly HandlerPlan[]): string[] {
  const used = new Set(
    plans.filter((plan) => plan.edits.length > 0).map((plan) => strategyReporting(plan.outcome.strategy)?.id),
  );
  const applied = strategies.map((s) => s.id).filter((id) => used.has(id));
  // Only the server construction changed: it loads the runtime the run's resumable asks need.
  return applied.length > 0 ? applied : ['resumable'];
}

function unwired(at: NonNullable<HandlerPlan['replayedAt']>): PendingDiagnostic {
  const range = { start: at.start, end: at.end, anchor: at.start };
  return pending('mrtr/request-state-unwired', { handler: at.handler }, range, at.label);
}

function unseenServer(ask: Node): PendingDiagnostic {
  return pending('mrtr/server-construction-unseen', {}, atStatement(ask));
}
