/**
 * Written by mrtr-migrate; yours to keep and change (it is never overwritten once changed).
 *
 * Multi-round handlers carry the answers of earlier rounds in `requestState`, the only memory a
 * 2026-07-28 request has between rounds. The client echoes that state back, so it is signed
 * here (HMAC, not encrypted: never let a secret reach it) and checked before the handler runs.
 *
 * Set MCP_REQUEST_STATE_KEY to the same secret of at least 32 bytes on every instance.
 */
import { createRequestStateCodec, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';

export const REQUEST_STATE_KEY_VARIABLE = 'MCP_REQUEST_STATE_KEY';

interface CarriedAnswers {
  /** The handler the answers belong to: state minted for one tool is worth nothing to another. */
  readonly handler: string;
  readonly answers: Record<string, unknown>;
}

let codec: RequestStateCodec<CarriedAnswers> | undefined;

/** Fails closed: without a strong key no state is minted or accepted. */
function requestStateCodec(): RequestStateCodec<CarriedAnswers> {
  if (!codec) {
    const key = process.env[REQUEST_STATE_KEY_VARIABLE];
    if (!key || new TextEncoder().encode(key).length < 32) {
      throw new Error(
        `${REQUEST_STATE_KEY_VARIABLE} must be set to a secret of at least 32 bytes: it signs the requestState that multi-round tools carry between rounds. Use the same value on every instance.`,
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

/** This round's answers, over the answers carried from earlier rounds of the same handler. */
export async function collectedAnswers(ctx: ServerContext, handler: string): Promise<Record<string, unknown>> {
  const carried = ctx.mcpReq.requestState<CarriedAnswers | string>();
  // Without the verify hook wired into the server options the raw string arrives: check it here.
  const state = typeof carried === 'string' ? await verifyRequestState(carried, ctx) : carried;
  const earlier = state && state.handler === handler ? state.answers : {};
  return { ...earlier, ...ctx.mcpReq.inputResponses };
}

/** Signs the answers gathered so far, to send as `requestState` with the next question. */
export async function carryAnswers(answers: Record<string, unknown>, ctx: ServerContext, handler: string): Promise<string> {
  return requestStateCodec().mint({ handler, answers }, ctx);
}
