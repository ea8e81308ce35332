/**
 * Asks in parallel (`await Promise.all([ask(…), ask(…)])`): split into one awaited ask per name so
 * the one-round rewrite asks them in a single round, and left as written (flagged) whenever the
 * split could lose something or the handler would not be rewritten. The harness proves the
 * behaviour on the parallel-asks fixture; these pin the decisions.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';
import { DEFAULT_REWRITE_OPTIONS, type RewriteOptions } from '../transforms/types.js';
import { FIXTURES } from './helpers/fixtures.js';

const elicit = (name: string) =>
  `server.server.elicitInput({ message: '${name}?', requestedSchema: { type: 'object', properties: { ${name}: { ` +
  `type: 'boolean' } } } })`;

function handler(body: string): string {
  return `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export function createServer() {
  const server = new McpServer({ name: 's', version: '1.0.0' });
  server.registerTool('t', {}, async () => {
${body}
  });
  return server;
}
`;
}

async function migrate(body: string, rewrite: Partial<RewriteOptions> = {}) {
  const file = path.join(FIXTURES, 'guard-first', 'parallel-unit.ts');
  return migrateFile(createProject(), file, handler(body), {
    transforms,
    projectType: 'server',
    displayPath: 'parallel-unit.ts',
    rewrite: { ...DEFAULT_REWRITE_OPTIONS, ...rewrite },
  });
}

const flagged = (result: Awaited<ReturnType<typeof migrate>>) =>
  result.diagnostics.filter((d) => d.ruleId === 'mrtr/ask-not-awaited').length;

describe('asks in parallel', () => {
  it('become one round with a key per name', async () => {
    const result = await migrate(
      `    const [left, right] = await Promise.all([${elicit('left')}, ${elicit('right')}]);\n    return { ` +
        `content: [{ type: 'text' as const, text: String(left.action) + String(right.action) }] };`,
    );
    expect(result.handlers.map((h) => [h.strategy, h.keys])).toEqual([['one-round', ['left', 'right']]]);
    expect(result.output).not.toContain('Promise.all');
    expect(flagged(result)).toBe(0);
  });

  it('whose answers are not kept still ask, in one round', async () => {
    const result = await migrate(
      `    await Promise.all([${elicit('a')}, ${elicit('b')}]);\n    return { content: [] };`,
    );
    expect(result.handlers.map((h) => h.strategy)).toEqual(['one-round']);
    expect(result.handlers[0].keys).toHaveLength(2);
    expect(result.output).not.toContain('Promise.all');
  });

  it('split in a file without semicolons', async () => {
    const result = await migrate(
      `    const [a, b] = await Promise.all([${elicit('a')}, ${elicit('b')}])\n    return { content: [{ type: ` +
        `'text' as const, text: a.action + b.action }] }`,
    );
    expect(result.handlers.map((h) => h.strategy)).toEqual(['one-round']);
    expect(result.status).toBe('changed');
  });

  it.each([
    [
      'a comment between the asks',
      `const [a, b] = await Promise.all([${elicit('a')}, /* the second */ ${elicit('b')}]);`,
    ],
    [
      'an element that is not an ask',
      `const [a, b] = await Promise.all([${elicit('a')}, fetch('https://example.com')]);`,
    ],
    ['a default in the pattern', `const [a, b = null] = await Promise.all([${elicit('a')}, ${elicit('b')}]);`],
    ['a typed declaration', `const [a, b]: unknown[] = await Promise.all([${elicit('a')}, ${elicit('b')}]);`],
    ['Promise.allSettled', `const [a, b] = await Promise.allSettled([${elicit('a')}, ${elicit('b')}]);`],
  ])('are left as written, flagged, with %s', async (_, statement) => {
    const result = await migrate(
      `    ${statement}\n    return { content: [{ type: 'text' as const, text: String(a) + String(b) }] };`,
    );
    expect(result.output).toContain(statement);
    expect(flagged(result)).toBeGreaterThan(0);
  });

  it('are put back as written when the handler is then not rewritten', async () => {
    // An effect above the guard makes the rewrite "review"; --max-risk safe leaves such a handler unchanged.
    const statement = `const [a, b] = await Promise.all([${elicit('a')}, ${elicit('b')}]);`;
    const result = await migrate(
      `    await fetch('https://example.com/audit', { method: 'POST' });\n    ${statement}\n    return { ` +
        `content: [{ type: 'text' as const, text: a.action + b.action }] };`,
      { maxRisk: 'safe' },
    );
    expect(result.handlers.map((h) => h.strategy)).toEqual(['left-unchanged']);
    expect(result.output).toContain(statement);
    expect(flagged(result)).toBe(2);
  });
});

describe('asks mapped over a list', () => {
  const sample = (text: string) =>
    `server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: ${text} } }], ` +
    `maxTokens: 10 })`;
  const strategy = async (body: string) => (await migrate(body)).handlers.map((h) => h.strategy);

  it('become resumable asks when the handler awaits them all with Promise.all', async () => {
    expect(
      await strategy(
        `    const all = await Promise.all(['a', 'b'].map((item) => ${sample('item')}));\n    return { content: [] };`,
      ),
    ).toEqual(['resumable']);
    expect(
      await strategy(
        `    const all = await Promise.all(['a', 'b'].map(async (item) => { const r = await ${sample('item')}; ` +
          `return r.model; }));\n    return { content: [] };`,
      ),
    ).toEqual(['resumable']);
  });

  it('stay flagged when nothing waits for them, or a failure would be swallowed', async () => {
    for (const body of [
      // forEach drops the callbacks' promises: an ask ending the round would be an unhandled rejection.
      `    ['a', 'b'].forEach(async (item) => { await ${sample('item')}; });\n    return { content: [] };`,
      // allSettled turns the end of a round into a rejected entry the handler reads on.
      `    await Promise.allSettled(['a', 'b'].map((item) => ${sample('item')}));\n    return { content: [] };`,
      // The ask's promise is neither returned nor awaited in the callback.
      `    await Promise.all(['a', 'b'].map(async (item) => { void ${sample('item')}; }));\n    return { ` +
        `content: [] };`,
      // Promise.all's outcome goes on through .then, past what the handler awaits.
      `    return Promise.all(['a', 'b'].map(async (item) => (await ${sample('item')}).model)).then(() => ({ ` +
        `content: [] }));`,
      // The map is not what Promise.all awaits directly.
      `    const pending = ['a', 'b'].map((item) => ${sample('item')});\n    await Promise.all(pending);\n    ` +
        `return { content: [] };`,
    ]) {
      const result = await migrate(body);
      expect([body, result.handlers.map((h) => h.strategy)]).toEqual([body, ['left-unchanged']]);
      expect(result.diagnostics.map((d) => d.ruleId)).toContain('mrtr/ask-in-nested-function');
    }
  });
});
