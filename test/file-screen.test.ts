/** Screening files through one reused buffer: what passes keeps bytes of its own, whatever its size. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { screenFile } from '../src/engine/file-screen.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-screen-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};
const screen = /elicitInput/;

it('tells passed, screened-out and unreadable files apart', () => {
  expect(screenFile(file('plain.ts', 'export const a = 1;\n'), screen)).toEqual({ kind: 'screened-out' });
  expect(screenFile(path.join(dir, 'missing.ts'), screen)).toEqual({ kind: 'unreadable' });
  const passed = screenFile(file('asks.ts', 'await server.server.elicitInput({});\n'), screen);
  expect(passed.kind === 'passed' && passed.bytes.toString('utf8')).toBe('await server.server.elicitInput({});\n');
});

it('hands out a copy, not the buffer the next file is read into', () => {
  const first = screenFile(file('first.ts', '// é\nelicitInput();\n'), screen);
  screenFile(file('second.ts', 'x'.repeat(100) + '\n'), screen);
  expect(first.kind === 'passed' && first.bytes.toString('utf8')).toBe('// é\nelicitInput();\n');
});

it('reads a file larger than the buffer whole, needle at the end included', () => {
  const big = `${'// filler line of a generated file\n'.repeat(90_000)}await server.server.elicitInput({});\n`;
  const passed = screenFile(file('big.ts', big), screen);
  expect(passed.kind).toBe('passed');
  expect(passed.kind === 'passed' && passed.bytes.length).toBe(Buffer.byteLength(big));
  const again = screenFile(file('big-plain.ts', '// filler\n'.repeat(400_000)), screen);
  expect(again).toEqual({ kind: 'screened-out' });
});
