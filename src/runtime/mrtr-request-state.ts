/**
 * Written by mrtr-migrate; yours to keep and change (it is never overwritten once changed).
 *
 * `requestState` is the only memory a 2026-07-28 request has between rounds. Multi-round handlers
 * carry the answers of earlier rounds in it, steps carry what finished steps handed on, and
 * resumable handlers ask from helpers and loops. The client echoes that state back, so it is
 * signed here (HMAC, not encrypted: never let a secret reach it) and checked before the handler
 * runs.
 *
 * Set MCP_REQUEST_STATE_KEY to the same secret of at least 32 bytes on every instance.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  isInputRequiredResult,
  type ClientCapabilities,
  type CreateMessageRequestParams,
  type CreateMessageResult,
  type ElicitRequestFormParams,
  type ElicitRequestURLParams,
  type ElicitResult,
  type InputRequest,
  type InputRequiredResult,
  type InputResponseView,
  type ListRootsResult,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';

export const REQUEST_STATE_KEY_VARIABLE = 'MCP_REQUEST_STATE_KEY';

interface CarriedAnswers {
  /** The handler the answers belong to: state minted for one tool is worth nothing to another. */
  readonly handler: string;
  readonly answers: Record<string, unknown>;
  /** Handlers written as steps: the steps already finished, and what they handed on. */
  readonly steps?: { readonly done: readonly string[]; readonly carried: Record<string, unknown> };
}

let codec: RequestStateCodec<CarriedAnswers> | undefined;

/** Fails closed: without a strong key no state is minted or accepted. */
function requestStateCodec(): RequestStateCodec<CarriedAnswers> {
  if (!codec) {
    const key = process.env[REQUEST_STATE_KEY_VARIABLE];
    if (!key || new TextEncoder().encode(key).length < 32) {
      throw new Error(
        `${REQUEST_STATE_KEY_VARIABLE} must be set to a secret of at least 32 bytes: it signs the requestState ` +
          `that multi-round tools carry between rounds. Use the same value on every instance.`,
      );
    }
    codec = createRequestStateCodec<CarriedAnswers>({ key });
  }
  return codec;
}

/** For `ServerOptions.requestState.verify`: a tampered or expired state is refused before the handler runs. */
export async function verifyRequestState(state: string, ctx: ServerContext): Promise<CarriedAnswers> {
  return requestStateCodec().verify(state, ctx);
}

/** The state this handler minted in an earlier round, verified; nothing on a first call. */
async function carriedState(ctx: ServerContext, handler: string): Promise<CarriedAnswers | undefined> {
  const carried = ctx.mcpReq.requestState<CarriedAnswers | string>();
  // Without the verify hook wired into the server options the raw string arrives: check it here.
  const state = typeof carried === 'string' ? await verifyRequestState(carried, ctx) : carried;
  return state && state.handler === handler ? state : undefined;
}

/** This round's answers, over the answers carried from earlier rounds of the same handler. */
export async function collectedAnswers(ctx: ServerContext, handler: string): Promise<Record<string, unknown>> {
  const earlier = (await carriedState(ctx, handler))?.answers ?? {};
  return { ...earlier, ...ctx.mcpReq.inputResponses };
}

/** Signs the answers gathered so far, to send as `requestState` with the next question. */
export async function carryAnswers(
  answers: Record<string, unknown>,
  ctx: ServerContext,
  handler: string,
): Promise<string> {
  return requestStateCodec().mint({ handler, answers }, ctx);
}

// ---------------------------------------------------------------------------------------------
// Resumable asks, for code that asks from helpers, loops or try blocks. The handler registration
// is wrapped in `resumable(...)`; each ask returns the answer recorded in the signed state, or
// ends the round: the wrapper returns `inputRequired(...)` and the client calls again. The whole
// handler runs again from the top every round, so keys come from the ask's site and how many
// times it has been reached in this run, which is the same every round for the same answers.

const rounds = new AsyncLocalStorage<Round>();

interface Round {
  readonly ctx: ServerContext;
  readonly handler: string;
  readonly answers: Record<string, unknown>;
  readonly reached: Map<string, number>;
  /** The questions of asks left unanswered so far, and the end of the round they all wait for. */
  ending?: { readonly questions: Record<string, InputRequest>; readonly end: Promise<never>; closed: boolean };
}

/** Thrown by an ask whose answer is missing; only `resumable` may catch it. */
class RoundEnd extends Error {
  constructor(readonly result: InputRequiredResult) {
    super('mrtr-migrate: this round ends here to ask the client (rethrow it from catch blocks)');
  }
}

/** For catch blocks around asks: `if (isRoundEnd(error)) throw error;` lets the round end pass. */
export function isRoundEnd(error: unknown): boolean {
  return error instanceof RoundEnd;
}

