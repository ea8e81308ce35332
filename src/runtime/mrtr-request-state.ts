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
  readonly steps?: { readonly done: readonly string[]; readonly carried: Record<string, unknown> };
}

let codec: RequestStateCodec<CarriedAnswers> | undefined;
let configuredKey: string | undefined;

/** Where there is no environment to read the key from (a Worker's `env` binding): set it here, before serving. */
export function configureRequestState(options: { readonly key: string }): void {
  configuredKey = options.key;
  codec = undefined;
}

// Read through globalThis: the module builds without Node's types (a Workers project).
const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;

/** Fails closed: without a strong key no state is minted or accepted. */
function requestStateCodec(): RequestStateCodec<CarriedAnswers> {
  if (!codec) {
    const key = configuredKey ?? environment?.[REQUEST_STATE_KEY_VARIABLE];
    if (!key || utf8Length(key) < 32) {
      throw new Error(
        `${REQUEST_STATE_KEY_VARIABLE} must be set to a secret of at least 32 bytes: it signs the requestState ` +
          `that multi-round tools carry between rounds. Use the same value on every instance.`,
      );
    }
    codec = createRequestStateCodec<CarriedAnswers>({ key });
  }
  return codec;
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

/** The state this handler minted in an earlier round, verified; nothing on a first call or on a stub context. */
export async function carriedState(
  ctx: ServerContext | undefined,
  handler: string,
): Promise<CarriedAnswers | undefined> {
  if (typeof ctx?.mcpReq?.requestState !== 'function') return undefined;
  const carried = ctx.mcpReq.requestState<CarriedAnswers | string>();
  // Without the verify hook wired into the server options the raw string arrives: check it here.
  const state = typeof carried === 'string' ? await verifyRequestState(carried, ctx) : carried;
  return state && state.handler === handler ? state : undefined;
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
  return requestStateCodec().mint(state, ctx);
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
// Resumable asks, for code that asks from helpers, loops or try blocks. Loading this module
// gives every tools/call, prompts/get and resources/read handler a round, whichever way it was
// registered (registerTool, setRequestHandler, a dispatch table, a class framework on top of
// the SDK). Each ask returns the answer recorded in the signed state, or ends the round: the
// handler returns `inputRequired(...)` and the client calls again. The handler runs again from
// the top every round, so keys come from the ask's site and how many times it has been reached
// in this run, which is the same every round for the same answers.

interface Round {
  /** Undefined when the handler was called with something that is not the SDK's context (a test's stub). */
  readonly ctx: ServerContext | undefined;
  readonly handler: string;
  /** Read on the first ask: a handler that never asks never touches the state. */
  answers?: Record<string, unknown>;
  readonly reached: Map<string, number>;
  /** The questions of asks left unanswered so far, and the end of the round they all wait for. */
  ending?: { readonly questions: Record<string, InputRequest>; readonly end: Promise<never>; closed: boolean };
  /** The round's result once it ended, whatever the code between the ask and the round made of the throw. */
  ended?: InputRequiredResult;
}

// Shared by every copy of this module in the process (one per package of a monorepo), so a helper
// in one package asks within the round another package's copy opened.
const SHARED = Symbol.for('mrtr-migrate.rounds.v1');
const ROUND_END = Symbol.for('mrtr-migrate.round-end.v1');
type Shared = { rounds: AsyncLocalStorage<Round>; installed: WeakSet<object> };
const shared: Shared = ((globalThis as { [SHARED]?: Shared })[SHARED] ??= {
  rounds: new AsyncLocalStorage<Round>(),
  installed: new WeakSet(),
});
const rounds = shared.rounds;

/** Thrown by an ask whose answer is missing; the round it ends turns it into the handler's result. */
class RoundEnd extends Error {
  readonly [ROUND_END] = true;
  readonly result: InputRequiredResult;
  constructor(result: InputRequiredResult) {
    super('mrtr-migrate: this round ends here to ask the client (rethrow it from catch blocks)');
    this.result = result;
  }
}

/** For catch blocks around asks: `if (isRoundEnd(error)) throw error;` lets the round end pass. */
export function isRoundEnd(error: unknown): error is RoundEnd {
  return typeof error === 'object' && error !== null && (error as { [ROUND_END]?: unknown })[ROUND_END] === true;
}

export function isServerContext(value: unknown): value is ServerContext {
  const mcpReq = (value as { mcpReq?: unknown } | null | undefined)?.mcpReq;
  return typeof mcpReq === 'object' && mcpReq !== null;
}

/** Runs `fn` in a round of `handler`, unless one is already open for this request. */
async function inRound<Result>(
  handler: string,
  ctx: unknown,
  fn: () => Result | Promise<Result>,
): Promise<Result | InputRequiredResult> {
  const open = rounds.getStore();
  if (open && (open.ctx === ctx || !isServerContext(ctx))) return fn();
  const round: Round = { ctx: isServerContext(ctx) ? ctx : undefined, handler, reached: new Map() };
  try {
    const result = await rounds.run(round, fn);
    // McpServer turns a tool's throw into an error result: the round's end still wins.
    return round.ended ?? result;
  } catch (error) {
    if (round.ended) return round.ended;
    if (isRoundEnd(error)) return error.result;
    throw error;
  }
}

/** A macrotask later, in every host (typed through globalThis: no DOM or Node types needed). */
function later(run: () => void): void {
  (globalThis as unknown as { setTimeout(run: () => void, ms: number): unknown }).setTimeout(run, 0);
}

const SERVED: Readonly<Record<string, string>> = {
  'tools/call': 'tool',
  'prompts/get': 'prompt',
  'resources/read': 'resource',
};

type Handler = (request: { params?: { name?: unknown; uri?: unknown } }, ctx: unknown) => unknown;

/** Every handler of the methods that may return input_required gets a round, named for what it serves. */
function installRounds(prototype: object): void {
  if (shared.installed.has(prototype)) return;
  shared.installed.add(prototype);
  const target = prototype as { setRequestHandler: (this: unknown, ...args: unknown[]) => unknown };
  const setRequestHandler = target.setRequestHandler;
  target.setRequestHandler = function (this: unknown, ...args: unknown[]) {
    const family = typeof args[0] === 'string' ? SERVED[args[0]] : undefined;
    const handler = args[1];
    if (family && typeof handler === 'function') {
      const served: Handler = (request, ctx) => {
        const name = family === 'resource' ? request.params?.uri : request.params?.name;
        return inRound(`${family} ${String(name)}`, ctx, () => (handler as Handler)(request, ctx));
      };
      args[1] = served;
    }
    return setRequestHandler.apply(this, args);
  };
}

installRounds(Server.prototype);

/**
 * Kept for handlers migrated by earlier versions, which wrapped registrations in it. Handlers
 * served by an SDK server already run in a round; this opens one for a handler called directly.
 */
export function resumable<Args extends unknown[], Result>(
  handler: string,
  fn: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result | InputRequiredResult> {
  // Every handler signature ends with the request context.
  return async (...args: Args) => inRound(handler, args[args.length - 1], () => fn(...args));
}

function currentRound(site: string): Round {
  const round = rounds.getStore();
  if (!round)
    throw new Error(
      `ask '${site}' ran outside any request: only a tools/call, prompts/get or resources/read ` +
        `handler of a server built with @modelcontextprotocol/server can ask the client`,
    );
  return round;
}

async function answerOrEnd(
  site: string,
  request: InputRequest,
  accept: (view: InputResponseView, key: string, answers: Record<string, unknown>) => unknown,
): Promise<unknown> {
  const round = currentRound(site);
  const count = (round.reached.get(site) ?? 0) + 1;
  round.reached.set(site, count);
  const key = count === 1 ? site : `${site}#${count}`;
  const answers = (round.answers ??= await collectedAnswers(round.ctx, round.handler));
  const answer = accept(inputResponse(answers, key), key, answers);
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
  readonly messages: readonly { readonly role: 'user' | 'assistant'; readonly content: object }[];
  readonly metadata?: object;
  readonly tools?: readonly object[];
};

/** `server.elicitInput(params)`, resumable: accepted content is validated as the SDK did. */
export async function askElicit(site: string, loose: ElicitParams): Promise<ElicitResult> {
  const params = loose as ElicitRequestFormParams;
  return (await answerOrEnd(site, inputRequired.elicit(params), (view, key, answers) => {
    if (view.kind !== 'elicit') return undefined;
    // The request's schema type is written with optional fields the validator's type does not spell out.
    const schema = fromJsonSchema(params.requestedSchema as Parameters<typeof fromJsonSchema>[0]);
    if (view.action === 'accept' && !acceptedContent(answers, key, schema)) return undefined;
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
export async function askSampling(site: string, params: SamplingParams): Promise<CreateMessageResult> {
  return (await answerOrEnd(site, inputRequired.createMessage(params as CreateMessageRequestParams), (view) =>
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
  const envelope = (ctx ?? rounds.getStore()?.ctx)?.mcpReq?.envelope as Record<string, unknown> | undefined;
  return (
    (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? connection?.getClientCapabilities()
  );
}
