/**
 * Native asks reached more than once in a call (a loop over items, a helper called twice), against
 * the real SDK: each pass asks under a key of its own, the answers of earlier rounds travel in the
 * signed requestState, effects between the asks run once through `onceEffect`, and nothing is held.
 */
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { CallToolResultSchema } from '@modelcontextprotocol/core';
import {
  createMcpHandler,
  isInputRequiredResult,
  McpServer,
  type ServerContext,
  type InputRequiredResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configureRequestState,
  elicitAnswer,
  forgetHeldCalls,
  heldCalls,
  onceEffect,
  verifyRequestState,
} from '../src/runtime/mrtr-request-state.js';

process.env.MCP_REQUEST_STATE_KEY ??= 'mrtr-harness-request-state-key-0123456789';

const yes = { type: 'object' as const, properties: { ok: { type: 'boolean' as const } }, required: ['ok'] };

async function approve(message: string, ctx?: ServerContext): Promise<boolean | InputRequiredResult> {
  const answer = await elicitAnswer(ctx, 'approve', { message, requestedSchema: yes });
  if (isInputRequiredResult(answer)) return answer;
  return answer.action === 'accept' && answer.content?.ok === true;
}

function createServer(written: string[]) {
  const server = new McpServer({ name: 'native', version: '1.0.0' }, { requestState: { verify: verifyRequestState } });
  server.registerTool('archive', { inputSchema: z.object({ ids: z.array(z.string()) }) }, async ({ ids }, ctx) => {
    const archived: string[] = [];
    for (const id of ids) {
      const approved = await approve(`Archive ${id}?`, ctx);
      if (isInputRequiredResult(approved)) return approved;
      if (approved) {
        await onceEffect(ctx, 'write', () => void written.push(id));
        archived.push(id);
      }
    }
    return { content: [{ type: 'text', text: archived.join(',') || 'none' }] };
  });
  server.registerTool('rename', { inputSchema: z.object({ file: z.string() }) }, async ({ file }, ctx) => {
    const first = await approve(`Rename ${file}?`, ctx);
    if (isInputRequiredResult(first)) return first;
    if (!first) return { content: [{ type: 'text', text: 'kept' }] };
    await onceEffect(ctx, 'backup', () => void written.push(`backup ${file}`));
    const second = await approve(`Overwrite the backup of ${file}?`, ctx);
    if (isInputRequiredResult(second)) return second;
    return { content: [{ type: 'text', text: second ? 'renamed, backup overwritten' : 'renamed' }] };
  });
  return server;
}

/** Two instances behind one address, taking the rounds of a call in turn. */
function twoInstances(written: string[]) {
  const instances = [
    createMcpHandler(async () => createServer(written)),
    createMcpHandler(async () => createServer(written)),
  ];
  let next = 0;
  const served: number[] = [];
  const transport = new StreamableHTTPClientTransport(new URL('http://native.invalid/mcp'), {
    fetch: (url, init) => {
      const index = next++ % 2;
      served.push(index);
      return instances[index].fetch(new Request(url, init));
    },
  });
  return { transport, served, close: () => Promise.all(instances.map((i) => i.close())) };
}

function client(answers: (message: string) => boolean) {
  const c = new Client(
    { name: 'native', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const questions: string[] = [];
  c.setRequestHandler('elicitation/create', async (request) => {
    questions.push(request.params.message);
    expect(heldCalls().parked).toBe(0);
    return { action: 'accept', content: { ok: answers(request.params.message) } } as never;
  });
  return { c, questions };
}

afterEach(() => {
  configureRequestState({ maxParked: 1000 });
  forgetHeldCalls();
});

describe('a native ask outside a served request', () => {
  it("pushes through the call it keeps, for a test's stand-in context or none", async () => {
    const pushed: string[] = [];
    const outside = async (params: { message: string }) => {
      pushed.push(params.message);
      return { action: 'accept' as const, content: { ok: true } };
    };
    const stub = { mcpReq: { elicitInput: outside } } as unknown as ServerContext;
    const params = { message: 'Go?', requestedSchema: yes };
    expect(await elicitAnswer(stub, 'go', params, outside)).toEqual({ action: 'accept', content: { ok: true } });
    expect(await elicitAnswer(undefined, 'go', params, outside)).toEqual({ action: 'accept', content: { ok: true } });
    expect(pushed).toEqual(['Go?', 'Go?']);
    await expect(elicitAnswer(undefined, 'go', params)).rejects.toThrow(/without the request's context/);
  });
});

describe('native asks reached more than once', () => {
  it('ask once per pass of a loop, and run what lies between once, on two instances', async () => {
    const written: string[] = [];
    const serving = twoInstances(written);
    const { c, questions } = client((message) => message !== 'Archive b?');
    await c.connect(serving.transport);
    const result = await c.callTool({ name: 'archive', arguments: { ids: ['a', 'b', 'c'] } });
    expect(result.content).toEqual([{ type: 'text', text: 'a,c' }]);
    expect(questions).toEqual(['Archive a?', 'Archive b?', 'Archive c?']);
    expect(written).toEqual(['a', 'c']);
    expect(new Set(serving.served)).toEqual(new Set([0, 1]));
    await c.close();
    await serving.close();
  });

  it('ask twice through one helper, the second question after the first answer', async () => {
    const written: string[] = [];
    const serving = twoInstances(written);
    const { c, questions } = client(() => true);
    await c.connect(serving.transport);
    const result = await c.callTool({ name: 'rename', arguments: { file: 'notes.md' } });
    expect(result.content).toEqual([{ type: 'text', text: 'renamed, backup overwritten' }]);
    expect(questions).toEqual(['Rename notes.md?', 'Overwrite the backup of notes.md?']);
    expect(written).toEqual(['backup notes.md']);
    await c.close();
    await serving.close();
  });

  it('refuses answers carried for another call', async () => {
    const serving = twoInstances([]);
    const { c } = client(() => true);
    await c.connect(serving.transport);
    const call = (params: Record<string, unknown>) =>
      c.request(
        { method: 'tools/call', params: { name: 'archive', ...params } },
        withInputRequired(CallToolResultSchema),
        {
          allowInputRequired: true,
        },
      ) as Promise<{ requestState?: string; inputRequests?: Record<string, unknown> }>;
    const accept = { action: 'accept', content: { ok: true } };
    const first = await call({ arguments: { ids: ['a', 'b'] } });
    expect(Object.keys(first.inputRequests ?? {})).toEqual(['approve']);
    const second = await call({ arguments: { ids: ['a', 'b'] }, inputResponses: { approve: accept } });
    expect(Object.keys(second.inputRequests ?? {})).toEqual(['approve#2']);
    expect(second.requestState).toBeDefined();
    await expect(
      call({
        arguments: { ids: ['x', 'y'] },
        inputResponses: { 'approve#2': accept },
        requestState: second.requestState,
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('another call') });
    await c.close();
    await serving.close();
  });
});