/** Wraps a handler whose asks go through `askElicit` and friends; `handler` names it in the state. */
export function resumable<Args extends unknown[], Result>(
  handler: string,
  fn: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result | InputRequiredResult> {
  return async (...args: Args) => {
    // Every handler signature ends with the request context.
    const ctx = args.at(-1) as ServerContext;
    const round: Round = { ctx, handler, answers: await collectedAnswers(ctx, handler), reached: new Map() };
    try {
      return await rounds.run(round, () => fn(...args));
    } catch (error) {
      if (error instanceof RoundEnd) return error.result;
      throw error;
    }
  };
}

function currentRound(site: string): Round {
  const round = rounds.getStore();
  if (!round)
    throw new Error(
      `ask '${site}' ran outside a resumable(...) handler: only a tools/call, prompts/get or resources/read ` +
        `handler can ask the client`,
    );
  return round;
}

async function answerOrEnd(
  site: string,
  request: InputRequest,
  accept: (view: InputResponseView, key: string, round: Round) => unknown,
): Promise<unknown> {
  const round = currentRound(site);
  const count = (round.reached.get(site) ?? 0) + 1;
  round.reached.set(site, count);
  const key = count === 1 ? site : `${site}#${count}`;
  const answer = accept(inputResponse(round.answers, key), key, round);
  if (answer !== undefined) return answer;
  return endOfRound(round, key, request);
}

/**
 * Asks made together (`Promise.all` over a list) end the round together, so the client gets all
 * their questions at once; a lone ask ends it alone. Asks reached after the end are dropped.
 */
function endOfRound(round: Round, key: string, request: InputRequest): Promise<never> {
  if (!round.ending) {
    const questions: Record<string, InputRequest> = {};
    const ending: NonNullable<Round['ending']> = {
      questions,
      closed: false,
      end: new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        ending.closed = true;
        throw new RoundEnd(
          inputRequired({
            inputRequests: { ...questions },
            requestState: await carryAnswers(round.answers, round.ctx, round.handler),
          }),
        );
      }),
    };
    round.ending = ending;
  }
  if (!round.ending.closed) round.ending.questions[key] = request;
  return round.ending.end;
}

/** `server.elicitInput(params)`, resumable: accepted content is validated as the SDK did. */
export async function askElicit(site: string, params: ElicitRequestFormParams): Promise<ElicitResult> {
  return (await answerOrEnd(site, inputRequired.elicit(params), (view, key, round) => {
    if (view.kind !== 'elicit') return undefined;
    if (view.action === 'accept' && !acceptedContent(round.answers, key, fromJsonSchema(params.requestedSchema)))
      return undefined;
    return { action: view.action, content: view.content };
  })) as ElicitResult;
}

/** URL-mode `elicitInput`, resumable; 2026-07-28 has no elicitationId. */
export async function askUrl(
  site: string,
  params: Omit<ElicitRequestURLParams, 'elicitationId' | 'mode'> & { mode?: 'url'; elicitationId?: string },
): Promise<ElicitResult> {
  const { message, url } = params;
  return (await answerOrEnd(site, inputRequired.elicitUrl({ message, url }), (view) =>
    view.kind === 'elicit' ? { action: view.action, content: view.content } : undefined,
  )) as ElicitResult;
}

/** `server.createMessage(params)`, resumable. */
export async function askSampling(site: string, params: CreateMessageRequestParams): Promise<CreateMessageResult> {
  return (await answerOrEnd(site, inputRequired.createMessage(params), (view) =>
    view.kind === 'sampling' ? view.result : undefined,
  )) as CreateMessageResult;
}

/** `server.listRoots()`, resumable. */
export async function askRoots(site: string): Promise<ListRootsResult> {
  return (await answerOrEnd(site, inputRequired.listRoots(), (view) =>
    view.kind === 'roots' ? { roots: view.roots } : undefined,
  )) as ListRootsResult;
}

/**
 * The capabilities of the client whose request is being served. On 2026-07-28 they arrive with
 * each request (served through serveStdio, the server's own accessor stays empty); on 2025 they
 * belong to the connection. Pass the handler's context where it is at hand.
 */
export function clientCapabilities(
  connection?: { getClientCapabilities(): ClientCapabilities | undefined },
  ctx?: ServerContext,
): ClientCapabilities | undefined {
  const envelope = (ctx ?? rounds.getStore()?.ctx)?.mcpReq.envelope as Record<string, unknown> | undefined;
  return (
    (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? connection?.getClientCapabilities()
  );
}

// ---------------------------------------------------------------------------------------------
// Steps: a multi-round handler split at its questions. An incomplete step runs until its
// questions are answered (so it may run more than once and must be safe to repeat); once it
// hands on with `step.next(...)` it is finished, skipped in later rounds, and what it handed on
// travels in the signed state. The end step runs once, when every step is finished.

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
  constructor(
    private readonly ctx: ServerContext,
    private readonly handler: string,
    private readonly steps: readonly NamedStep<Result>[],
  ) {}

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
    let answers: Record<string, unknown> = { ...state?.answers, ...this.ctx.mcpReq.inputResponses };
    for (const { name, run } of this.steps) {
      if (done.has(name)) continue;
      // A copy: what an unfinished run changes must not leak into the state it asks with.
      const outcome = await run(
        { answers, next: (handed) => ({ [STEP_DONE]: handed ?? {} }) as StepDone<never> },
        structuredClone(carried) as never,
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
      if (isInputRequiredResult(outcome) && outcome.requestState === undefined) {
        const steps = { done: [...done], carried };
        return {
          ...outcome,
          requestState: await requestStateCodec().mint({ handler: this.handler, answers, steps }, this.ctx),
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
