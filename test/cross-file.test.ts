/**
 * A handler in one file asking through a helper in another, migrated together by the real CLI,
 * then run through the behaviour harness on every era from the migrated copy.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { caseLine, checkScenario } from './harness/check.js';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, read, write } from './helpers/project.js';

it('migrates a handler and its helper in another file, and behaves the same on every era', async () => {
  const before = copyProject('cross-file');
  const after = copyProject('cross-file');
  // The copies resolve the SDK packages from this repository's node_modules.
  for (const dir of [before, after])
    symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
  const run = await cli(after, 'src');
  expect(run.code).toBe(0);
  // Registrations stay as written: loading the runtime gives every handler of the server a round.
  expect(read(after, 'src/server.ts')).not.toContain('resumable(');
  expect(read(after, 'src/server.ts')).toContain('{ requestState: { verify: verifyRequestState } }');
  expect(run.stdout).not.toContain('mrtr/helper-unreached');
  // Asked once per id in the handler's loop: each pass asks under its own key, the answers carried.
  expect(read(after, 'src/confirm.ts')).toMatch(/await elicitAnswer\(\s*ctx,\s*'confirmWithUser',/);
  expect(read(after, 'src/confirm.ts')).toContain(
    'if (!clientCapabilities(server.server, ctx)?.elicitation) return false;',
  );
  expect(read(after, 'src/confirm.ts')).not.toContain('isRoundEnd');
  expect(read(after, 'src/mrtr-request-state.ts').length).toBeGreaterThan(0);

  // A handler function exported from its own file: its ask is rewritten there, its registration left here.
  expect(read(after, 'src/server.ts')).toContain(
    "server.registerTool('rename', { inputSchema: z.object({ name: z.string() }) }, handleRename);",
  );
  expect(read(after, 'src/rename.ts')).toMatch(/const answer = await askElicit\(\s*'handleRename',/);
  // The report says who reaches each helper, across files.
  const report = JSON.parse((await cli(before, '--dry-run', '--json', 'src')).stdout);
  const reach = report.diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'mrtr/resumable-helper');
  expect(reach.map((d: { file: string; message: string }) => `${d.file}: ${d.message}`)).toEqual([
    'src/rename.ts: the elicitation request in `handleRename` is now a resumable ask, reached from ' +
      'tool rename → handleRename; it stays held, not native: code outside the files it was read with calls it',
  ]);

  const reports = [];
  for (const scenario of ['scenario.ts', 'scenario-rename.ts']) {
    reports.push(
      ...(await checkScenario({
        name: scenario,
        before: path.join(before, 'src/server.ts'),
        after: path.join(after, 'src/server.ts'),
        scenario: path.join(FIXTURES, 'projects', 'cross-file', scenario),
      })),
    );
  }
  expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
  expect(reports).toHaveLength(15);
});

it('serves handlers registered through a project function in another file, equivalent on every era', async () => {
  const before = copyProject('forwarded-cross-file');
  const after = copyProject('forwarded-cross-file');
  for (const dir of [before, after])
    symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
  const run = await cli(after, 'src');
  expect(run.code).toBe(0);
  // The registration helper is left as it is; the server that its tools are registered on loads the runtime.
  expect(read(after, 'src/register.ts')).toBe(
    read(before, 'src/register.ts').replace('@modelcontextprotocol/sdk/server/mcp.js', '@modelcontextprotocol/server'),
  );
  expect(read(after, 'src/confirm.ts')).toMatch(/await askElicit\(\s*'confirm',/);
  expect(read(after, 'src/server.ts')).toContain('{ requestState: { verify: verifyRequestState } }');

  const reports = await checkScenario({
    name: 'scenario.ts',
    before: path.join(before, 'src/server.ts'),
    after: path.join(after, 'src/server.ts'),
    scenario: path.join(FIXTURES, 'projects', 'forwarded-cross-file', 'scenario.ts'),
  });
  expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
  expect(reports).toHaveLength(6);
});

it('follows require() into a CommonJS helper, and the migrated server behaves the same on every era', async () => {
  const before = copyProject('cross-file-cjs');
  const after = copyProject('cross-file-cjs');
  for (const dir of [before, after])
    symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
  const run = await cli(after, 'src');
  expect(run.code).toBe(0);
  expect(read(after, 'src/server.cjs')).toContain(
    "server.registerTool('wipe', { description: 'Wipe the cache after confirmation' }, async (ctx) => {",
  );
  expect(read(after, 'src/confirm.cjs')).toContain("const { elicitAnswer } = require('./mrtr-request-state.cjs');");
  // The helper is given the handler's context already: it asks with it, and its callers pass nothing more.
  expect(read(after, 'src/confirm.cjs')).toContain('async function confirmAction(ctx, message) {');
  expect(read(after, 'src/confirm.cjs')).toMatch(/await elicitAnswer\(\s*ctx,\s*'confirmAction',/);
  expect(read(after, 'src/server.cjs')).toContain("await confirmAction(ctx, 'Wipe the cache?');");
  // The call the helper keeps for outside a request, handed to a required elicitAnswer, is not an ask left over.
  const review = await cli(after, 'review', 'src');
  expect(review.stdout).toMatch(/nothing left to migrate/);
  expect(review.code).toBe(0);

  const reports = await checkScenario({
    name: 'scenario.ts',
    before: path.join(before, 'src/server.cjs'),
    after: path.join(after, 'src/server.cjs'),
    scenario: path.join(FIXTURES, 'projects', 'cross-file-cjs', 'scenario.ts'),
  });
  expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
  expect(reports.length).toBeGreaterThanOrEqual(9);
});

it('holds back the asks of a run whose CommonJS server loads SDK v1 with require(), and says why once', async () => {
  const dir = copyProject('commonjs-v1');
  const helperBefore = read(dir, 'src/confirm.cjs');
  const first = await cli(dir, 'src');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(
    /src\/server\.cjs:2:23 {2}mrtr\/commonjs-v1-require {2}this file loads SDK v1 with require\(\)/,
  );
  // Neither the server's handler nor the helper it requires is rewritten: their server stays on v1.
  expect(read(dir, 'src/confirm.cjs')).toBe(helperBefore);
  expect(read(dir, 'src/server.cjs')).toContain(
    "server.registerTool('wipe', { description: 'Wipe the cache after confirmation' }, async () => {",
  );
  expect(read(dir, 'src/server.cjs').match(/@mrtr-migrate mrtr\/commonjs-v1-require/g)).toHaveLength(1);
  const second = await cli(dir, 'src');
  expect(read(dir, 'src/server.cjs').match(/@mrtr-migrate mrtr\/commonjs-v1-require/g)).toHaveLength(1);
  expect(second.code).toBe(0);
});

/** A server built in one file, its tool registered by a function of another. */
function writeDocsServer(dir: string): void {
  write(
    dir,
    'src/server.ts',
    [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { registerPublish } from './tools/publish.js';",
      '',
      'export function createServer() {',
      "  const server = new McpServer({ name: 'docs', version: '1.0.0' });",
      '  registerPublish(server);',
      '  return server;',
      '}',
      '',
    ].join('\n'),
  );
}

