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
  Server,
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  specTypeSchemas,
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

export interface CarriedAnswers {
  /** The handler the answers belong to: state minted for one tool is worth nothing to another. */
  readonly handler: string;
  readonly answers: Record<string, unknown>;
  /** Handlers written as steps: the steps already finished, and what they handed on. */
  readonly steps?: {
    readonly done: readonly string[];
    readonly carried: Record<string, unknown>;
  };
  /** Resumable handlers: a digest of the call (its arguments and its caller) the state was minted for. */
  readonly call?: string;
  /** Resumable handlers: the call waiting in this process, and how many rounds it has asked in. */
  readonly continuation?: { readonly id: string; readonly round: number };
  /** What `once` computed in earlier rounds, by key (`{}` stands for undefined). */
  readonly once?: Readonly<Record<string, CarriedValue>>;
}

export interface CarriedValue {
  readonly value?: unknown;
}

export interface RequestStateSettings {
  /** The signing secret, where there is no environment to read it from (a Worker's `env` binding). */
  readonly key?: string;
  /** How long a state stays valid, and a call waits for its retry, in seconds (default 600). */
  readonly ttlSeconds?: number;
  /**
   * Calls that ask through this module wait in the serving process between rounds, so nothing
   * before the ask runs twice. At most this many wait at once (default 1,000); past it the one
   * that has waited longest is released. 0 turns waiting off: every round replays from the top.
   */
  readonly maxParked?: number;
  /**
   * A retry whose call this process no longer holds (another instance, a restart, a release):
   * `'replay'` (the default) runs the handler again from the top with the answers carried in the
   * state, so what comes before each ask runs again; `'refuse'` fails the call instead.
   */
  readonly whenGone?: 'replay' | 'refuse';
}

let codec: RequestStateCodec<CarriedAnswers> | undefined;
let settings: RequestStateSettings = {};

/** Set before serving; settings not given keep their defaults. */
export function configureRequestState(options: RequestStateSettings): void {
  settings = { ...settings, ...options };
  codec = undefined;
  releaseOverCap();
}

// Read through globalThis: the module builds without Node's types (a Workers project).
const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;

function ttlSeconds(): number {
  return settings.ttlSeconds ?? 600;
}

/** Fails closed: without a strong key no state is minted or accepted. */
function requestStateCodec(): RequestStateCodec<CarriedAnswers> {
  const key = settings.key ?? environment?.[REQUEST_STATE_KEY_VARIABLE];
  // A test driving a handler through its v1 stub signs with a key of its own when none is set.
  if (!key && !codec && rounds.getStore()?.stub) return (stubCodec ??= codecWith(randomId() + randomId()));
  if (!codec) {
    if (!key || utf8Length(key) < 32) {
      throw new Error(
        `${REQUEST_STATE_KEY_VARIABLE} must be set to a secret of at least 32 bytes: it signs the requestState ` +
          `that multi-round tools carry between rounds. Use the same value on every instance.`,
      );
    }
    codec = codecWith(key);
  }
  return codec;
}

let stubCodec: RequestStateCodec<CarriedAnswers> | undefined;

function codecWith(key: string): RequestStateCodec<CarriedAnswers> {
  // Bound to the method and the authenticated client: one client cannot use another's state.
  return createRequestStateCodec<CarriedAnswers>({
    key,
    ttlSeconds: ttlSeconds(),
    bind: (ctx) => `${ctx.mcpReq?.method ?? ''}\0${ctx.http?.authInfo?.clientId ?? ''}`,
  });
}

function utf8Length(text: string): number {
  let length = 0;
  for (const char of text) {
    const point = char.codePointAt(0) ?? 0;
    length += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
  }
  return length;
}

/** For `ServerOptions.requestState.verify`: a tampered or expired state is refused before the handler runs. */
export async function verifyRequestState(state: string, ctx: ServerContext): Promise<CarriedAnswers> {
  return requestStateCodec().verify(state, ctx);
}

/**
 * The state this handler minted in an earlier round, verified; nothing on a first call or on a stub
 * context. A state minted for another call (other arguments, session or client) is refused.
 */
export async function carriedState(
  ctx: ServerContext | undefined,
  handler: string,
): Promise<CarriedAnswers | undefined> {
  if (typeof ctx?.mcpReq?.requestState !== 'function') return undefined;
  const round = roundOf(ctx);
  return round ? verifiedOnce(round, ctx, handler) : verifiedState(ctx, handler, undefined);
}

/** Verified once per round, however many helpers read it. */
function verifiedOnce(
  round: Round,
  ctx: ServerContext,
  handler: string | undefined,
): Promise<CarriedAnswers | undefined> {
  const states = (round.states ??= new Map<string, Promise<CarriedAnswers | undefined>>());
  const key = handler ?? ANY_HANDLER;
  let state = states.get(key);
  if (!state) {
    state = verifiedState(ctx, handler, round.call);
    states.set(key, state);
  }
  return state;
}

/** `handler` undefined takes a state of any handler: `once` trusts the call digest, which names the handler. */
async function verifiedState(
  ctx: ServerContext,
  handler: string | undefined,
  call: (() => Promise<string>) | undefined,
): Promise<CarriedAnswers | undefined> {
  const carried = ctx.mcpReq.requestState<CarriedAnswers | string>();
  // Without the verify hook wired into the server options the raw string arrives: check it here.
  const state = typeof carried === 'string' ? await verifyRequestState(carried, ctx) : carried;
  if (!state || typeof state !== 'object' || (handler !== undefined && state.handler !== handler)) return undefined;
  if (call && state.call !== undefined && state.call !== (await call()))
    throw refusal('it was minted for another call');
  return state;
}

/** This round's answers, over the answers carried from earlier rounds of the same handler. */
export async function collectedAnswers(
  ctx: ServerContext | undefined,
  handler: string,
): Promise<Record<string, unknown>> {
  const earlier = (await carriedState(ctx, handler))?.answers ?? {};
  return { ...earlier, ...ctx?.mcpReq?.inputResponses };
}

/** Signs a state for this handler's next round (steps sign which steps are done, too). */
export async function mintState(state: CarriedAnswers, ctx: ServerContext): Promise<string> {
  return requestStateCodec().mint(await boundToCall(state, ctx), ctx);
}

/** Signs the answers gathered so far, to send as `requestState` with the next question. */
export async function carryAnswers(
  answers: Record<string, unknown>,
  ctx: ServerContext,
  handler: string,
): Promise<string> {
  return mintState({ handler, answers }, ctx);
}

/** Inside a served request the state names its call, and takes along what `once` carries. */
async function boundToCall(state: CarriedAnswers, ctx: ServerContext): Promise<CarriedAnswers> {
  const round = roundOf(ctx);
  if (!round?.call) return state;
  const values = round.once ? await round.once : {};
  return {
    ...state,
    call: state.call ?? (await round.call()),
    ...(Object.keys(values).length > 0 ? { once: { ...values } } : {}),
  };
}

