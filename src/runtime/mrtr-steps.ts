/**
 * Written by mrtr-migrate, beside mrtr-request-state; yours to keep and change (it is never
 * overwritten once changed).
 *
 * Steps: a multi-round handler split at its questions. An incomplete step runs until its
 * questions are answered (so it may run more than once and must be safe to repeat); once it
 * hands on with `step.next(...)` it is finished, skipped in later rounds, and what it handed on
 * travels in the signed state. The end step runs once, when every step is finished.
 */
import { isInputRequiredResult, type InputRequiredResult, type ServerContext } from '@modelcontextprotocol/server';
import { carriedState, isServerContext, mintState } from './mrtr-request-state.js';

const STEP_DONE: unique symbol = Symbol('mrtr-migrate step done');

/** What a finished step hands to the steps after it. */
export interface StepDone<Carried extends object> {
  readonly [STEP_DONE]: Carried;
}

export interface Step {
  /** This step's answers: this round's, over those it was given in earlier rounds. */
  readonly answers: Record<string, unknown>;
  /** Finishes the step. What it hands on must be plain JSON: it travels in requestState. */
  next<Carried extends object = Record<never, never>>(carried?: Carried): StepDone<Carried>;
}

type Merge<Earlier, Later> = Omit<Earlier, keyof Later> & Later;

/** A step finishes (`step.next`), asks (`inputRequired`), or ends the call with its own result. */
type StepOutcome<Next extends object, Result> = StepDone<Next> | Result | InputRequiredResult;

interface NamedStep<Result> {
  readonly name: string;
  readonly run: (step: Step, carried: never) => Promise<StepOutcome<object, Result>> | StepOutcome<object, Result>;
}

export class ToolSteps<Result, Carried extends object> {
  // Fields spelled out, not parameter properties: the module also builds under erasableSyntaxOnly.
  private readonly ctx: ServerContext;
  private readonly handler: string;
  private readonly steps: readonly NamedStep<Result>[];

  constructor(ctx: ServerContext, handler: string, steps: readonly NamedStep<Result>[]) {
    this.ctx = ctx;
    this.handler = handler;
    this.steps = steps;
  }

  incompleteStep<Next extends object = Record<never, never>>(
    name: string,
    run: (step: Step, carried: Carried) => Promise<StepOutcome<Next, Result>> | StepOutcome<Next, Result>,
  ): ToolSteps<Result, Merge<Carried, Next>> {
    if (this.steps.some((step) => step.name === name))
      throw new Error(`${this.handler}: step '${name}' is declared twice`);
    return new ToolSteps(this.ctx, this.handler, [...this.steps, { name, run: run }]);
  }

  /** Runs the unfinished steps in order, then `end` once they are all finished. */
  async endStep(end: (carried: Carried) => Promise<Result> | Result): Promise<Result | InputRequiredResult> {
    const state = await carriedState(this.ctx, this.handler);
    const done = new Set(state?.steps?.done ?? []);
    let carried: Record<string, unknown> = { ...state?.steps?.carried };
    // Only the first unfinished step asked last round: this round's answers are its own.
    let answers: Record<string, unknown> = { ...state?.answers, ...this.ctx?.mcpReq?.inputResponses };
    for (const { name, run } of this.steps) {
      if (done.has(name)) continue;
      // A copy: what an unfinished run changes must not leak into the state it asks with.
      const outcome = await run(
        { answers, next: (handed) => ({ [STEP_DONE]: handed ?? {} }) as StepDone<never> },
        JSON.parse(JSON.stringify(carried)) as never,
      );
      if (isStepDone(outcome)) {
        const handed = outcome[STEP_DONE] as Record<string, unknown>;
        for (const [key, value] of Object.entries(handed))
          assertPlainJson(value, `${this.handler}: step '${name}' hands on '${key}'`);
        carried = { ...carried, ...handed };
        done.add(name);
        answers = {};
        continue;
      }
      // A stub context (a test calling the handler itself) has no state to sign.
      if (isInputRequiredResult(outcome) && outcome.requestState === undefined && isServerContext(this.ctx)) {
        const steps = { done: [...done], carried };
        return {
          ...outcome,
          requestState: await mintState({ handler: this.handler, answers, steps }, this.ctx),
        };
      }
      return outcome;
    }
    return end(carried as Carried);
  }
}

/** Starts the steps of one handler; `handler` names it in the state, as for `collectedAnswers`. */
export function toolSteps<Result>(ctx: ServerContext, handler: string): ToolSteps<Result, Record<never, never>> {
  return new ToolSteps<Result, Record<never, never>>(ctx, handler, []);
}

function isStepDone(value: unknown): value is StepDone<object> {
  return typeof value === 'object' && value !== null && STEP_DONE in value;
}

/** A Date would come back a string and a class instance without its methods: refuse them here. */
function assertPlainJson(value: unknown, where: string): void {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertPlainJson(item, `${where}[${index}]`));
    return;
  }
  const prototype =
    typeof value === 'object'
      ? (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
      : undefined;
  if (prototype === Object.prototype || prototype === null) {
    for (const [key, item] of Object.entries(value)) assertPlainJson(item, `${where}.${key}`);
    return;
  }
  const what = typeof value === 'object' ? (prototype?.constructor?.name ?? 'object') : typeof value;
  throw new TypeError(
    `${where}, a ${what}, which requestState cannot carry as JSON: hand on plain data, or compute it again ` +
      `where it is used`,
  );
}
