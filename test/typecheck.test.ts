/**
 * The run type-checks what it writes with the project's own tsconfig, before and after: an error
 * only the output has is reported at error level where it is, marked in the code, and fails
 * `--check` and `review`; errors the project already had are not the run's, and are not said.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, git, read, write } from './helpers/project.js';

interface Report {
  diagnostics: { ruleId: string; severity: string; file: string; line: number; message: string }[];
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>, strict = true): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-typecheck-'));
  dirs.push(dir);
  symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
  write(
    dir,
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['src'],
    }),
  );
  write(dir, 'package.json', '{ "name": "checked", "type": "module" }\n');
  write(dir, '.gitignore', 'node_modules\n');
  for (const [file, text] of Object.entries(files)) write(dir, file, text);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'initial');
  return dir;
}

// A project's own forwarder typed with a v1 name the official transforms drop.
const forwarder = [
  "import { McpServer, type ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import type { ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js';",
  "import { z } from 'zod';",
  '',
  'export function createServer() {',
  "  const server = new McpServer({ name: 'notes', version: '1.0.0' });",
  '  function registerWriteTool<S extends ZodRawShapeCompat>(name: string, shape: S, cb: ToolCallback<S>) {',
  '    server.registerTool(name, { inputSchema: shape }, cb);',
  '  }',
  "  registerWriteTool('append', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text }] }));",
  '  return server;',
  '}',
  '',
].join('\n');

// A v1 type the official transforms drop with its import, which nothing here replaces.
const droppedType = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import type { ShapeOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';",
  "import { z } from 'zod';",
  '',
  'const noteShape = { text: z.string() };',
  'type Note = ShapeOutput<typeof noteShape>;',
  'const render = (note: Note) => `- ${note.text}`;',
  '',
  'export function createServer() {',
  "  const server = new McpServer({ name: 'notes', version: '1.0.0' });",
  "  server.registerTool('note', { inputSchema: noteShape }, async (note) => ({",
  "    content: [{ type: 'text', text: render(note) }],",
  '  }));',
  '  return server;',
  '}',
  '',
].join('\n');

it('reports a type error the migration brought, where it is, and marks it', async () => {
  const dir = project({ 'src/server.ts': droppedType });
  const report = JSON.parse((await cli(dir, '--dry-run', '--json', 'src')).stdout) as Report;
  const found = report.diagnostics.filter((d) => d.ruleId === 'mrtr/new-type-error');
  expect(found.length).toBeGreaterThan(0);
  expect(found.every((d) => d.severity === 'error' && d.file === 'src/server.ts')).toBe(true);
  expect(found.map((d) => d.message).join('\n')).toMatch(/TS\d+ after the migration, not before: /);
  expect((await cli(dir, '--check', 'src')).code).toBe(1);
  // Written, the marker stays in the code until someone deals with it, and review says so.
  expect((await cli(dir, 'src')).code).toBe(0);
  expect(read(dir, 'src/server.ts')).toContain('/* @mrtr-migrate mrtr/new-type-error: TS');
  expect((await cli(dir, 'review', 'src')).code).toBe(1);
});

it('says nothing of errors the project had before the run, and can be turned off', async () => {
  const broken = [
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    '',
    'export function createServer() {',
    "  const server = new McpServer({ name: 'notes', version: '1.0.0' });",
    "  const count: number = 'three';",
    "  server.registerTool('count', {}, async () => ({ content: [{ type: 'text', text: String(count) }] }));",
    '  return server;',
    '}',
    '',
  ].join('\n');
  const dir = project({ 'src/server.ts': broken });
  const report = JSON.parse((await cli(dir, '--dry-run', '--json', 'src')).stdout) as Report;
  expect(report.diagnostics.map((d) => d.ruleId)).not.toContain('mrtr/new-type-error');
  const withTypes = project({ 'src/server.ts': droppedType });
  const skipped = JSON.parse((await cli(withTypes, '--dry-run', '--json', '--no-typecheck', 'src')).stdout) as Report;
  expect(skipped.diagnostics.map((d) => d.ruleId)).not.toContain('mrtr/new-type-error');
});

it('types an added context parameter where the project checks loosely, so nothing new fails', async () => {
  const server = [
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    '',
    'export function createServer() {',
    "  const server = new McpServer({ name: 'notes', version: '1.0.0' });",
    "  server.tool('wipe', 'Wipe all notes', async () => {",
    '    const answer = await server.server.elicitInput({',
    "      message: 'Wipe every note?',",
    "      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },",
    '    });',
    "    if (answer.action !== 'accept') return { content: [{ type: 'text', text: 'Kept.' }] };",
    "    return { content: [{ type: 'text', text: 'Wiped.' }] };",
    '  });',
    '  return server;',
    '}',
    '',
  ].join('\n');
  const loose = project({ 'src/server.ts': server }, false);
  const report = JSON.parse((await cli(loose, '--dry-run', '--json', 'src')).stdout) as Report & { diff: string };
  expect(report.diagnostics.map((d) => d.ruleId)).not.toContain('mrtr/new-type-error');
  expect(report.diff).toContain(
    "server.registerTool('wipe', { description: 'Wipe all notes' }, async (ctx: ServerContext) => {",
  );
  // Under strict settings the registration types it, and nothing is added.
  const strict = project({ 'src/server.ts': server });
  const typed = JSON.parse((await cli(strict, '--dry-run', '--json', 'src')).stdout) as Report & { diff: string };
  expect(typed.diff).toContain("server.registerTool('wipe', { description: 'Wipe all notes' }, async (ctx) => {");
  expect(typed.diagnostics.map((d) => d.ruleId)).not.toContain('mrtr/new-type-error');
});

it('upgrades a forwarder generic over a v1 raw shape, so its handlers still fit', async () => {
  const dir = project({ 'src/server.ts': forwarder });
  const report = JSON.parse((await cli(dir, '--dry-run', '--json', 'src')).stdout) as Report & { diff: string };
  expect(report.diagnostics.map((d) => d.ruleId)).not.toContain('mrtr/new-type-error');
  expect(report.diff).toContain('function registerWriteTool<S extends z.ZodRawShape>(');
  expect(report.diff).toContain('cb: ToolCallback<z.ZodObject<S>>');
});