/**
 * Runs `fn` in the first round only. Its result travels to the later rounds of the call in the
 * signed requestState, so an effect above a guard happens once and a random id stays the same.
 * Only plain JSON can travel (the client can read it, so never a secret). A throw is not carried:
 * the next round runs `fn` again. Called outside a served request (a test's stub context), it just runs `fn`.
 */
export async function once<T>(
  ctx: ServerContext | undefined,
  key: string,
  fn: () => T | PromiseLike<T>,
): Promise<Awaited<T>> {
  const round = ctx ? roundOf(ctx) : undefined;
  if (!round?.call) return await fn();
  // Reached again in the same round (a loop's next pass, a helper called twice): a key of its own.
  const reached = (round.onceReached ??= new Map<string, number>());
  const count = (reached.get(key) ?? 0) + 1;
  reached.set(key, count);
  const passKey = count === 1 ? key : `${key}#${count}`;
  const values = await (round.once ??= carriedOnce(round));
  const carried = Object.prototype.hasOwnProperty.call(values, passKey) ? values[passKey] : undefined;
  if (carried) return carried.value as Awaited<T>;
  const value = await fn();
  if (!isPlainJson(value)) {
    throw new TypeError(
      `mrtr-migrate once('${key}'): the value is not plain JSON, so it cannot travel in requestState to the ` +
        'next round; carry a JSON form of it (a string or a plain object) instead',
    );
  }
  values[passKey] = value === undefined ? {} : { value };
  return value;
}

/** `once` for code whose result nothing reads: it runs in the first round only, and only that it ran travels. */
export async function onceEffect(ctx: ServerContext | undefined, key: string, fn: () => unknown): Promise<void> {
  await once(ctx, key, async () => {
    await fn();
  });
}

/** What earlier rounds of this call carried; a state that carries values for another call is refused. */
async function carriedOnce(round: Round): Promise<Record<string, CarriedValue>> {
  const state = await carriedStateOfAny(round);
  if (!state?.once) return {};
  if (state.call !== (await round.call!())) throw refusal('it was minted for another call');
  return { ...state.once };
}

function carriedStateOfAny(round: Round): Promise<CarriedAnswers | undefined> {
  const ctx = round.ctx;
  if (typeof ctx?.mcpReq?.requestState !== 'function') return Promise.resolve(undefined);
  return verifiedOnce(round, ctx, undefined);
}

const ANY_HANDLER = '\0any';

/** Values that come back from JSON as they went in. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((item) => item !== undefined && isPlainJson(item, depth + 1));
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => item !== undefined && isPlainJson(item, depth + 1));
}

/** A guard's `inputRequired(...)` with no state of its own takes one when `once` carries values. */
async function withCarriedValues(result: unknown): Promise<unknown> {
  const round = rounds.getStore();
  if (!round?.ctx || !round.once || !isInputRequiredResult(result) || result.requestState !== undefined) return result;
  const values = await round.once;
  if (Object.keys(values).length === 0) return result;
  return {
    ...result,
    requestState: await mintState({ handler: round.handler, answers: {} }, round.ctx),
  };
}

/** The round open for this request, if the handler runs in one. */
function roundOf(ctx: ServerContext): Round | undefined {
  const round = rounds.getStore();
  return round && round.ctx === ctx ? round : undefined;
}

// ---------------------------------------------------------------------------------------------
// Resumable asks, for code that asks from helpers, loops or try blocks. Loading this module
// gives every tools/call, prompts/get and resources/read handler a round, whichever way it was
// registered (registerTool, setRequestHandler, a dispatch table, a class framework on top of
// the SDK). An ask whose answer is missing ends the round: the request returns
// `inputRequired(...)`, and the call waits, suspended at the ask, until the client's retry brings
// the answer. So effects before the ask run once, values stay the same, and `catch`/`finally`
// run as they did before the migration. When the call is no longer held (another instance, a
// restart, a release) the retry replays the handler from the top with the carried answers; keys
// come from the ask's site and how many times it has been reached, the same in every replay.

interface Round {
  /** Undefined when the handler was called with something that is not the SDK's context (a test's stub). */
  readonly ctx: ServerContext | undefined;
  readonly handler: string;
  /** Read on the first ask: a handler that never asks never touches the state. */
  answers?: Record<string, unknown>;
  readonly reached: Map<string, number>;
  /** Replay: the questions of asks left unanswered so far, and the end of the round they all wait for. */
  ending?: {
    readonly questions: Record<string, InputRequest>;
    readonly end: Promise<never>;
    closed: boolean;
  };
  /** Replay: the round's result once it ended, whatever the code between the ask and the round made of the throw. */
  ended?: InputRequiredResult;
  /** Set when the call waits in this process between rounds instead of replaying. */
  readonly held?: Held;
  /** The digest of the call being served (its handler, arguments and caller); none for a stub context. */
  readonly call?: (() => Promise<string>) | undefined;
  /** The states this round arrived with, verified once, by the handler they were read for. */
  states?: Map<string, Promise<CarriedAnswers | undefined>> | undefined;
  /** What `once` carried in or computed this round, for the state of the next. */
  once?: Promise<Record<string, CarriedValue>>;
  /** How many times `once` reached each key this round: a loop's passes each carry their own value. */
  onceReached?: Map<string, number>;
  /** Set when a test calls the handler with an SDK v1 `extra` stub (callWithV1Extra). */
  readonly stub?: StubClient | undefined;
}

/** A test's v1 stub, playing the client: asks reached in the handler are pushed through it, as before. */
interface StubClient {
  /** Absent when the stub has no `sendRequest`: asks then end the round, or take their outside path. */
  readonly push: ((request: InputRequest) => Promise<unknown>) | undefined;
}

