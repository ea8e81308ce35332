/**
 * The runtime files the codemod writes into users' projects type-check under the strictest
 * settings real projects use, for an ES2020 lib; without Node's types they need only
 * `node:async_hooks` (AsyncLocalStorage: @types/node, or a Worker's nodejs_compat types).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { shakeRuntime } from '../transforms/handlers/runtime-shake.js';
import { STRICT_PROFILE } from './helpers/typecheck.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = ['mrtr-request-state.ts', 'mrtr-steps.ts'].map((f) => path.join(root, 'src/runtime', f));

const STRICTEST: ts.CompilerOptions = {
  ...STRICT_PROFILE,
  target: ts.ScriptTarget.ES2020,
  lib: ['lib.es2020.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noEmit: true,
  skipLibCheck: true,
};

function diagnostics(options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(files, { ...options, typeRoots: [path.join(root, 'node_modules/@types')] });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${path.basename(d.file?.fileName ?? '?')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

it('type-checks under the strictest profile, for an ES2020 lib', () => {
  expect(diagnostics({ ...STRICTEST, types: ['node'] })).toEqual([]);
});

it('without Node types, needs only node:async_hooks', () => {
  expect(diagnostics({ ...STRICTEST, types: [] })).toEqual([
    "mrtr-request-state.ts: Cannot find module 'node:async_hooks' or its corresponding type declarations.",
  ]);
});

it('ask helpers accept the params real code passes, and keep their result types', () => {
  mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(root, 'node_modules/.cache/runtime-compile-'));
  try {
    cpSync(files[0], path.join(dir, 'mrtr-request-state.ts'));
    const snippet = path.join(dir, 'uses.ts');
    writeFileSync(
      snippet,
      [
        "import { askElicit, askSampling } from './mrtr-request-state.js';",
        '// What a JSON Schema generator returns, typed loosely.',
        'declare function zodToJsonSchema(schema: unknown): Record<string, unknown>;',
        'export async function uses(): Promise<string> {',
        "  const a = await askElicit('a', { message: 'm', requestedSchema: zodToJsonSchema({}) });",
        "  const b = await askElicit('b', { message: 'm', requestedSchema: { type: 'object', properties: " +
          "{ n: { type: 'number', 'x-order': 1 } } } });",
        "  const c = await askSampling('c', {",
        "    messages: [{ role: 'user', content: { type: 'text', text: 'hi', cacheHint: 'ephemeral' } }],",
        "    maxTokens: 5, metadata: { feature: 'naming' }, tools: [{ name: 't', inputSchema: { type: 'object' } }],",
        '  });',
        "  const action: 'accept' | 'decline' | 'cancel' = a.action;",
        '  return `${action}${b.action}${c.model}${c.role}`;',
        '}',
      ].join('\n'),
    );
    const program = ts.createProgram([snippet], {
      ...STRICTEST,
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules/@types')],
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${path.basename(d.file?.fileName ?? '?')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.each([
  ['native helpers only', ['elicitAnswer', 'samplingAnswer', 'rootsAnswer', 'urlAnswer', 'clientCapabilities'], false],
  ['once above a helper', ['elicitAnswer', 'once', 'verifyRequestState'], true],
  ['native loops and finally', ['elicitAnswer', 'onceEffect', 'isAskingClient', 'verifyRequestState'], true],
  ['held asks', ['askElicit', 'isRoundEnd', 'clientCapabilities', 'verifyRequestState'], true],
] as const)('cut down to what %s use, it still type-checks strictest', (_name, needs, withRounds) => {
  mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(root, 'node_modules/.cache/runtime-shake-'));
  try {
    const file = path.join(dir, 'mrtr-request-state.ts');
    const shaken = shakeRuntime(readFileSync(files[0], 'utf8'), new Set(needs), withRounds);
    writeFileSync(file, shaken);
    const exported = [...shaken.matchAll(/^export (?:async )?function (\w+)/gm)].map((m) => m[1]);
    // What is needed, and what it uses; with no rounds, exactly what is needed.
    if (withRounds) expect(exported).toEqual(expect.arrayContaining([...needs]));
    else expect(exported.sort()).toEqual([...needs].sort());
    // Native helpers keep nothing between rounds: no rounds, so no node:async_hooks either.
    expect(shaken.includes('node:async_hooks')).toBe(withRounds);
    // Only held asks make a call wait between rounds: native code with `once` replays every round.
    const holds = needs.some((name) => name.startsWith('ask'));
    expect(shaken.includes('roundHooks.hold = holdOrResume;')).toBe(holds);
    expect(/^function (start|resume|park)\b/m.test(shaken)).toBe(holds);
    const program = ts.createProgram([file], {
      ...STRICTEST,
      types: withRounds ? ['node'] : [],
      typeRoots: [path.join(root, 'node_modules/@types')],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual(
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
