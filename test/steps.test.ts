/**
 * How `--style steps` splits a handler: which handlers keep the multi-round rewrite and why, and
 * what each step hands on. Behaviour is proven by the harness on the steps fixtures; these pin
 * the decisions on small handlers.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';
import { DEFAULT_REWRITE_OPTIONS } from '../transforms/types.js';
import { FIXTURES } from './helpers/fixtures.js';

/** An ask whose question depends on the answer before it, so the handler needs several rounds. */
const ask = (name: string, after?: string) =>
  `await server.server.elicitInput({ message: ` +
  `${after ? `\`\${String(${after}.content?.${after})} then ${name}?\`` : `'${name}?'`}, requestedSchema: { type: ` +
  `'object', properties: { ${name}: { type: 'string' } } } })`;

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

async function migrateSteps(body: string) {
  const file = path.join(FIXTURES, 'steps', 'steps-unit.ts');
  const rewrite = { ...DEFAULT_REWRITE_OPTIONS, style: 'steps' as const, runtimeDir: path.join(FIXTURES, 'steps') };
  return migrateFile(createProject(), file, handler(body), {
    transforms,
    projectType: 'server',
    displayPath: 'steps-unit.ts',
    rewrite,
    force: ['handlers'],
  });
}

describe('--style steps keeps the multi-round rewrite', () => {
  it.each([
    [
      'a function used by a later step',
      `const shout = (s: string) => s.toUpperCase();\nconst a = ${ask('a')};\nconst b = ` +
        `${ask('b', 'a')};\nreturn { content: [{ type: 'text' as const, text: shout(String(b.content?.b)) }] };`,
      '`shout` is used by a later step but cannot travel in requestState as JSON',
    ],
    [
      'a class instance used by a later step',
      `const seen = new Set<string>();\nconst a = ${ask('a')};\nconst b = ${ask('b', 'a')};\nreturn { content: ` +
        `[{ type: 'text' as const, text: String(seen.size) }] };`,
      '`seen` is used by a later step',
    ],
    [
      'a var',
      `var count = 0;\nconst a = ${ask('a')};\nconst b = ${ask('b', 'a')};\nreturn { content: [{ type: 'text' ` +
        `as const, text: String(count) }] };`,
      'a `var` declaration is visible across the whole handler',
    ],
    [
      'a type declared in the handler',
      `type Pick = string;\nconst a = ${ask('a')};\nconst b = ${ask('b', 'a')};\nconst p: Pick = ` +
        `String(b.content?.b);\nreturn { content: [{ type: 'text' as const, text: p }] };`,
      'the handler declares a type of its own',
    ],
    [
      'a last question that ends the handler',
      `const a = ${ask('a')};\nif (a.action === 'accept') {\n  const b = ${ask('b', 'a')};\n  return { content: ` +
        `[{ type: 'text' as const, text: String(b.content?.b) }] };\n}`,
      'the last question ends the handler',
    ],
  ])('for %s', async (_label, body, reason) => {
    const result = await migrateSteps(body);
    expect(result.handlers[0]?.strategy).toBe('multi-round');
    expect(result.diagnostics.find((d) => d.ruleId === 'mrtr/steps-not-applied')?.message).toContain(reason);
  });
});

describe('what a step hands on', () => {
  it('hands on what it declared or may have changed, and receives only what it uses', async () => {
    const result = await migrateSteps(
      [
        `const list: string[] = [];`,
        `const label = 'x';`,
        `const a = ${ask('a')};`,
        `const b = ${ask('b', 'a')};`,
        `list.push(String(b.content?.b));`,
        `const c = ${ask('c', 'b')};`,
        `return { content: [{ type: 'text' as const, text: label + list.join() + String(a.content?.a) + ` +
          `String(c.content?.c) }] };`,
      ].join('\n'),
    );
    expect(result.handlers[0]?.strategy).toBe('steps');
    const output = result.output;
    expect(output).toContain('return step.next({ list, label, a });');
    // Step b reads `a` and changes `list` (a method call on it), so it hands `list` on again with
    // its own answer; `a` and `label` stay in the state untouched.
    expect(output).toContain(".incompleteStep('b', async (step, { a, list }) => {");
    expect(output).toContain('return step.next({ list, b });');
    expect(output).toContain(".incompleteStep('c', async (step, { b }) => {");
    expect(output).toContain('.endStep(async ({ label, list, a, c }) => {');
  });
});