/** A call that waits between rounds: what it is bound to, and who waits for what it does next. */
interface Held {
  readonly id: string;
  /** The digest of the call it serves, computed once, when it is first needed. */
  readonly call: () => Promise<string>;
  /** The server instance whose connection it waits on; none for a one-request HTTP instance. */
  readonly connection: object | undefined;
  /** Rounds it has ended; the state of the latest names it, and only that state resumes it. */
  rounds: number;
  /** The request being served, waiting for the call's result or its next questions. */
  waiter?: Deferred<unknown> | undefined;
  /** Stops following the cancellation of the request that last served it. */
  unwatch?: (() => void) | undefined;
  /** Asks reached in this turn, sent together when it ends. */
  batch?:
    | {
        readonly questions: Record<string, InputRequest>;
        readonly woken: Deferred<void>;
      }
    | undefined;
  /** Set while it waits for a retry. */
  parked?: { readonly woken: Deferred<void>; readonly timer: unknown } | undefined;
  /** Why it stopped waiting; every later ask throws it. */
  released?: CallReleased;
  /** What the call came to while no request waited for it, handed to the next retry. */
  outcome?: { readonly result: unknown } | { readonly error: unknown };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

// Shared by every copy of this module in the process (one per package of a monorepo), so a helper
// in one package asks within the round another package's copy opened.
const SHARED = Symbol.for('mrtr-migrate.rounds.v2');
const ROUND_END = Symbol.for('mrtr-migrate.round-end.v1');
interface Shared {
  readonly rounds: AsyncLocalStorage<Round>;
  readonly installed: WeakSet<object>;
  /** Every held call by id, running or waiting. */
  readonly held: Map<string, Round>;
  /** The calls waiting for a retry, the one that has waited longest first. */
  readonly parked: Map<string, Round>;
  /** Calls that finished, until their last state expires: a state naming one was already used. */
  readonly finished: Map<string, number>;
  /** The waiting calls of each server instance, released when its connection closes. */
  readonly connections: WeakMap<object, Set<Round>>;
}
const shared: Shared = ((globalThis as { [SHARED]?: Shared })[SHARED] ??= {
  rounds: new AsyncLocalStorage<Round>(),
  installed: new WeakSet(),
  held: new Map(),
  parked: new Map(),
  finished: new Map(),
  connections: new WeakMap(),
});
const rounds = shared.rounds;

/** What installed rounds add: the context of the open round (held calls, `once`), and carried native asks. */
const roundHooks: {
  context?: () => ServerContext | undefined;
  nativeAnswer?: (
    ctx: ServerContext,
    key: string,
    request: InputRequest,
    accept: Accept,
  ) => Promise<unknown> | undefined;
  hold?: (
    handler: string,
    ctx: ServerContext,
    carrying: () => Promise<unknown>,
    call: () => Promise<string>,
    continuation: { readonly id: string; readonly round: number } | undefined,
    served: { readonly call: unknown; readonly server: object | undefined },
  ) => Promise<unknown>;
} = {};

/** Thrown by an ask whose answer is missing; the round it ends turns it into the handler's result. */
class RoundEnd extends Error {
  readonly [ROUND_END] = true;
  readonly result: InputRequiredResult;
  constructor(result: InputRequiredResult) {
    super('mrtr-migrate: this round ends here to ask the client (rethrow it from catch blocks)');
    this.result = result;
  }
}

/** Thrown by an ask of a call that stopped waiting, so its `finally` blocks run and it ends. */
class CallReleased extends Error {
  readonly [ROUND_END] = true;
  readonly reason: 'cancelled' | 'connection closed' | 'expired' | 'evicted' | 'no state could be signed';
  constructor(reason: CallReleased['reason']) {
    super(
      `mrtr-migrate: this call stopped waiting for the client's answer (${reason}); ` +
        'it ends here, and a retry of it starts again from the top',
    );
    this.reason = reason;
  }
}

/** For catch blocks around asks: `if (isRoundEnd(error)) throw error;` lets the round end pass. */
export function isRoundEnd(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && (error as { [ROUND_END]?: unknown })[ROUND_END] === true;
}

export function isServerContext(value: unknown): value is ServerContext {
  const mcpReq = (value as { mcpReq?: unknown } | null | undefined)?.mcpReq;
  return typeof mcpReq === 'object' && mcpReq !== null;
}

/** What a served request is: its arguments (or URI) and the server instance serving it. */
interface Served {
  readonly call: unknown;
  readonly server: object | undefined;
}

/** Runs `fn` in a round of `handler`, unless one is already open for this request. */
async function inRound<Result>(
  handler: string,
  ctx: unknown,
  fn: () => Result | Promise<Result>,
  served: Served = { call: undefined, server: undefined },
): Promise<unknown> {
  const open = rounds.getStore();
  if (open && (open.ctx === ctx || !isServerContext(ctx))) return fn();
  const carrying = async () => withCarriedValues(await fn());
  if (!isServerContext(ctx)) return replayRound(handler, ctx, carrying, undefined);
  let digest: Promise<string> | undefined;
  const call = (): Promise<string> => (digest ??= callDigest(handler, served.call, ctx));
  // Only a state of this runtime (it names its call) is verified here: any other state is the handler's own.
  // One minted for another call is refused before the handler runs.
  const carried = namesItsCall(ctx) ? await verifiedState(ctx, undefined, call) : undefined;
  // Without held asks in the project (native code only) every round replays from the top.
  if (settings.maxParked === 0 || !roundHooks.hold) return replayRound(handler, ctx, carrying, call);
  const continuation = carried?.handler === handler ? carried.continuation : undefined;
  return roundHooks.hold(handler, ctx, carrying, call, continuation, served);
}

/** Held asks: the call waits in this process for its retry, or is held again from a replay. */
function holdOrResume(
  handler: string,
  ctx: ServerContext,
  carrying: () => Promise<unknown>,
  call: () => Promise<string>,
  continuation: CarriedAnswers['continuation'],
  served: Served,
): Promise<unknown> {
  if (continuation) {
    const round = shared.held.get(continuation.id);
    if (round?.held?.parked && round.held.rounds === continuation.round) return resume(round, ctx);
    if (round || shared.finished.has(continuation.id)) throw refusal('it was already used, and the call has moved on');
    if (settings.whenGone === 'refuse') {
      throw refusal(
        'the call it belongs to is no longer held by this server (another instance, a restart or a release), ' +
          "and replay is turned off (whenGone: 'refuse'); call again from the start",
      );
    }
    // Replay from the top with the carried answers; the call is held again from here on.
  }
  return start(handler, ctx, carrying, call, connectionOf(served.server, ctx));
}

/** Whether this round's state (verified by the SDK's hook, or still the wire string) is one this runtime minted. */
function namesItsCall(ctx: ServerContext): boolean {
  if (typeof ctx.mcpReq.requestState !== 'function') return false;
  const state = ctx.mcpReq.requestState<CarriedAnswers | string>();
  const payload = typeof state === 'string' ? unverifiedPayload(state) : state;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as Partial<CarriedAnswers>).handler === 'string' &&
    typeof (payload as Partial<CarriedAnswers>).call === 'string'
  );
}

