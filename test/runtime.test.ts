/**
 * The module mrtr-migrate copies into users' projects, against the real SDK: answers carried
 * across rounds, state signed and bound to its handler, the key failing closed.
 */
import { readFileSync } from 'node:fs';
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
    const forged = Buffer.from(JSON.stringify({ p: { handler: 'tool book', answers: { a: 2 } }, exp: 9_999_999_999 })).toString('base64url');
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

it('the fixtures use the module mrtr-migrate ships, unchanged', () => {
  const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');
  expect(read('../fixtures/guard-first/mrtr-request-state.ts')).toBe(read('../src/runtime/mrtr-request-state.ts'));
});
