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

describe('v1StubServer', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('MCP_REQUEST_STATE_KEY', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  /** A migrated tool: guard-first on its own ask, and a held ask in a helper with its v1 call outside. */
  async function registerRename(server: { registerTool: (...args: unknown[]) => unknown }) {
    const { askSampling } = await import('../src/runtime/mrtr-request-state.js');
    const connection = (server as unknown as { server: { createMessage: (p: object) => Promise<unknown> } }).server;
    const shorten = (name: string) =>
      askSampling(
        'shorten',
        { messages: [{ role: 'user', content: { type: 'text', text: name } }], maxTokens: 5 },
        (params) => connection.createMessage(params),
      );
    server.registerTool(
      'rename',
      { description: 'Rename', inputSchema: { shape: {} } },
      async (args: { from: string }, ctx: ServerContext) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'to');
        if (answer.kind !== 'elicit') {
          return inputRequired({
            inputRequests: {
              to: inputRequired.elicit({ message: `New name for ${args.from}?`, requestedSchema: schema }),
            },
          });
        }
        if (answer.action !== 'accept') return { content: [{ type: 'text', text: 'skipped' }] };
        const short = await shorten(String(answer.content?.['city']));
        return { content: [{ type: 'text', text: (short.content as { text: string }).text }] };
      },
    );
  }

  it("answers a registered handler's questions with the stub server's mocks, which keep their calls", async () => {
    const { v1StubServer } = await import('../src/runtime/mrtr-request-state.js');
    const elicitInput = vi.fn(async () => ({ action: 'accept', content: { city: 'Bergen' } }));
    const createMessage = vi.fn(async () => ({ model: 'm', content: { type: 'text', text: 'BGO' } }));
    const registerTool = vi.fn();
    const server = v1StubServer({ server: { elicitInput, createMessage }, registerTool });
    await registerRename(server);
    // The test reaches the handler through the mock, as it did, and calls it with no v2 context.
    expect(server.registerTool).toHaveBeenCalledWith('rename', expect.anything(), expect.any(Function));
    const handler = registerTool.mock.calls[0]?.[2] as (args: object, extra?: object) => Promise<unknown>;
    expect(await handler({ from: 'api' }, {})).toEqual({ content: [{ type: 'text', text: 'BGO' }] });
    expect(elicitInput).toHaveBeenCalledExactlyOnceWith({ message: 'New name for api?', requestedSchema: schema });
    expect(createMessage).toHaveBeenCalledOnce();
    elicitInput.mockResolvedValueOnce({ action: 'decline' } as never);
    expect(await handler({ from: 'web' })).toEqual({ content: [{ type: 'text', text: 'skipped' }] });
  });

  it('gives a stub with only v1 tool() a registerTool that hands tool() what v1 took', async () => {
    const { v1StubServer } = await import('../src/runtime/mrtr-request-state.js');
    const tool = vi.fn();
    const elicitInput = vi.fn(async () => ({ action: 'decline' }));
    const server = v1StubServer({ server: { elicitInput, createMessage: vi.fn() }, tool });
    await registerRename(server as unknown as { registerTool: (...args: unknown[]) => unknown });
    expect(tool).toHaveBeenCalledWith('rename', 'Rename', {}, expect.any(Function));
    const handler = tool.mock.calls[0]?.[3] as (args: object, extra: object) => Promise<unknown>;
    expect(await handler({ from: 'api' }, { sessionId: 's' })).toEqual({
      content: [{ type: 'text', text: 'skipped' }],
    });
  });

  it('says which stub member is missing when the handler asks what the stub cannot answer', async () => {
    const { v1StubServer } = await import('../src/runtime/mrtr-request-state.js');
    const registerTool = vi.fn();
    const server = v1StubServer({ server: { createMessage: vi.fn() }, registerTool });
    await registerRename(server);
    const handler = registerTool.mock.calls[0]?.[2] as (args: object, extra: object) => Promise<unknown>;
    await expect(handler({ from: 'api' }, {})).rejects.toThrow(
      'has no server.elicitInput and its extra no sendRequest',
    );
  });
});