it('raises no unwired state in a tool file when the server built in another file gets the hook', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-wired-'));
  writeDocsServer(dir);
  write(
    dir,
    'src/tools/publish.ts',
    [
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      '',
      // One question per title, in a loop: the answers travel in state, so the server needs the hook.
      'async function confirmPublish(server: McpServer, titles: string[]): Promise<boolean> {',
      '  for (const title of titles) {',
      '    const answer = await server.server.elicitInput({',
      '      message: `Publish ${title}?`,',
      "      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },",
      '    });',
      "    if (answer.action !== 'accept' || answer.content?.ok !== true) return false;",
      '  }',
      '  return true;',
      '}',
      '',
      'export function registerPublish(server: McpServer) {',
      "  server.registerTool('publish', {}, async () => {",
      "    if (!(await confirmPublish(server, ['the handbook']))) {",
      "      return { content: [{ type: 'text', text: 'Kept as draft.' }] };",
      '    }',
      "    return { content: [{ type: 'text', text: 'Published.' }] };",
      '  });',
      '}',
      '',
    ].join('\n'),
  );
  const run = await cli(dir, '--dry-run', '--json', 'src');
  const report = JSON.parse(run.stdout) as {
    diagnostics: { ruleId: string }[];
    files: { path: string; output?: string }[];
  };
  expect(report.diagnostics.map((d) => d.ruleId)).not.toContain('mrtr/request-state-unwired');
  const written = await cli(dir, 'src');
  expect(written.code).toBe(0);
  expect(read(dir, 'src/server.ts')).toContain('{ requestState: { verify: verifyRequestState } }');
  expect(read(dir, 'src/tools/publish.ts')).toMatch(/await elicitAnswer\(\s*ctx,\s*'confirmPublish',/);
  rmSync(dir, { recursive: true, force: true });
});