/** The payload of the codec's wire shape (`v1.<body>.<mac>`), read but not trusted: it is verified next. */
function unverifiedPayload(state: string): unknown {
  const body = state.split('.')[1];
  if (!body) return undefined;
  try {
    const binary = host.atob(body.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return (JSON.parse(new host.TextDecoder().decode(bytes)) as { p?: unknown }).p;
  } catch {
    return undefined;
  }
}

/** A state the runtime will not resume from: the SDK's own error for a bad state, with the reason. */
function refusal(reason: string): Error {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid or expired requestState: ${reason}`, {
    reason: 'invalid_request_state',
  });
}

/** Today's rounds, for stub contexts and `maxParked: 0`: the handler runs again from the top each round. */
async function replayRound<Result>(
  handler: string,
  ctx: unknown,
  fn: () => Result | Promise<Result>,
  call: (() => Promise<string>) | undefined,
  stub?: StubClient,
): Promise<Result | InputRequiredResult> {
  const round: Round = {
    ctx: isServerContext(ctx) ? ctx : undefined,
    handler,
    reached: new Map(),
    call,
    stub,
  };
  try {
    const result = await rounds.run(round, fn);
    // McpServer turns a tool's throw into an error result: the round's end still wins.
    return round.ended ?? result;
  } catch (error) {
    if (round.ended) return round.ended;
    if (error instanceof RoundEnd) return error.result;
    throw error;
  }
}

/**
 * A one-request HTTP instance (2026-07-28 over `createMcpHandler`) closes after every round, so
 * its calls wait on nothing but their expiry; stdio and 2025 connections release theirs on close.
 */
function connectionOf(server: object | undefined, ctx: ServerContext): object | undefined {
  return ctx.http !== undefined && ctx.mcpReq.envelope !== undefined ? undefined : server;
}

function start<Result>(
  handler: string,
  ctx: ServerContext,
  fn: () => Result | Promise<Result>,
  call: () => Promise<string>,
  connection: object | undefined,
): Promise<unknown> {
  const held: Held = { id: randomId(), call, connection, rounds: 0 };
  const round: Round = { ctx, handler, reached: new Map(), held, call };
  const waiter = wait(round, ctx);
  rounds
    .run(round, async () => fn())
    .then(
      (result: unknown) => settle(round, { result }),
      (error: unknown) => settle(round, { error }),
    );
  return waiter.promise;
}

/** The retry with the answers: the call goes on where it waited, serving this request now. */
function resume(round: Round, ctx: ServerContext): Promise<unknown> {
  const held = round.held!;
  const parked = unpark(round)!;
  refreshContext(round.ctx!, ctx);
  round.states = undefined;
  round.answers = { ...round.answers, ...ctx.mcpReq.inputResponses };
  const waiter = wait(round, ctx);
  if (held.outcome) settle(round, held.outcome);
  else parked.woken.resolve();
  return waiter.promise;
}

/**
 * This request waits for what the call does next. Cancelling it releases the call, also while it
 * waits (a 2025 request stays open across the rounds the SDK's shim fulfils), until a retry takes over.
 */
function wait(round: Round, ctx: ServerContext): Deferred<unknown> {
  const held = round.held!;
  held.unwatch?.();
  // Typed by hand: the module builds with no DOM or Node types.
  const signal = ctx.mcpReq.signal as unknown as Cancellation | undefined;
  const onAbort = () => release(round, 'cancelled');
  signal?.addEventListener?.('abort', onAbort, { once: true });
  held.unwatch = () => signal?.removeEventListener?.('abort', onAbort);
  const waiter = deferred<unknown>();
  held.waiter = waiter;
  return waiter;
}

interface Cancellation {
  addEventListener?(type: 'abort', listener: () => void, options: { once: boolean }): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

function answerWaiter(held: Held): Deferred<unknown> | undefined {
  const waiter = held.waiter;
  held.waiter = undefined;
  return waiter;
}

/** The call returned or threw: the waiting request gets it, and its states are spent. */
function settle(round: Round, outcome: NonNullable<Held['outcome']>): void {
  const held = round.held!;
  const waiter = answerWaiter(held);
  if (!waiter) {
    held.outcome = outcome;
    return;
  }
  held.unwatch?.();
  if (shared.held.delete(held.id)) {
    shared.finished.set(held.id, now() + ttlSeconds() * 1000);
    sweepFinished();
  }
  if ('error' in outcome) waiter.reject(outcome.error);
  else waiter.resolve(outcome.result);
}

/**
 * The handler sees the request now being served (its id, progress, logging, cancellation), not the
 * finished first round: the context object it was given is brought up to date in place.
 */
function refreshContext(target: Record<string, unknown>, source: Record<string, unknown>): void {
  if (target === source) return;
  for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
  for (const [key, value] of Object.entries(source)) {
    const old = target[key];
    if ((key === 'mcpReq' || key === 'http') && isRecord(old) && isRecord(value)) refreshContext(old, value);
    else target[key] = value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Ends this turn of a held call: its questions go to the waiting request, and it waits for the retry. */
function park(round: Round, key: string, request: InputRequest): Promise<void> {
  const held = round.held!;
  if (held.released) return Promise.reject(held.released);
  if (!held.batch) {
    const batch = {
      questions: {} as Record<string, InputRequest>,
      woken: deferred<void>(),
    };
    held.batch = batch;
    // A macrotask later, so asks started together (Promise.all) have all been reached.
    later(() => void endTurn(round, batch));
  }
  held.batch.questions[key] = request;
  return held.batch.woken.promise;
}

async function endTurn(round: Round, batch: NonNullable<Held['batch']>): Promise<void> {
  const held = round.held!;
  held.batch = undefined;
  if (held.released) return batch.woken.reject(held.released);
  held.rounds += 1;
  let requestState: string;
  try {
    requestState = await mintState(
      {
        handler: round.handler,
        answers: round.answers ?? {},
        call: await held.call(),
        continuation: { id: held.id, round: held.rounds },
      },
      round.ctx!,
    );
  } catch (error) {
    // No key to sign with: the request fails with the reason, and the call ends.
    answerWaiter(held)?.reject(error);
    held.released = new CallReleased('no state could be signed');
    return batch.woken.reject(held.released);
  }
  const timer = setTimer(() => release(round, 'expired'), ttlSeconds() * 1000);
  held.parked = { woken: batch.woken, timer };
  shared.held.set(held.id, round);
  shared.parked.set(held.id, round);
  if (held.connection) watchConnection(held.connection).add(round);
  // A one-request HTTP exchange aborts its signal once answered: only a connection's request is followed on.
  if (!held.connection) held.unwatch?.();
  answerWaiter(held)?.resolve(inputRequired({ inputRequests: { ...batch.questions }, requestState }));
  releaseOverCap();
}

/** Past the cap, the calls that have waited longest are released first. */
function releaseOverCap(): void {
  const limit = settings.maxParked ?? 1000;
  for (const oldest of shared.parked.values()) {
    if (shared.parked.size <= limit) break;
    release(oldest, 'evicted');
  }
}

/**
 * Stops a call waiting: its ask throws, so its `finally` blocks run. An evicted or closed call's
 * state still replays from the top if it comes back; only a finished call's state is spent.
 */
function release(round: Round, reason: CallReleased['reason']): void {
  const held = round.held!;
  held.released ??= new CallReleased(reason);
  held.unwatch?.();
  const parked = unpark(round);
  if (!parked) return;
  shared.held.delete(held.id);
  parked.woken.reject(held.released);
}

/** Takes a waiting call off the waiting lists and stops its expiry; what it waited on is returned. */
function unpark(round: Round): Held['parked'] {
  const held = round.held!;
  const parked = held.parked;
  if (!parked) return undefined;
  held.parked = undefined;
  clearTimer(parked.timer);
  shared.parked.delete(held.id);
  if (held.connection) shared.connections.get(held.connection)?.delete(round);
  return parked;
}

/** The calls waiting on a server instance, released when it closes (chained onto its `onclose`). */
function watchConnection(server: object): Set<Round> {
  const waiting = shared.connections.get(server);
  if (waiting) return waiting;
  const watched = new Set<Round>();
  shared.connections.set(server, watched);
  const instance = server as { onclose?: (() => void) | undefined };
  const previous = instance.onclose;
  instance.onclose = () => {
    for (const round of [...watched]) release(round, 'connection closed');
    watched.clear();
    previous?.();
  };
  return watched;
}

/**
 * Forgets every waiting call without running any more of it, as a restart would: their states
 * then replay from the top (or are refused, with `whenGone: 'refuse'`). For tests of that path.
 */
export function forgetHeldCalls(): void {
  for (const round of [...shared.parked.values()]) unpark(round);
  shared.held.clear();
  shared.finished.clear();
}

/** How many calls wait in this process, and how many finished calls' states are remembered as spent. */
export function heldCalls(): {
  readonly parked: number;
  readonly finished: number;
} {
  sweepFinished();
  return { parked: shared.parked.size, finished: shared.finished.size };
}

function sweepFinished(): void {
  const at = now();
  for (const [id, expires] of shared.finished) {
    if (expires > at) break;
    shared.finished.delete(id);
  }
}

// Timers, clocks and random ids through globalThis: the module builds with no DOM or Node types.
interface Host {
  setTimeout(run: () => void, ms: number): { unref?: () => void } | number;
  clearTimeout(timer: unknown): void;
  crypto: {
    getRandomValues(bytes: Uint8Array): Uint8Array;
    subtle: {
      digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
    };
  };
  TextEncoder: new () => { encode(text: string): Uint8Array };
  AbortController: new () => { readonly signal: unknown };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
  btoa(binary: string): string;
  atob(text: string): string;
}
const host = globalThis as unknown as Host;

/** A macrotask later, in every host. */
function later(run: () => void): void {
  host.setTimeout(run, 0);
}

/** A timer that does not keep a process alive on its own. */
function setTimer(run: () => void, ms: number): unknown {
  const timer = host.setTimeout(run, ms);
  if (typeof timer === 'object') timer.unref?.();
  return timer;
}

function clearTimer(timer: unknown): void {
  host.clearTimeout(timer);
}

function now(): number {
  return Date.now();
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return host.btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomId(): string {
  return base64url(host.crypto.getRandomValues(new Uint8Array(16)));
}

/** The call a state belongs to: its handler, its arguments, its session and its authenticated client. */
async function callDigest(handler: string, call: unknown, ctx: ServerContext): Promise<string> {
  const text = `${handler}\0${stableJson(call)}\0${ctx.sessionId ?? ''}\0${ctx.http?.authInfo?.clientId ?? ''}`;
  const digest = await host.crypto.subtle.digest('SHA-256', new host.TextEncoder().encode(text));
  return base64url(new Uint8Array(digest).slice(0, 16));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const SERVED: Readonly<Record<string, string>> = {
  'tools/call': 'tool',
  'prompts/get': 'prompt',
  'resources/read': 'resource',
};

type Handler = (request: { params?: { name?: unknown; uri?: unknown; arguments?: unknown } }, ctx: unknown) => unknown;

/** Every handler of the methods that may return input_required gets a round, named for what it serves. */
function installRounds(prototype: object): void {
  roundHooks.context = () => rounds.getStore()?.ctx;
  roundHooks.nativeAnswer = answerInRound;
  if (shared.installed.has(prototype)) return;
  shared.installed.add(prototype);
  const target = prototype as {
    setRequestHandler: (this: unknown, ...args: unknown[]) => unknown;
  };
  const setRequestHandler = target.setRequestHandler;
  target.setRequestHandler = function (this: unknown, ...args: unknown[]) {
    const family = typeof args[0] === 'string' ? SERVED[args[0]] : undefined;
    const handler = args[1];
    const server = typeof this === 'object' && this !== null ? this : undefined;
    if (family && typeof handler === 'function') {
      const served: Handler = (request, ctx) => {
        const resource = family === 'resource';
        const name = resource ? request.params?.uri : request.params?.name;
        const call = resource ? request.params?.uri : request.params?.arguments;
        return inRound(`${family} ${String(name)}`, ctx, () => (handler as Handler)(request, ctx), { call, server });
      };
      args[1] = served;
    }
    return setRequestHandler.apply(this, args);
  };
}

installRounds(Server.prototype);
// Held asks wait in this process between rounds; a runtime cut down for native code has no such asks.
roundHooks.hold = holdOrResume;

/**
 * Kept for handlers migrated by earlier versions, which wrapped registrations in it. Handlers
 * served by an SDK server already run in a round; this opens one for a handler called directly.
 */
export function resumable<Args extends unknown[], Result>(
  handler: string,
  fn: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result | InputRequiredResult> {
  // Every handler signature ends with the request context.
  return async (...args: Args) =>
    (await inRound(handler, args[args.length - 1], () => fn(...args), {
      call: args.length > 1 ? args[0] : undefined,
      server: undefined,
    })) as Result | InputRequiredResult;
}

/**
 * What an ask did before the migration (`server.server.listRoots()`), run when no request is being
 * served: a 2025 session's push request from a timer or notification handler, or a test's stub.
 */
export type Outside<Params, Result> = (params: Params) => PromiseLike<Result>;

async function answerOrEnd(
  site: string,
  request: InputRequest,
  accept: (view: InputResponseView, key: string, answers: Record<string, unknown>) => unknown,
  outside: (() => PromiseLike<unknown>) | undefined,
): Promise<unknown> {
  const round = rounds.getStore();
  if (round?.stub?.push) return pushedAnswer(site, request, accept, round.stub.push);
  if (!round || (round.stub && outside)) {
    if (outside) return outside();
    throw new Error(
      `ask '${site}' ran outside any request: only a tools/call, prompts/get or resources/read ` +
        `handler of a server built with @modelcontextprotocol/server can ask the client`,
    );
  }
  const count = (round.reached.get(site) ?? 0) + 1;
  round.reached.set(site, count);
  const key = count === 1 ? site : `${site}#${count}`;
  round.answers ??= await collectedAnswers(round.ctx, round.handler);
  for (;;) {
    const answers = round.answers;
    const answer = accept(inputResponse(answers, key), key, answers);
    if (answer !== undefined) return answer;
    if (!round.held) return endOfRound(round, key, request);
    // Held: wait here for the retry, then look again (an answer that does not validate is asked for again).
    await park(round, key, request);
  }
}

/**
 * Replay: asks made together (`Promise.all` over a list) end the round together, so the client
 * gets all their questions at once; a lone ask ends it alone. Asks reached after the end are dropped.
 */
function endOfRound(round: Round, key: string, request: InputRequest): Promise<never> {
  if (!round.ending) {
    const questions: Record<string, InputRequest> = {};
    const ending: NonNullable<Round['ending']> = {
      questions,
      closed: false,
      // A macrotask later, so asks started together (Promise.all) have all been reached.
      end: new Promise<void>((resolve) => later(resolve)).then(async () => {
        ending.closed = true;
        // Without the SDK's context (a test calling the handler with a stub) there is no state to sign.
        const requestState = round.ctx ? await carryAnswers(round.answers ?? {}, round.ctx, round.handler) : undefined;
        round.ended = inputRequired({
          inputRequests: { ...questions },
          ...(requestState === undefined ? {} : { requestState }),
        });
        throw new RoundEnd(round.ended);
      }),
    };
    round.ending = ending;
  }
  if (!round.ending.closed) round.ending.questions[key] = request;
  return round.ending.end;
}

/**
 * What code really passes: the SDK's params, or JSON Schema from a generator (`zodToJsonSchema`,
 * `Record<string, unknown>`), sampling `metadata` and `tools`, content blocks with fields of their own.
 * The client checks the request it receives, as it did before the migration.
 */
export type ElicitParams = Omit<ElicitRequestFormParams, 'requestedSchema'> & {
  readonly requestedSchema: ElicitRequestFormParams['requestedSchema'] | Readonly<Record<string, unknown>>;
};

export type SamplingParams = Omit<CreateMessageRequestParams, 'messages' | 'metadata' | 'tools'> & {
  readonly messages: readonly {
    readonly role: 'user' | 'assistant';
    readonly content: object;
  }[];
  readonly metadata?: object;
  readonly tools?: readonly object[];
};

type Accept = (view: InputResponseView, key: string, answers: Record<string, unknown>) => unknown;

/** An elicitation answer, or undefined when the client sent none or accepted content the schema refuses. */
function elicitAccept(params: ElicitRequestFormParams): Accept {
  return (view, key, answers) => {
    if (view.kind !== 'elicit') return undefined;
    // The request's schema type is written with optional fields the validator's type does not spell out.
    const schema = fromJsonSchema(params.requestedSchema as Parameters<typeof fromJsonSchema>[0]);
    if (view.action === 'accept' && !acceptedContent(answers, key, schema)) return undefined;
    return { action: view.action, content: view.content };
  };
}

const urlAccept: Accept = (view) =>
  view.kind === 'elicit' ? { action: view.action, content: view.content } : undefined;
const samplingAccept: Accept = (view) => (view.kind === 'sampling' ? view.result : undefined);
const rootsAccept: Accept = (view) => (view.kind === 'roots' ? { roots: view.roots } : undefined);

/** `server.elicitInput(params)`, resumable: accepted content is validated as the SDK did. */
export async function askElicit(
  site: string,
  loose: ElicitParams,
  outside?: Outside<ElicitRequestFormParams, unknown>,
): Promise<ElicitResult> {
  const params = loose as ElicitRequestFormParams;
  return (await answerOrEnd(
    site,
    inputRequired.elicit(params),
    elicitAccept(params),
    outside && (() => outside(params)),
  )) as ElicitResult;
}

type UrlParams = Omit<ElicitRequestURLParams, 'elicitationId' | 'mode'> & {
  mode?: 'url';
  elicitationId?: string;
};

/** URL-mode `elicitInput`, resumable; 2026-07-28 has no elicitationId. */
export async function askUrl(
  site: string,
  params: UrlParams,
  outside?: Outside<ElicitRequestURLParams, unknown>,
): Promise<ElicitResult> {
  const { message, url } = params;
  return (await answerOrEnd(
    site,
    inputRequired.elicitUrl({ message, url }),
    urlAccept,
    outside && (() => outside({ ...params, mode: 'url' } as ElicitRequestURLParams)),
  )) as ElicitResult;
}

/** `server.createMessage(params)`, resumable. */
export async function askSampling(
  site: string,
  params: SamplingParams,
  outside?: Outside<CreateMessageRequestParams, unknown>,
): Promise<CreateMessageResult> {
  return (await answerOrEnd(
    site,
    inputRequired.createMessage(params as CreateMessageRequestParams),
    samplingAccept,
    outside && (() => outside(params as CreateMessageRequestParams)),
  )) as CreateMessageResult;
}

/** `server.listRoots()`, resumable. */
export async function askRoots(site: string, outside?: () => PromiseLike<unknown>): Promise<ListRootsResult> {
  return (await answerOrEnd(site, inputRequired.listRoots(), rootsAccept, outside)) as ListRootsResult;
}

// ---------------------------------------------------------------------------------------------
// Native asks in helpers: the helper is given the handler's context, reads its answer under its
// key, and when there is none returns the `inputRequired` result, which the callers return in turn
// (`if (isInputRequiredResult(answer)) return answer;`). Nothing is held between rounds, so any
// instance can serve the retry. With rounds installed, the answers of earlier rounds travel in the
// signed state, so a loop or a helper called twice asks once per pass. Without a context (a timer,
// a test calling the helper with a stub server) the helper asks as it did, through `outside`.

async function answerOrRequest(
  ctx: ServerContext | undefined,
  key: string,
  request: InputRequest,
  accept: Accept,
  outside: (() => PromiseLike<unknown>) | undefined,
): Promise<unknown> {
  // No context, or a test's stand-in for one (no request method): the helper pushes as it did.
  if (typeof ctx?.mcpReq?.method !== 'string') {
    if (outside) return outside();
    throw new Error(`ask '${key}' ran without the request's context: pass the handler's ctx to the helper`);
  }
  const carried = roundHooks.nativeAnswer?.(ctx, key, request, accept);
  const answered = carried ?? Promise.resolve(stateless(ctx, key, request, accept));
  const answer = await answered;
  if (isInputRequiredResult(answer)) askingClient.add(ctx);
  return answer;
}

function stateless(ctx: ServerContext, key: string, request: InputRequest, accept: Accept): unknown {
  const answers = ctx.mcpReq.inputResponses ?? {};
  const answer = accept(inputResponse(answers, key), key, answers);
  return answer !== undefined ? answer : inputRequired({ inputRequests: { [key]: request } });
}

/** Requests whose round ends with a request to the client: their `finally` blocks are not the call's end. */
const askingClient = new WeakSet<object>();

/**
 * Whether an ask of this request has returned its `inputRequired(...)`: the round ends there, and
 * the call goes on in the next one. Cleanup in a `finally` runs when it is false, once per call.
 */
export function isAskingClient(ctx: ServerContext | undefined): boolean {
  return ctx !== undefined && askingClient.has(ctx);
}

/**
 * With rounds installed, a native ask in a served request reads the answers of every earlier round,
 * carried in the signed state (bound to the call), under a key that counts how often it was reached:
 * a loop or a helper called twice asks once per pass, and any instance can serve the retry.
 */
function answerInRound(
  ctx: ServerContext,
  key: string,
  request: InputRequest,
  accept: Accept,
): Promise<unknown> | undefined {
  const round = roundOf(ctx);
  if (!round) return undefined;
  if (round.stub?.push) return pushedAnswer(key, request, accept, round.stub.push);
  const count = (round.reached.get(key) ?? 0) + 1;
  round.reached.set(key, count);
  const passKey = count === 1 ? key : `${key}#${count}`;
  return (async () => {
    const answers = (round.answers ??= await collectedAnswers(ctx, round.handler));
    const answer = accept(inputResponse(answers, passKey), passKey, answers);
    if (answer !== undefined) return answer;
    // Nothing answered yet travels only when `once` carries something (added as the result leaves the round).
    const requestState = Object.keys(answers).length > 0 ? await carryAnswers(answers, ctx, round.handler) : undefined;
    return inputRequired({
      inputRequests: { [passKey]: request },
      ...(requestState === undefined ? {} : { requestState }),
    });
  })();
}

/** `server.elicitInput(params)` in a helper: the answer, or the request to return for it. */
export async function elicitAnswer(
  ctx: ServerContext | undefined,
  key: string,
  loose: ElicitParams,
  outside?: Outside<ElicitRequestFormParams, unknown>,
): Promise<ElicitResult | InputRequiredResult> {
  const params = loose as ElicitRequestFormParams;
  const request = inputRequired.elicit(params);
  return (await answerOrRequest(ctx, key, request, elicitAccept(params), outside && (() => outside(params)))) as
    ElicitResult | InputRequiredResult;
}

/** URL-mode `elicitInput` in a helper. */
export async function urlAnswer(
  ctx: ServerContext | undefined,
  key: string,
  params: UrlParams,
  outside?: Outside<ElicitRequestURLParams, unknown>,
): Promise<ElicitResult | InputRequiredResult> {
  const request = inputRequired.elicitUrl({ message: params.message, url: params.url });
  const pushed = outside && (() => outside({ ...params, mode: 'url' } as ElicitRequestURLParams));
  return (await answerOrRequest(ctx, key, request, urlAccept, pushed)) as ElicitResult | InputRequiredResult;
}

/** `server.createMessage(params)` in a helper. */
export async function samplingAnswer(
  ctx: ServerContext | undefined,
  key: string,
  params: SamplingParams,
  outside?: Outside<CreateMessageRequestParams, unknown>,
): Promise<CreateMessageResult | InputRequiredResult> {
  const request = inputRequired.createMessage(params as CreateMessageRequestParams);
  const pushed = outside && (() => outside(params as CreateMessageRequestParams));
  return (await answerOrRequest(ctx, key, request, samplingAccept, pushed)) as
    CreateMessageResult | InputRequiredResult;
}

/** `server.listRoots()` in a helper. */
export async function rootsAnswer(
  ctx: ServerContext | undefined,
  key: string,
  outside?: () => PromiseLike<unknown>,
): Promise<ListRootsResult | InputRequiredResult> {
  return (await answerOrRequest(ctx, key, inputRequired.listRoots(), rootsAccept, outside)) as
    ListRootsResult | InputRequiredResult;
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
  const envelope = (ctx ?? roundHooks.context?.())?.mcpReq?.envelope as Record<string, unknown> | undefined;
  return (
    (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? connection?.getClientCapabilities()
  );
}

// ---------------------------------------------------------------------------------------------
// Tests written against SDK v1 call handlers with a stub of the request's `extra`
// (`{ sendRequest, sendNotification, signal, _meta, sessionId }`) and script what `sendRequest`
// answers. callWithV1Extra keeps those tests meaning what they meant: the handler gets the v2
// context made of the stub, and every question it returns is pushed through the stub's
// `sendRequest`, as it was before the migration, until the handler returns its result.

/** The `extra` an SDK v1 handler received, as tests stub it. */
export interface V1Extra {
  readonly sendRequest?: (request: { method: string; params?: object }, ...rest: unknown[]) => PromiseLike<unknown>;
  readonly sendNotification?: (notification: { method: string; params?: object }) => unknown;
  readonly signal?: unknown;
  readonly _meta?: Record<string, unknown>;
  readonly sessionId?: string;
  readonly requestId?: string | number;
  readonly authInfo?: NonNullable<ServerContext['http']>['authInfo'];
  readonly [member: string]: unknown;
}

/** A handler that keeps asking after this many answered rounds is taken to loop on the stub's answers. */
const STUB_ROUNDS = 32;

/**
 * What a test's stand-in for a v1 server's connection (`server.server`) answers with: its scripted
 * `elicitInput`, `createMessage` and `listRoots`, and the capabilities it says the client has.
 */
export interface V1StubConnection {
  readonly elicitInput?: (params: object, ...rest: unknown[]) => PromiseLike<unknown>;
  readonly createMessage?: (params: object, ...rest: unknown[]) => PromiseLike<unknown>;
  readonly listRoots?: (...rest: unknown[]) => PromiseLike<unknown>;
  readonly [member: string]: unknown;
}

/**
 * Runs `call` with the v2 context made of `extra`, a v1 `extra` stub, and plays the client: each
 * round's questions go to the stub's `sendRequest` (or, given a stub server's connection, to its
 * `elicitInput`, `createMessage` or `listRoots` first) and come back as `inputResponses`.
 */
export async function callWithV1Extra<Result>(
  extra: object,
  call: (ctx: ServerContext) => Result | Promise<Result>,
  connection?: V1StubConnection,
): Promise<Awaited<Result>> {
  const stub = extra as V1Extra;
  const push = stubPush(stub, connection);
  let inputResponses: Record<string, unknown> | undefined;
  let requestState: string | undefined;
  for (let round = 0; round < STUB_ROUNDS; round++) {
    const ctx = contextOfV1Extra(stub, inputResponses, requestState);
    const result = await replayRound('handler', ctx, () => call(ctx), undefined, { push });
    if (!isInputRequiredResult(result) || !push) return result as Awaited<Result>;
    const answers: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(result.inputRequests ?? {})) answers[key] = await push(request);
    inputResponses = answers;
    requestState = result.requestState;
  }
  throw new Error(
    `mrtr-migrate callWithV1Extra: the handler still asks after ${STUB_ROUNDS} rounds answered by the stub; ` +
      'check what the stub answers',
  );
}

/** How a question reaches the test's stub: the stub server's own ask method, else the extra's `sendRequest`. */
function stubPush(
  extra: V1Extra,
  connection: V1StubConnection | undefined,
): ((request: InputRequest) => Promise<unknown>) | undefined {
  const send = extra.sendRequest;
  const viaExtra = typeof send === 'function' ? (request: InputRequest) => pushThrough(send, request) : undefined;
  if (!connection) return viaExtra;
  // Each ask as the v1 method the handler called on `server.server`; `sendRequest` for the rest.
  const viaConnection: NonNullable<V1Extra['sendRequest']> = async (request, ...rest) => {
    const method = STUB_CONNECTION_METHODS[request.method];
    const ask = method ? connection[method] : undefined;
    if (typeof ask === 'function') {
      return method === 'listRoots'
        ? (ask as () => PromiseLike<unknown>).call(connection)
        : (ask as (params: unknown) => PromiseLike<unknown>).call(connection, request.params);
    }
    if (typeof send === 'function') return send(request, ...rest);
    throw new Error(
      `mrtr-migrate v1StubServer: the handler asks ${request.method}, and the test's stub server has no ` +
        `server.${method ?? request.method} and its extra no sendRequest`,
    );
  };
  return (request) => pushThrough(viaConnection, request);
}

const STUB_CONNECTION_METHODS: Record<string, 'elicitInput' | 'createMessage' | 'listRoots'> = {
  'elicitation/create': 'elicitInput',
  'sampling/createMessage': 'createMessage',
  'roots/list': 'listRoots',
};

type Registrar = (...args: unknown[]) => unknown;

/**
 * A test's stand-in for a v1 `McpServer` (`{ server: { elicitInput }, registerTool }`): the tool
 * handlers registered on it, called by the test with a v1 `extra` or none, are driven as
 * callWithV1Extra drives them, with the stub's `server.elicitInput`, `createMessage` and
 * `listRoots` answering, as they did before the migration. A stub with only v1's `tool` gets a
 * `registerTool` that hands `tool` the arguments v1 took. Mocks keep their recorded calls.
 */
export function v1StubServer<Stub extends object>(stub: Stub): Stub {
  const server = stub as Record<string, unknown>;
  const connection = (): V1StubConnection | undefined => {
    const member = server['server'];
    return typeof member === 'object' && member !== null ? (member as V1StubConnection) : undefined;
  };
  const register = server['registerTool'];
  if (typeof register === 'function') {
    server['registerTool'] = new Proxy(register as Registrar, {
      apply: (target, self, args: unknown[]) => Reflect.apply(target, self, drivenRegistration(args, connection)),
    });
  } else if (typeof server['tool'] === 'function') {
    const tool = server['tool'] as Registrar;
    server['registerTool'] = (...args: unknown[]) =>
      tool.apply(stub, v1ToolArguments(drivenRegistration(args, connection)));
  }
  return stub;
}

/** `registerTool(name, config, handler)`, the handler driven when the test calls it without a v2 context. */
function drivenRegistration(args: unknown[], connection: () => V1StubConnection | undefined): unknown[] {
  const [name, config, registered, ...rest] = args;
  if (typeof registered !== 'function') return args;
  const handler = registered as (...handlerArgs: unknown[]) => unknown;
  const takesArgs = (config as { inputSchema?: unknown } | undefined)?.inputSchema !== undefined;
  const drive = (extra: unknown, call: (ctx: unknown) => unknown) =>
    isServerContext(extra) ? call(extra) : callWithV1Extra(extra ?? {}, call, connection());
  const driven = takesArgs
    ? (toolArgs: unknown, extra?: unknown) => drive(extra, (ctx) => handler(toolArgs, ctx))
    : (extra?: unknown) => drive(extra, (ctx) => handler(ctx));
  return [name, config, driven, ...rest];
}

/** v1's `tool(name, description?, shape?, annotations?, handler)`, from `registerTool`'s config. */
function v1ToolArguments([name, config, handler]: unknown[]): unknown[] {
  const { description, inputSchema, annotations } = (config ?? {}) as {
    description?: string;
    inputSchema?: { shape?: unknown };
    annotations?: unknown;
  };
  // The upgrade wrapped v1's raw shape in z.object(...); v1's tool() took the shape itself.
  const shape = typeof inputSchema === 'object' && 'shape' in inputSchema ? inputSchema.shape : inputSchema;
  return [
    name,
    ...(description !== undefined ? [description] : []),
    ...(inputSchema !== undefined ? [shape] : []),
    ...(annotations !== undefined ? [annotations] : []),
    handler,
  ];
}

/** The v2 context a v1 handler's `extra` stands for; members the test added stay where they were. */
function contextOfV1Extra(
  extra: V1Extra,
  inputResponses: Record<string, unknown> | undefined,
  requestState: string | undefined,
): ServerContext {
  const unsupported = (what: string) => () => {
    throw new Error(`mrtr-migrate callWithV1Extra: the test's extra has no ${what}`);
  };
  const send = extra.sendRequest
    ? (request: { method: string; params?: object }, ...rest: unknown[]) => extra.sendRequest!(request, ...rest)
    : unsupported('sendRequest');
  const notify = async (notification: { method: string; params?: object }) => {
    await extra.sendNotification?.(notification);
  };
  const mcpReq = {
    id: extra.requestId ?? 0,
    method: 'tools/call',
    _meta: extra._meta,
    signal: extra.signal ?? new host.AbortController().signal,
    send,
    notify,
    log: (level: string, data: unknown, logger?: string) =>
      notify({
        method: 'notifications/message',
        params: { level, data, ...(logger ? { logger } : {}) },
      }),
    elicitInput: (params: object, ...rest: unknown[]) => send({ method: 'elicitation/create', params }, ...rest),
    requestSampling: (params: object, ...rest: unknown[]) =>
      send({ method: 'sampling/createMessage', params }, ...rest),
    ...(inputResponses ? { inputResponses } : {}),
    requestState: () => requestState,
  };
  return {
    ...extra,
    sessionId: extra.sessionId,
    mcpReq,
    ...(extra.authInfo ? { http: { authInfo: extra.authInfo } } : {}),
  } as unknown as ServerContext;
}

/** A question, sent as the push request it was before the migration; the stub's answer, as v1 took it. */
async function pushThrough(send: NonNullable<V1Extra['sendRequest']>, request: InputRequest): Promise<unknown> {
  const params = request.params as Record<string, unknown> | undefined;
  let sent = params;
  if (request.method === 'elicitation/create' && params) {
    // Form was the only mode before URL mode, and requests did not name it; URL mode carried an id.
    const { mode, ...rest } = params;
    sent = mode === 'url' ? { mode, ...rest, elicitationId: params['elicitationId'] ?? randomUuid() } : rest;
  }
  const schema = RESULT_SCHEMAS[request.method];
  const answer = await send({ method: request.method, ...(sent ? { params: sent } : {}) }, schema);
  // v1 took a stub's answer unchecked; 2026-07-28 tells a sampling result by its role.
  if (request.method === 'sampling/createMessage' && typeof answer === 'object' && answer && !('role' in answer)) {
    return { role: 'assistant', ...answer };
  }
  return answer;
}

const RESULT_SCHEMAS: Record<string, unknown> = {
  'elicitation/create': specTypeSchemas.ElicitResult,
  'sampling/createMessage': specTypeSchemas.CreateMessageResult,
  'roots/list': specTypeSchemas.ListRootsResult,
};

/** An ask reached while the stub plays the client: answered by the stub at once, as before the migration. */
async function pushedAnswer(
  site: string,
  request: InputRequest,
  accept: (view: InputResponseView, key: string, answers: Record<string, unknown>) => unknown,
  push: (request: InputRequest) => Promise<unknown>,
): Promise<unknown> {
  const answers = { [site]: await push(request) };
  const answer = accept(inputResponse(answers, site), site, answers);
  if (answer === undefined) {
    throw new Error(
      `mrtr-migrate callWithV1Extra: the stub's answer to ask '${site}' does not answer ${request.method}`,
    );
  }
  return answer;
}

function randomUuid(): string {
  const hex = [...host.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const variant = '89ab'.charAt(parseInt(hex.charAt(16), 16) & 3);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
