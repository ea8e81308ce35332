import type { SourceFile } from 'ts-morph';
import type { PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import type { CodeStyle } from '../src/edit/code-style.js';
import type { OffsetMap } from '../src/edit/text-edits.js';
import type { HandlerFamily } from '../src/analysis/handlers.js';
import type { EffectAnalyzer } from '../src/analysis/effects.js';
import type { RuleId } from '../src/diagnostics/rules.js';
import type { PlannedFile } from './handlers/runtime-module.js';

export type ProjectType = 'client' | 'server' | 'both' | 'unknown';
export type Risk = 'safe' | 'review' | 'manual';
/** The strategies of the handler pass, each a module `transforms/<id>.ts` and a `-t` value. */
export type StrategyId = 'guard-first' | 'multi-round' | 'steps' | 'native-helpers' | 'resumable';
/**
 * What the report says happened to a handler: a strategy (guard-first reports `one-round` for a shared
 * round), or nothing.
 */
export type Strategy = StrategyId | 'one-round' | 'left-unchanged';

/** How handlers with dependent questions are written: guards in place, or ToolBuilder steps. */
export type FlowStyle = 'guard' | 'steps';

export interface RewriteOptions {
  /** Move effects that nothing before the ask depends on to just after the guard. */
  readonly fixEffects: boolean;
  /** Wrap effects and varying values above a guard in `once`, carrying their results in requestState (default on). */
  readonly carryEffects?: boolean;
  /** Rewrites riskier than this are left unchanged and reported. */
  readonly maxRisk: Exclude<Risk, 'manual'>;
  /** Where the runtime module goes; beside each server file when unset. */
  readonly runtimeDir?: string;
  /** Multi-round handlers: guards in place carrying answers (`guard`), or `steps`. */
  readonly style: FlowStyle;
  /** The strategies the run may use (`-t`); every one when unset. */
  readonly strategies?: readonly StrategyId[];
  /**
   * `native`: no held calls, which replay effects when another instance serves the retry; an ask
   * only a held call could serve is left as written with an error. `any` (the default) holds it.
   */
  readonly target?: 'native' | 'any';
}

export const DEFAULT_REWRITE_OPTIONS: RewriteOptions = { fixEffects: false, maxRisk: 'review', style: 'guard' };

export interface TransformContext {
  readonly filePath: string;
  readonly style: CodeStyle;
  readonly projectType: ProjectType;
  readonly effects: EffectAnalyzer;
  readonly options: RewriteOptions;
  /** Leave asks as written: a CommonJS file of a run whose server loads SDK v1 with require(), or a file
   * of a server a framework builds on its own SDK (FastMCP), which only gets markers. */
  readonly holdBack?: HoldBack;
  /** What the rest of the run showed; without it (one file alone) the file's own findings stand for it. */
  readonly run?: RunFacts;
}

/** Facts a project run gathers over all its files before it settles each one. */
/** Why a file's asks are left as written. */
export type HoldBack = 'commonjs-v1' | 'framework';

export interface RunFacts {
  /** For each helper that asks through the runtime (by function name), how handlers reach it: `tool x → a → helper`. */
  readonly reachedFrom: ReadonlyMap<string, readonly string[]>;
  /** For each function on a handler's way to a helper's ask (by name), the files of those handlers. */
  readonly callersOf: ReadonlyMap<string, readonly string[]>;
  /** Some file of the run builds a server whose construction loads the runtime module. */
  readonly serverWired: boolean;
  /** Some file of the run asks through the runtime module: every server construction loads it. */
  readonly usesRuntime: boolean;
}

/** What happened to one handler that asks for input. */
export interface HandlerOutcome {
  /** `tool deploy`, `prompt summarize`, `resource config`. */
  readonly handler: string;
  readonly family: HandlerFamily;
  readonly name: string;
  /** Offsets of the registration in the transform's output text. */
  readonly offset: number;
  readonly endOffset: number;
  readonly strategy: Strategy;
  readonly risk: Risk;
  /** Input request keys the rewritten handler uses, in order. */
  readonly keys: readonly string[];
  /** Why the risk is what it is, one short sentence each. */
  readonly reasons: readonly string[];
  /** The helpers that ask on the handler's way through project functions (resumable handlers). */
  readonly reaches?: readonly string[];
  /** How: each call chain from the handler to a helper that asks (`handleRename → confirm`). */
  readonly askPaths?: readonly string[];
  /** Some of those chains leave the handler's file: the run's facts may let it pass the context there. */
  readonly reachesAcross?: boolean;
  /** Native asks reached more than once in a call: the answers travel in signed requestState, with rounds. */
  readonly carriesAnswers?: boolean;
  /** Asks in the handler's own body (a loop, a sequence) that now read their answer and return the request. */
  readonly nativeInHandler?: number;
}

export interface TransformResult {
  readonly changed: boolean;
  readonly diagnostics: readonly PendingDiagnostic[];
  readonly handlers: readonly HandlerOutcome[];
  /** Maps offsets in the transform's input text to its output text. */
  readonly mapOffset: OffsetMap;
  /**
   * The output, when the transform edited text rather than the tree: `sourceFile` is then stale,
   * and the engine re-parses it only if a later transform needs it (a re-parse is most of a small edit's cost).
   */
  readonly text?: string;
  /** Files the migrated code needs (the runtime module); the engine never overwrites a changed one. */
  readonly newFiles?: readonly PlannedFile[];
  /** For a pass that runs strategies: the ones that changed the file, reported instead of the pass's id. */
  readonly applied?: readonly string[];
  /** Findings of earlier transforms (offsets in this transform's input) that its edits settled: dropped. */
  readonly settles?: (diagnostic: PendingDiagnostic) => boolean;
}

/**
 * One transform: its registry descriptor, and `apply`, which edits `sourceFile` in place (or returns `text`)
 * and touches nothing else.
 */
export interface Transform extends TransformDescriptor {
  apply(sourceFile: SourceFile, context: TransformContext): TransformResult;
}

export interface TransformDescriptor {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Transforms that must have run on the file first; the order below is tested against this. */
  readonly runsAfter: readonly string[];
  /** A cheap test of the text and the path: a file that fails it is left to other transforms without parsing. */
  appliesTo(text: string, filePath: string): boolean;
  /** Byte strings at least one of which a file must contain for `appliesTo` to pass (checked before decoding). */
  readonly needles: readonly string[];
}

export interface StrategyDescriptor {
  readonly id: StrategyId;
  readonly title: string;
  readonly description: string;
  /** The `strategy` values the report gives the handlers this strategy rewrote. */
  readonly reports: readonly Strategy[];
  /** The rules a run of this strategy can raise, besides those of the asks it cannot take. */
  readonly rules: readonly RuleId[];
}
