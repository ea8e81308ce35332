/**
 * The planner's table, one row at a time: each case is the smallest handler that reaches the row,
 * and the decision it must get. A handler matching no earlier row falls through to multi-round.
 */
import { describe, expect, it } from 'vitest';
import { createProject } from '../src/engine/migrate-file.js';
import { findAskSites } from '../src/analysis/ask-sites.js';
import { EffectAnalyzer } from '../src/analysis/effects.js';
import { EffectConfig } from '../src/analysis/effect-config.js';
import { memoisedAnswers } from '../transforms/handlers/findings.js';
import { handlerLabel } from '../transforms/handlers/plan.js';
import { decide, type Decision } from '../transforms/planner.js';
import { chainsFrom } from '../transforms/resumable/reach.js';
import type { FlowStyle } from '../transforms/types.js';

const ask = (name: string, message = `'${name}?'`) =>
  `await server.server.elicitInput({ message: ${message}, ` +
  `requestedSchema: { type: 'object', properties: { ${name}: { type: 'string' } } } })`;

function decisionFor(body: string, params = '', style: FlowStyle = 'guard', prelude = ''): Decision {
  const text =
    `import { McpServer } from '@modelcontextprotocol/server';\n${prelude}\n` +
    `const server = new McpServer({ name: 's', version: '1.0.0' });\n` +
    `server.registerTool('t', {}, async (${params}) => {\n${body}\n});\n`;
  const sourceFile = createProject().createSourceFile('/virtual/planner.ts', text);
  const { sites } = findAskSites(sourceFile);
  const handler = sites.find((s) => s.handler)?.handler;
  if (!handler) throw new Error('the case has no handler that asks');
  return decide({
    handler,
    sites: sites.filter((s) => s.handler === handler),
    remembered: memoisedAnswers(sites).filter((d) => d.handler === handlerLabel(handler)),
    chains: () => chainsFrom(handler),
    effects: new EffectAnalyzer(new EffectConfig()),
    style,
  });
}

const summary = (d: Decision) => (d.strategy === 'left-unchanged' ? `left-unchanged: ${d.reason}` : d.strategy);

describe('the decision table', () => {
  it('leaves a handler whose answer outlives the call', () => {
    const body = `const r = ${ask('ok')};\nremembered = r.action === 'accept';\nreturn { content: [] };`;
    expect(summary(decisionFor(body, '', 'guard', 'let remembered = false;'))).toBe(
      'left-unchanged: the answer is remembered across calls',
    );
  });

  it('leaves a handler with an ask no strategy can take, naming its rule', () => {
    const decision = decisionFor(
      `items.forEach(async () => { ${ask('x')}; });\nreturn { content: [] };`,
      '',
      'guard',
      'const items = [1];',
    );
    expect(summary(decision)).toBe('left-unchanged: an ask in this handler sits where a guard cannot replace it');
    expect(decision.strategy === 'left-unchanged' && decision.diagnostics.map((d) => d.ruleId)).toEqual([
      'mrtr/ask-in-nested-function',
    ]);
  });

  it('makes a loop or a try block resumable', () => {
    expect(summary(decisionFor(`for (const n of [1, 2]) { ${ask('x')}; }\nreturn { content: [] };`))).toBe('resumable');
    expect(
      summary(decisionFor(`try { ${ask('x')}; } catch { return { content: [] }; }\nreturn { content: [] };`)),
    ).toBe('resumable');
  });

  it('makes a handler that also asks through a helper resumable', () => {
    const helper = `async function confirm() { return ${ask('sure')}; }`;
    expect(
      summary(decisionFor(`await confirm();\nconst r = ${ask('x')};\nreturn { content: [] };`, '', 'guard', helper)),
    ).toBe('resumable');
  });

  it('leaves a handler whose context is destructured', () => {
    expect(summary(decisionFor(`const r = ${ask('x')};\nreturn { content: [] };`, '{ mcpReq }'))).toBe(
      'left-unchanged: the handler context cannot be reached',
    );
  });

  it('puts asks that need no memory behind guards', () => {
    const one = decisionFor(`const r = ${ask('x')};\nreturn { content: [] };`);
    expect(one.strategy === 'guard-first' && one.groups.map((g) => g.length)).toEqual([1]);
    const shared = decisionFor(`const a = ${ask('a')};\nconst b = ${ask('b')};\nreturn { content: [] };`);
    expect(shared.strategy === 'guard-first' && shared.groups.map((g) => g.length)).toEqual([2]);
  });

  const dependent = [
    `const a = ${ask('a')};`,
    `const b = ${ask('b', '`After ${String(a.content?.a)}`')};`,
    'const done = 1;',
    'return { content: [] };',
  ].join('\n');

  it('splits dependent asks into steps under --style steps, or says why not', () => {
    expect(summary(decisionFor(dependent, '', 'steps'))).toBe('steps');
    const blocked = decisionFor(dependent.replace('const done = 1;', 'var done = 1;'), '', 'steps');
    expect(blocked.strategy === 'multi-round' && blocked.stepsNotApplied?.ruleId).toBe('mrtr/steps-not-applied');
  });

  it('carries dependent asks across rounds otherwise', () => {
    const decision = decisionFor(dependent);
    expect(decision.strategy === 'multi-round' && decision.stepsNotApplied).toBeUndefined();
    expect(summary(decision)).toBe('multi-round');
  });
});
