/**
 * The module mrtr-migrate copies into users' projects, against the real SDK: answers carried
 * across rounds, state signed and bound to its handler, the key failing closed.
 */
import { readFileSync } from 'node:fs';
import { inputRequired } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const KEY = 'k'.repeat(32);

function context(state: unknown, inputResponses?: Record<string, unknown>) {
  return { mcpReq: { requestState: () => state, inputResponses, method: 'tools/call' } } as never;
}

describe('mrtr-request-state runtime', () => {
  beforeEach(() => {
    vi.resetModules();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('carries answers from earlier rounds, this round winning, for the same handler only', async () => {
    vi.stubEnv('MCP_REQUEST_STATE_KEY', KEY);
    const runtime = await import('../src/runtime/mrtr-request-state.js');
    const first = { to: { action: 'accept', content: { to: 'Oslo' } } };
    const minted = await runtime.carryAnswers(first, context(undefined), 'tool book');
    expect(minted).toMatch(/^v1\./);
    const second = { date: { action: 'accept', content: { date: 'Monday' } } };
    expect(await runtime.collectedAnswers(context(minted, second), 'tool book')).toEqual({ ...first, ...second });
    expect(await runtime.collectedAnswers(context(minted, second), 'tool other')).toEqual(second);
    const verified = await runtime.verifyRequestState(minted, context(undefined));
    expect(await runtime.collectedAnswers(context(verified, second), 'tool book')).toEqual({ ...first, ...second });
  });

  it('rejects a tampered state', async () => {
    vi.stubEnv('MCP_REQUEST_STATE_KEY', KEY);
    const runtime = await import('../src/runtime/mrtr-request-state.js');
    const minted = await runtime.carryAnswers({ a: 1 }, context(undefined), 'tool book');
    const [version, payload, mac] = minted.split('.');
    const forged = Buffer.from(
      JSON.stringify({ p: { handler: 'tool book', answers: { a: 2 } }, exp: 9_999_999_999 }),
    ).toString('base64url');
    await expect(runtime.verifyRequestState(`${version}.${forged}.${mac}`, context(undefined))).rejects.toThrow();
    await expect(runtime.collectedAnswers(context(`${version}.${payload}.x${mac}`), 'tool book')).rejects.toThrow();
  });

  it('fails closed with a clear message when the key is missing or short', async () => {
    vi.stubEnv('MCP_REQUEST_STATE_KEY', '');
    const missing = await import('../src/runtime/mrtr-request-state.js');
    await expect(missing.carryAnswers({}, context(undefined), 'tool book')).rejects.toThrow(
      'MCP_REQUEST_STATE_KEY must be set to a secret of at least 32 bytes',
    );
    vi.resetModules();
    vi.stubEnv('MCP_REQUEST_STATE_KEY', 'short');
    const short = await import('../src/runtime/mrtr-request-state.js');
    await expect(short.verifyRequestState('v1.x.y', context(undefined))).rejects.toThrow('at least 32 bytes');
  });
});

describe('resumable asks', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('MCP_REQUEST_STATE_KEY', KEY);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const params = (text: string) => ({
    messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
    maxTokens: 10,
  });
  const sampled = (text: string) => ({ role: 'assistant', model: 'm', content: { type: 'text', text } });

  it('ends one round with every question of asks made together, and answers them all on the next', async () => {
    const { askSampling, resumable } = await import('../src/runtime/mrtr-request-state.js');
    const handler = resumable('tool batch', async (_args: { items: string[] }, _ctx: never) => {
      const results = await Promise.all(_args.items.map((item) => askSampling('summary', params(item))));
      return { text: results.map((r) => (r.content as { text: string }).text).join(',') };
    });
    const first = (await handler({ items: ['a', 'b', 'c'] }, context(undefined))) as {
      inputRequests: Record<string, { params: unknown }>;
      requestState: string;
    };
    expect(Object.keys(first.inputRequests)).toEqual(['summary', 'summary#2', 'summary#3']);
    expect(first.inputRequests['summary#2'].params).toEqual(params('b'));
    const answers = { summary: sampled('A'), 'summary#2': sampled('B'), 'summary#3': sampled('C') };
    expect(await handler({ items: ['a', 'b', 'c'] }, context(first.requestState, answers))).toEqual({ text: 'A,B,C' });
  });

  it('still asks one question at a time when each ask waits for the one before', async () => {
    const { askSampling, resumable } = await import('../src/runtime/mrtr-request-state.js');
    const handler = resumable('tool sequence', async (_ctx: never) => {
      const first = await askSampling('first', params('one'));
      const second = await askSampling('second', params(String((first.content as { text: string }).text)));
      return { text: (second.content as { text: string }).text };
    });
    const round1 = (await handler(context(undefined))) as {
      inputRequests: Record<string, unknown>;
      requestState: string;
    };
    expect(Object.keys(round1.inputRequests)).toEqual(['first']);
    const round2 = (await handler(context(round1.requestState, { first: sampled('ONE') }))) as {
      inputRequests: Record<string, { params: unknown }>;
      requestState: string;
    };
    expect(Object.keys(round2.inputRequests)).toEqual(['second']);
    expect(round2.inputRequests.second.params).toEqual(params('ONE'));
  });

  it('asks as the code was written where no request is served, and only there', async () => {
    const { askElicit, askRoots, resumable } = await import('../src/runtime/mrtr-request-state.js');
    const pushed: unknown[] = [];
    const push = async (asked: unknown) => {
      pushed.push(asked);
      return { action: 'accept', content: { ok: true } };
    };
    const question = { message: 'Go?', requestedSchema: { type: 'object' as const, properties: {} } };
    // A timer, a notification handler or a test calling the helper: the push request (or the stub) answers.
    expect(await askElicit('confirm', question, push)).toEqual({ action: 'accept', content: { ok: true } });
    expect(pushed).toEqual([question]);
    expect(await askRoots('sync', async () => ({ roots: [{ uri: 'file:///w' }] }))).toEqual({
      roots: [{ uri: 'file:///w' }],
    });
    await expect(askRoots('sync')).rejects.toThrow("ask 'sync' ran outside any request");
    // In a request, the round asks: the push request is never made.
    const handler = resumable('tool go', async (_ctx: never) => (await askElicit('confirm', question, push)).action);
    const round = (await handler(context(undefined))) as { inputRequests: Record<string, unknown> };
    expect(Object.keys(round.inputRequests)).toEqual(['confirm']);
    expect(pushed).toHaveLength(1);
  });
});

it('the fixtures use the module mrtr-migrate ships, unchanged', () => {
  const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');
  const copies = ['multi-round', 'steps', 'resumable'].map((folder) => `../fixtures/${folder}/mrtr-request-state.ts`);
  for (const copy of copies) expect(read(copy), copy).toBe(read('../src/runtime/mrtr-request-state.ts'));
});

describe('toolSteps runtime', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('MCP_REQUEST_STATE_KEY', KEY);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const ask = (key: string) =>
    inputRequired({
      inputRequests: {
        [key]: inputRequired.elicit({ message: `${key}?`, requestedSchema: { type: 'object', properties: {} } }),
      },
    });
  const accept = (key: string, value: unknown) => ({ [key]: { action: 'accept', content: { [key]: value } } });

  /** Two questions and an end step, recording every run of every step. */
  async function flow(runs: string[], handler = 'tool t') {
    const { toolSteps } = await import('../src/runtime/mrtr-steps.js');
    return (ctx: never) =>
      toolSteps<{ text: string }>(ctx, handler)
        .incompleteStep('a', async (step) => {
          runs.push('a');
          const answer = step.answers.a as { content?: { a: string } } | undefined;
          if (!answer) return ask('a');
          const seen: string[] = [answer.content!.a];
          return step.next({ seen });
        })
        .incompleteStep('b', async (step, { seen }) => {
          runs.push('b');
          seen.push('changed before asking');
          const answer = step.answers.b as { content?: { b: string } } | undefined;
          if (!answer) return ask('b');
          return step.next({ seen: [...seen, answer.content!.b] });
        })
        .endStep(async ({ seen }) => {
          runs.push('end');
          return { text: seen.join('/') };
        });
  }

  it('skips finished steps, hands values on, and runs the end step once', async () => {
    const runs: string[] = [];
    const run = await flow(runs);
    const first = (await run(context(undefined))) as { requestState: string };
    expect(first).toMatchObject(ask('a'));
    const second = (await run(context(first.requestState, accept('a', 'x')))) as { requestState: string };
    expect(second).toMatchObject(ask('b'));
    const done = await run(context(second.requestState, accept('b', 'y')));
    expect(done).toEqual({ text: 'x/changed before asking/y' });
    // `a` ran in rounds 1 and 2 only; `b` ran twice; the end step once.
    expect(runs).toEqual(['a', 'a', 'b', 'b', 'end']);
  });

  it('gives an unfinished step what was handed on, not what its last run changed', async () => {
    const runs: string[] = [];
    const run = await flow(runs);
    const first = (await run(context(undefined))) as { requestState: string };
    const second = (await run(context(first.requestState, accept('a', 'x')))) as { requestState: string };
    // Round 3 without an answer asks again; the array it changed is not in the state it asks with.
    const again = (await run(context(second.requestState))) as { requestState: string };
    expect(await run(context(again.requestState, accept('b', 'y')))).toEqual({ text: 'x/changed before asking/y' });
  });

  it('ignores state minted for another handler, and refuses a forged one', async () => {
    const run = await flow([]);
    const first = (await run(context(undefined))) as { requestState: string };
    const second = (await run(context(first.requestState, accept('a', 'x')))) as { requestState: string };
    const other = await flow([], 'tool other');
    expect(await other(context(second.requestState))).toMatchObject(ask('a'));
    const [version, , mac] = second.requestState.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        p: { handler: 'tool t', answers: {}, steps: { done: ['a', 'b'], carried: { seen: ['forged'] } } },
        exp: 9_999_999_999,
      }),
    ).toString('base64url');
    await expect(run(context(`${version}.${forged}.${mac}`))).rejects.toThrow();
  });

  it('refuses to hand on what JSON cannot carry, naming the step and the value', async () => {
    const { toolSteps } = await import('../src/runtime/mrtr-steps.js');
    const run = toolSteps<{ text: string }>(context(undefined), 'tool t')
      .incompleteStep('a', async (step) => step.next({ when: { at: new Date(0) } }))
      .endStep(() => ({ text: 'never' }));
    await expect(run).rejects.toThrow(
      "tool t: step 'a' hands on 'when'.at, a Date, which requestState cannot carry as JSON",
    );
  });

  it('fails closed with the promised message when a step asks without a key', async () => {
    vi.stubEnv('MCP_REQUEST_STATE_KEY', 'short');
    const run = await flow([]);
    await expect(run(context(undefined))).rejects.toThrow(
      'MCP_REQUEST_STATE_KEY must be set to a secret of at least 32 bytes',
    );
  });

  it('lets a step end the call with its own result', async () => {
    const { toolSteps } = await import('../src/runtime/mrtr-steps.js');
    const ended: string[] = [];
    const result = await toolSteps<{ text: string }>(context(undefined), 'tool t')
      .incompleteStep('a', async () => ({ text: 'declined' }))
      .incompleteStep('b', async (step) => {
        ended.push('b');
        return step.next();
      })
      .endStep(() => ({ text: 'end' }));
    expect(result).toEqual({ text: 'declined' });
    expect(ended).toEqual([]);
  });
});