it('wires no verify hook for a helper that returns its request: nothing travels between rounds', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-native-'));
  writeDocsServer(dir);
  write(
    dir,
    'src/tools/publish.ts',
    [
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      '',
      'async function confirmPublish(server: McpServer, title: string): Promise<boolean> {',
      '  const answer = await server.server.elicitInput({',
      '    message: `Publish ${title}?`,',
      "    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },",
      '  });',
      "  return answer.action === 'accept' && answer.content?.ok === true;",
      '}',
      '',
      'export function registerPublish(server: McpServer) {',
      "  server.registerTool('publish', {}, async () => {",
      "    if (!(await confirmPublish(server, 'the handbook'))) {",
      "      return { content: [{ type: 'text', text: 'Kept as draft.' }] };",
      '    }',
      "    return { content: [{ type: 'text', text: 'Published.' }] };",
      '  });',
      '}',
      '',
    ].join('\n'),
  );
  expect((await cli(dir, 'src')).code).toBe(0);
  expect(read(dir, 'src/server.ts')).not.toContain('verifyRequestState');
  const tool = read(dir, 'src/tools/publish.ts');
  expect(tool).toMatch(/await elicitAnswer\(\s*ctx,\s*'confirmPublish',/);
  expect(tool).toContain("const confirmPublishResult = await confirmPublish(server, 'the handbook', ctx);");
  expect(tool).toContain('if (isInputRequiredResult(confirmPublishResult)) return confirmPublishResult;');
  rmSync(dir, { recursive: true, force: true });
});

// The function between the handler and the helper sits in a file the run does not look at again.
it('keeps a helper held when a function between it and the handler lives in a third file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-third-file-'));
  write(
    dir,
    'src/confirm.ts',
    [
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      '',
      'export async function confirm(server: McpServer, message: string): Promise<boolean> {',
      "  const requestedSchema = { type: 'object' as const, properties: {} };",
      '  const answer = await server.server.elicitInput({ message, requestedSchema });',
      "  return answer.action === 'accept';",
      '}',
      '',
    ].join('\n'),
  );
  // No ask and no registration of its own: the run upgrades its import and never looks at it again.
  write(
    dir,
    'src/policy.ts',
    [
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { confirm } from './confirm.js';",
      '',
      'export async function allowed(server: McpServer, what: string): Promise<boolean> {',
      "  if (what.startsWith('tmp-')) return true;",
      '  return confirm(server, `Remove ${what}?`);',
      '}',
      '',
    ].join('\n'),
  );
  write(
    dir,
    'src/server.ts',
    [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { z } from 'zod';",
      "import { allowed } from './policy.js';",
      '',
      'export function createServer() {',
      "  const server = new McpServer({ name: 'files', version: '1.0.0' });",
      "  server.registerTool('remove', { inputSchema: { what: z.string() } }, async ({ what }) => {",
      "    if (!(await allowed(server, what))) return { content: [{ type: 'text', text: 'Kept.' }] };",
      "    return { content: [{ type: 'text', text: 'Removed.' }] };",
      '  });',
      '  return server;',
      '}',
      '',
    ].join('\n'),
  );
  expect((await cli(dir, '--no-typecheck', 'src')).code).toBe(0);
  expect(read(dir, 'src/confirm.ts')).toMatch(/await askElicit\(\s*'confirm',/);
  expect(read(dir, 'src/policy.ts')).not.toContain('ctx');
  expect(read(dir, 'src/server.ts')).not.toContain('isInputRequiredResult');
  rmSync(dir, { recursive: true, force: true });
});
