/**
 * The round the runtime installs on the SDK's Server, against the real SDK and a real client:
 * every handler it serves may ask through a helper, however it was registered; a handler called
 * outside the SDK keeps working; copies of the module share one round; a handler that never asks
 * never reads the state.
 */
import { McpServer, Server } from '@modelcontextprotocol/server';
import { describe, expect, it, vi } from 'vitest';
import { runCase, type Era } from './harness/run-cases.js';

const runtime = await import('../src/runtime/mrtr-request-state.js');

const confirm = async (message: string) => {
  const answer = await runtime.askElicit('confirm', {
    message,
    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
  });
  return answer.action === 'accept' && answer.content?.ok === true;
};

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
const eras: Era[] = ['2026-07-28', '2026-07-28-stdio', '2025-legacy-shim'];
const yes = [{ elicit: { action: 'accept' as const, content: { ok: true } } }];

describe.each(eras)('a helper asks from any handler the server serves (%s)', (era) => {
  it('registered by a method taken as a value', async () => {
    const createServer = () => {
      const server = new McpServer({ name: 'bound', version: '1.0.0' });
      const register = server.registerTool.bind(server);
      register('go', {}, async () => text((await confirm('Go?')) ? 'went' : 'stayed'));
      return server;
    };
    const seen = await runCase({ createServer }, era, { tool: 'go' }, yes);
    expect(seen.outcome).toEqual({ result: { content: [{ type: 'text', text: 'went' }] } });
    expect(seen.questions.map((q) => q.method)).toEqual(['elicitation/create']);
  });

  it('dispatched from a low-level tools/call handler through a table', async () => {
    const table: Record<string, () => Promise<ReturnType<typeof text>>> = {
      wipe: async () => text((await confirm('Wipe?')) ? 'wiped' : 'kept'),
    };
    const createServer = () => {
      const server = new Server({ name: 'table', version: '1.0.0' }, { capabilities: { tools: {} } });
      server.setRequestHandler('tools/list', () => ({ tools: [{ name: 'wipe', inputSchema: { type: 'object' } }] }));
      server.setRequestHandler('tools/call', (request) => table[request.params.name]());
      return server;
    };
    const seen = await runCase({ createServer }, era, { tool: 'wipe' }, [{ elicit: { action: 'decline' } }]);
    expect(seen.outcome).toEqual({ result: { content: [{ type: 'text', text: 'kept' }] } });
  });
});

describe('outside the SDK', () => {
  it('a handler called with a stub context runs as before until it asks, then ends the round', async () => {
    const handler = async (args: { force?: boolean }, _ctx: unknown) => {
      if (!args.force) return text('nothing to do');
      return text((await confirm('Sure?')) ? 'done' : 'kept');
    };
    // What a unit test does: call the handler itself, with whatever context it has.
    expect(await handler({}, {})).toEqual(text('nothing to do'));
    const wrapped = runtime.resumable('tool t', handler);
    const ended = await wrapped({ force: true }, {});
    expect(ended).toMatchObject({
      resultType: 'input_required',
      inputRequests: { confirm: { method: 'elicitation/create' } },
    });
    expect(ended).not.toHaveProperty('requestState');
    await expect(handler({ force: true }, {})).rejects.toThrow("ask 'confirm' ran outside any request");
  });

  it('collectedAnswers and clientCapabilities take a context without mcpReq', async () => {
    expect(await runtime.collectedAnswers({} as never, 'tool t')).toEqual({});
    expect(runtime.clientCapabilities(undefined, {} as never)).toBeUndefined();
  });
});

describe('one round for the whole process', () => {
  it('a second copy of the module asks within the round the first one opened', async () => {
    vi.resetModules();
    const copy = await import('../src/runtime/mrtr-request-state.js');
    expect(copy).not.toBe(runtime);
    const createServer = () => {
      const server = new McpServer({ name: 'copies', version: '1.0.0' });
      server.registerTool('go', {}, async () => {
        const answer = await copy.askElicit('copy', {
          message: 'Go?',
          requestedSchema: { type: 'object', properties: {} },
        });
        return text(answer.action);
      });
      return server;
    };
    const seen = await runCase({ createServer }, '2026-07-28', { tool: 'go' }, [{ elicit: { action: 'decline' } }]);
    expect(seen.outcome).toEqual({ result: { content: [{ type: 'text', text: 'decline' }] } });
  });

  it('a handler that never asks is given a state of its own untouched; one that asks reads it', async () => {
    const context = (state?: string) => ({ mcpReq: { requestState: vi.fn(() => state), inputResponses: {} } });
    // Another codec's state, and no key to verify with: the runtime neither checks nor refuses it.
    const quiet = context('v1.eyJwIjp7Im93biI6dHJ1ZX19.bWFj');
    expect(
      await runtime.resumable('tool quiet', async (_args: unknown, ctx: typeof quiet) =>
        text(String(ctx.mcpReq.requestState())),
      )({}, quiet),
    ).toEqual(text('v1.eyJwIjp7Im93biI6dHJ1ZX19.bWFj'));
    const asking = context();
    vi.stubEnv('MCP_REQUEST_STATE_KEY', 'k'.repeat(32));
    await runtime.resumable('tool asking', async (_args: unknown, _ctx: unknown) =>
      text(String(await confirm('Sure?'))),
    )({}, asking);
    vi.unstubAllEnvs();
    expect(asking.mcpReq.requestState).toHaveBeenCalled();
  });
});
