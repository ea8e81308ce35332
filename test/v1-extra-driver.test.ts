/**
 * callWithV1Extra, the runtime's driver for tests written against SDK v1: a migrated handler called
 * with a v1 `extra` stub gets the v2 context made of it, and its questions are answered by the
 * stub's sendRequest, as push requests were, with no signing key set.
 */
import { acceptedContent, inputRequired, inputResponse, type ServerContext } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const schema = {
  type: 'object' as const,
  properties: { city: { type: 'string' as const } },
  required: ['city'],
};

describe('callWithV1Extra', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('MCP_REQUEST_STATE_KEY', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('answers a guard-first handler round by round through the stub, carrying signed state', async () => {
    const { callWithV1Extra, carryAnswers, collectedAnswers } = await import('../src/runtime/mrtr-request-state.js');
    // Two dependent questions: the first answer travels to the third round in requestState.
    const book = async (args: { nights: number }, ctx: ServerContext) => {
      const answers = await collectedAnswers(ctx, 'tool book');
      const city = acceptedContent<{ city: string }>(answers, 'city');
      if (!city) {
        return inputRequired({
          inputRequests: {
            city: inputRequired.elicit({
              message: 'Where?',
              requestedSchema: schema,
            }),
          },
        });
      }
      const confirm = inputResponse(answers, 'confirm');
      if (confirm.kind !== 'elicit') {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: `${city.city}?`,
              requestedSchema: { type: 'object', properties: {} },
            }),
          },
          requestState: await carryAnswers(answers, ctx, 'tool book'),
        });
      }
      return {
        content: [
          {
            type: 'text',
            text: `${confirm.action} ${city.city} x${args.nights}`,
          },
        ],
      };
    };
    const sendRequest = vi
      .fn()
      .mockResolvedValueOnce({ action: 'accept', content: { city: 'Oslo' } })
      .mockResolvedValueOnce({ action: 'decline' });
    const result = await callWithV1Extra({ sendRequest }, (ctx) => book({ nights: 2 }, ctx));
    expect(result).toEqual({
      content: [{ type: 'text', text: 'decline Oslo x2' }],
    });
    // Sent as the v1 code sent it: form mode unnamed, a result schema second.
    expect(sendRequest).toHaveBeenNthCalledWith(
      1,
      {
        method: 'elicitation/create',
        params: { message: 'Where?', requestedSchema: schema },
      },
      expect.anything(),
    );
    expect(sendRequest).toHaveBeenCalledTimes(2);
  });

  it('answers asks reached in helpers at once, so code before them runs once', async () => {
    const { callWithV1Extra, askSampling, askUrl } = await import('../src/runtime/mrtr-request-state.js');
    const effects: string[] = [];
    const summarize = async (text: string) =>
      askSampling('summary', {
        messages: [{ role: 'user', content: { type: 'text', text } }],
        maxTokens: 50,
      });
    const handler = async (args: { text: string }, _ctx: ServerContext) => {
      effects.push('before');
      const summary = await summarize(args.text);
      const sso = await askUrl('sso', {
        message: 'Sign in',
        url: 'https://example.com/sso',
      });
      return {
        content: [
          {
            type: 'text',
            text: `${(summary.content as { text: string }).text} ${sso.action}`,
          },
        ],
      };
    };
    const sendRequest = vi.fn(async (request: { method: string }) =>
      // A stub answering without a role, which v1 took unchecked.
      request.method === 'sampling/createMessage'
        ? { model: 'm', content: { type: 'text', text: 'short' } }
        : { action: 'accept' },
    );
    expect(await callWithV1Extra({ sendRequest }, (ctx) => handler({ text: 'long' }, ctx))).toEqual({
      content: [{ type: 'text', text: 'short accept' }],
    });
    expect(effects).toEqual(['before']);
    const urlRequest = sendRequest.mock.calls[1]?.[0] as unknown as {
      params: Record<string, unknown>;
    };
    expect(urlRequest.params).toMatchObject({
      mode: 'url',
      url: 'https://example.com/sso',
    });
    expect(urlRequest.params.elicitationId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('gives a handler that never asks the v2 context of the stub: signal, notifications, session, meta', async () => {
    const { callWithV1Extra } = await import('../src/runtime/mrtr-request-state.js');
    const controller = new AbortController();
    const sendNotification = vi.fn();
    const handler = async (ctx: ServerContext) => {
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progress: 1, progressToken: 't' },
      });
      return {
        aborted: ctx.mcpReq.signal.aborted,
        session: ctx.sessionId,
        meta: ctx.mcpReq._meta,
      };
    };
    controller.abort();
    const result = await callWithV1Extra(
      {
        signal: controller.signal,
        sendNotification,
        sessionId: 's-1',
        _meta: { progressToken: 't' },
      },
      handler,
    );
    expect(result).toEqual({
      aborted: true,
      session: 's-1',
      meta: { progressToken: 't' },
    });
    expect(sendNotification).toHaveBeenCalledWith({
      method: 'notifications/progress',
      params: { progress: 1, progressToken: 't' },
    });
  });

  it('returns the question when the stub cannot answer, and stops a handler that asks forever', async () => {
    const { callWithV1Extra } = await import('../src/runtime/mrtr-request-state.js');
    const asks = async (_ctx: ServerContext) => inputRequired({ inputRequests: { again: inputRequired.listRoots() } });
    expect(await callWithV1Extra({}, asks)).toMatchObject({
      resultType: 'input_required',
    });
    const sendRequest = vi.fn(async () => ({ roots: [] }));
    await expect(callWithV1Extra({ sendRequest }, asks)).rejects.toThrow('still asks after 32 rounds');
  });
});
