/** The command-line contract: every flag and exit code, on temporary copies of a fixture project. */
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, git, read, write } from './helpers/project.js';

const CONFIRM_OUTPUT_LINE = "const result = inputResponse(ctx.mcpReq.inputResponses, 'confirm');";

describe('writing in place', () => {
  it('migrates a clean git repository, edits package.json minimally, and a second run changes nothing', async () => {
    const dir = copyProject('basic', { git: true });
    const run = await cli(dir, 'src');
    expect(run.code).toBe(0);
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
    expect(read(dir, 'package.json')).toBe(
      '{\n  "name": "basic-mcp-server",\n  "version": "1.0.0",\n  "type": "module",\n  "dependencies": {\n    "@modelcontextprotocol/sdk": "^1.32.0",\n    "@modelcontextprotocol/server": "^2.4.0",\n    "zod": "^4.2.0"\n  }\n}\n',
    );
    // The helper's ask goes through the runtime module, written once beside the package's sources.
    expect(read(dir, 'src/helper.ts')).toContain("resumable('tool drop-table', async ({ table }) => {");
    expect(read(dir, 'src/helper.ts')).toContain("await askElicit('confirmAction', {");
    expect(read(dir, 'src/mrtr-request-state.ts')).toBe(read(path.join(FIXTURES, '..'), 'src/runtime/mrtr-request-state.ts'));
    expect(run.stdout).toMatch(/3 files scanned, 2 changed, 0 errored; 2 handlers rewritten, 0 left unchanged \(1 review, 1 safe\); 0 flags/);

    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'migrated');
    const again = await cli(dir, 'src');
    expect(again.code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses a dirty tree and lists the files, unless --allow-dirty', async () => {
    const dir = copyProject('basic', { git: true });
    write(dir, 'src/deploy.ts', `${read(dir, 'src/deploy.ts')}\n// local edit\n`);
    const before = read(dir, 'src/deploy.ts');
    const refused = await cli(dir, 'src');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(refused.stderr).toContain('src/deploy.ts');
    expect(read(dir, 'src/deploy.ts')).toBe(before);

    const allowed = await cli(dir, '--allow-dirty', 'src');
    expect(allowed.code).toBe(0);
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
  });

  it('warns outside git and goes on', async () => {
    const dir = copyProject('basic');
    const run = await cli(dir, '.');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('not inside a git repository');
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
  });
});

describe('--dry-run', () => {
  it('prints a unified diff that git apply accepts and writes nothing, even on a dirty tree', async () => {
    const dir = copyProject('basic', { git: true });
    write(dir, 'src/extra.ts', 'export const x = 1;\n');
    const run = await cli(dir, '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('diff --git a/src/deploy.ts b/src/deploy.ts');
    expect(run.stdout).toContain(`+      ${CONFIRM_OUTPUT_LINE}`);
    expect(run.stdout).toContain('+    "@modelcontextprotocol/server": "^2.4.0",');
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stderr).toContain('would change');
    expect(read(dir, 'src/deploy.ts')).not.toContain(CONFIRM_OUTPUT_LINE);

    write(dir, 'change.patch', run.stdout);
    git(dir, 'apply', 'change.patch');
    const real = copyProject('basic');
    await cli(real, '.');
    expect(read(dir, 'src/deploy.ts')).toBe(read(real, 'src/deploy.ts'));
  });
});

describe('--check', () => {
  it('exits 1 when a file would change and writes nothing', async () => {
    const dir = copyProject('basic');
    const before = read(dir, 'src/deploy.ts');
    const run = await cli(dir, '--check', '.');
    expect(run.code).toBe(1);
    expect(read(dir, 'src/deploy.ts')).toBe(before);
  });

  it('exits 1 when a flag would be raised, 0 when migrated and clean', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/events.ts', read(path.join(FIXTURES, 'handlers'), 'left-outside-request-v1.input.ts'));
    await cli(dir, '.');
    expect((await cli(dir, '--check', '.')).code).toBe(1);
    expect((await cli(dir, '--check', 'src/deploy.ts')).code).toBe(0);
  });

  it('--quiet never changes the exit code', async () => {
    const dir = copyProject('basic');
    const run = await cli(dir, '--check', '--quiet', '.');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });
});

describe('--json and --report', () => {
  it('--json prints a machine-readable summary on stdout and human text on stderr', async () => {
    const dir = copyProject('basic');
    const run = await cli(dir, '--json', '--dry-run', '.');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{\n  "schemaVersion"')));
    expect(report.schemaVersion).toBe(1);
    expect(report.summary.filesChanged).toBe(2);
    expect(report.handlers).toEqual([
      expect.objectContaining({ file: 'src/deploy.ts', handler: 'tool deploy', strategy: 'guard-first', risk: 'safe', keys: ['confirm'] }),
      expect.objectContaining({ file: 'src/helper.ts', handler: 'tool drop-table', strategy: 'resumable', risk: 'review' }),
    ]);
    expect(report.created).toEqual(['src/mrtr-request-state.ts']);
    expect(report.diagnostics.map((d: { ruleId: string }) => d.ruleId)).toContain('mrtr/resumable-helper');
    expect(run.stderr).toMatch(/3 files scanned, 2 would change/);
  });

  it('writes .md and .json reports, and rejects other extensions', async () => {
    const dir = copyProject('basic');
    expect((await cli(dir, '--dry-run', '--report', 'r.md', '.')).code).toBe(0);
    expect(read(dir, 'r.md')).toContain('### tool deploy (`src/deploy.ts:');
    expect((await cli(dir, '--dry-run', '--report', 'r.json', '.')).code).toBe(0);
    expect(JSON.parse(read(dir, 'r.json')).schemaVersion).toBe(1);
    const bad = await cli(dir, '--dry-run', '--report', 'r.txt', '.');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('.md, .json or .sarif');
  });
});

describe('file selection', () => {
  it('honours default ignores, nested .gitignore with negation, --ignore, and never follows symlinks', async () => {
    const dir = copyProject('basic', { git: true });
    const ask = read(dir, 'src/deploy.ts');
    write(dir, 'node_modules/pkg/index.ts', ask);
    write(dir, 'dist/deploy.js', ask);
    write(dir, 'src/types.d.ts', 'export declare const x: number;\n');
    write(dir, 'src/generated/.gitignore', '*.ts\n!keep.ts\n');
    write(dir, 'src/generated/gen.ts', ask);
    write(dir, 'src/generated/keep.ts', ask);
    write(dir, 'scripts/tool.ts', ask);
    symlinkSync(path.join(dir, 'src'), path.join(dir, 'linked'));
    const run = await cli(dir, '--json', '--dry-run', '--ignore', 'scripts/**');
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{\n  "schemaVersion"')));
    const files = report.files.map((f: { path: string }) => f.path).sort();
    expect(files).toEqual(['src/deploy.ts', 'src/generated/keep.ts', 'src/helper.ts']);
    expect(report.summary.skipped).toEqual({ 'default ignores': 2, '.gitignore': 1, '--ignore': 1, 'declaration file': 1, symlink: 1 });
  });

  it('exits 2 and says why when nothing matched', async () => {
    const dir = copyProject('basic');
    const run = await cli(dir, '--ignore', 'src/**', '--', '.');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no source files matched . (3 skipped by --ignore)');
    const missing = await cli(dir, 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory: nope');
  });
});

describe('bad input loses nothing', () => {
  it('reports a file that does not parse, leaves it byte-identical, migrates the rest and exits 1', async () => {
    const dir = copyProject('basic');
    const broken = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconst x = {\n";
    write(dir, 'src/broken.ts', broken);
    const run = await cli(dir, '.');
    expect(run.code).toBe(1);
    expect(read(dir, 'src/broken.ts')).toBe(broken);
    expect(run.stderr).toMatch(/src\/broken\.ts:3:1 {2}mrtr\/parse-error {2}the file does not parse/);
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
  });
});

describe('usage', () => {
  it('--list, --version, unknown transforms and options', async () => {
    const dir = copyProject('basic');
    const list = await cli(dir, '--list');
    expect(list.stdout).toMatch(/^v1-to-v2 .*\nguard-first +strategy: .*\nmulti-round +strategy: .*\nsteps +strategy: .*\nresumable +strategy: .*\n$/);
    expect((await cli(dir, '--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = await cli(dir, '-t', 'nope', '.');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('available: v1-to-v2, guard-first, multi-round, steps, resumable');
    // The pass that runs the strategies is not a -t value: the strategies are.
    expect((await cli(dir, '-t', 'handlers', '.')).code).toBe(2);
    expect((await cli(dir, '--frobnicate')).code).toBe(2);
  });

  it('--runtime-dir puts the runtime module where the user says, imported from there', async () => {
    const dir = copyProject('basic');
    expect((await cli(dir, '--runtime-dir', 'lib/mcp', '.')).code).toBe(0);
    expect(read(dir, 'lib/mcp/mrtr-request-state.ts').length).toBeGreaterThan(0);
    expect(read(dir, 'src/helper.ts')).toContain("from '../lib/mcp/mrtr-request-state.js';");
  });

  it('-t with a strategy rewrites only the handlers that strategy takes, and says what it left', async () => {
    const dir = copyProject('basic');
    const run = await cli(dir, '-t', 'v1-to-v2,guard-first', '--json', '.');
    expect(run.code).toBe(0);
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
    // The helper's ask needs the resumable strategy: it keeps its code, and the report says why.
    expect(read(dir, 'src/helper.ts')).toContain('await server.server.elicitInput(');
    expect(read(dir, 'src/helper.ts')).not.toContain('resumable(');
    const report = JSON.parse(run.stdout);
    expect(report.handlers).toEqual([
      expect.objectContaining({ handler: 'tool deploy', strategy: 'guard-first' }),
      expect.objectContaining({ handler: 'tool drop-table', strategy: 'left-unchanged', reasons: ['needs the resumable strategy, which -t left out'] }),
    ]);
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'mrtr/strategy-not-selected', severity: 'warning', message: expect.stringContaining('helper `confirmAction` needs the `resumable` strategy') }),
        expect.objectContaining({ ruleId: 'mrtr/strategy-not-selected', message: expect.stringContaining('handler `tool drop-table`') }),
      ]),
    );
    expect(report.files).toEqual(expect.arrayContaining([{ path: 'src/deploy.ts', status: 'changed', transforms: ['v1-to-v2', 'guard-first'] }]));

    const resumableOnly = await cli(dir, '-t', 'resumable', '--json', '.');
    expect(read(dir, 'src/helper.ts')).toContain("resumable('tool drop-table', async ({ table }) => {");
    expect(JSON.parse(resumableOnly.stdout).files).toEqual([{ path: 'src/helper.ts', status: 'changed', transforms: ['resumable'] }]);
  });

  it('-t steps without multi-round splits dependent handlers into steps', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/book.ts', read(path.join(FIXTURES, 'multi-round'), 'booking-v1.input.ts'));
    const run = await cli(dir, '-t', 'v1-to-v2,steps', '--json', 'src/book.ts');
    expect(run.code).toBe(0);
    expect(read(dir, 'src/book.ts')).toContain('.incompleteStep(');
    expect(JSON.parse(run.stdout).handlers).toEqual([expect.objectContaining({ handler: 'tool book', strategy: 'steps' })]);
    // With multi-round in, --style decides, as without -t.
    const guarded = copyProject('basic');
    write(guarded, 'src/book.ts', read(path.join(FIXTURES, 'multi-round'), 'booking-v1.input.ts'));
    await cli(guarded, '-t', 'v1-to-v2,steps,multi-round', 'src/book.ts');
    expect(read(guarded, 'src/book.ts')).toContain('collectedAnswers(');
  });

  it('-t runs only the named transforms', async () => {
    const dir = copyProject('basic');
    await cli(dir, '-t', 'v1-to-v2', '.');
    expect(read(dir, 'src/deploy.ts')).toContain("from '@modelcontextprotocol/server'");
    expect(read(dir, 'src/deploy.ts')).toContain('await server.server.elicitInput(');
  });
});

describe('the installed binary', () => {
  it('runs from bin/ after npm install (build on prepare)', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const dir = copyProject('basic');
    const result = spawnSync(process.execPath, [path.join(root, 'bin/mrtr-migrate.js'), '--dry-run', '.'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('diff --git a/src/deploy.ts b/src/deploy.ts');
  });
});

describe('--style', () => {
  const twoQuestions = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export function createServer() {
  const server = new McpServer({ name: 'two', version: '1.0.0' });
  server.registerTool('pick', {}, async () => {
    const first = await server.server.elicitInput({ message: 'First?', requestedSchema: { type: 'object', properties: { a: { type: 'string' } } } });
    const second = await server.server.elicitInput({ message: \`After \${String(first.content?.a)}?\`, requestedSchema: { type: 'object', properties: { b: { type: 'string' } } } });
    return { content: [{ type: 'text', text: String(second.content?.b) }] };
  });
  return server;
}
`;

  it('writes dependent questions as steps with --style steps, and as guards by default', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/pick.ts', twoQuestions);
    const steps = await cli(dir, '--json', '--style', 'steps', 'src/pick.ts');
    expect(steps.code).toBe(0);
    const migrated = read(dir, 'src/pick.ts');
    expect(migrated).toContain("return toolSteps<CallToolResult>(ctx, 'tool pick')");
    expect(migrated).toContain(".incompleteStep('b', async (step, { first }) => {");
    expect(migrated).toContain('.endStep(async ({ second }) => {');
    expect(read(dir, 'src/mrtr-request-state.ts')).toContain('export function toolSteps<Result>');
    const report = JSON.parse(steps.stdout.slice(steps.stdout.indexOf('{\n  "schemaVersion"')));
    expect(report.handlers[0]).toMatchObject({ strategy: 'steps', keys: ['a', 'b'] });

    const other = copyProject('basic');
    write(other, 'src/pick.ts', twoQuestions);
    expect((await cli(other, 'src/pick.ts')).code).toBe(0);
    expect(read(other, 'src/pick.ts')).toContain("await collectedAnswers(ctx, 'tool pick')");
    expect((await cli(other, '--style', 'phases', 'src/pick.ts')).code).toBe(2);
  });
});

describe('side effects', () => {
  const handler = (before: string) => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
declare function audit(event: string): Promise<void>;

export function createServer() {
  const server = new McpServer({ name: 'fx', version: '1.0.0' });
  server.registerTool('go', {}, async () => {
    ${before}
    const answer = await server.server.elicitInput({ message: 'Go?', requestedSchema: { type: 'object', properties: {} } });
    return { content: [{ type: 'text', text: answer.action }] };
  });
  return server;
}
`;

  it('flags an effect above the guard; --fix-effects moves it below; --max-risk safe leaves the handler', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/fx.ts', handler("await audit('go');"));
    const flagged = await cli(dir, '--dry-run', 'src/fx.ts');
    // Positions refer to the migrated text, in dry runs and real runs alike.
    expect(flagged.stderr).toContain('src/fx.ts:9:11  mrtr/unknown-call-before-guard  `audit(...)` runs again on every round');

    write(dir, 'src/moved.ts', handler("sent.push('go');").replace('declare function', 'const sent: string[] = [];\ndeclare function'));
    expect((await cli(dir, '--fix-effects', 'src/moved.ts')).code).toBe(0);
    const moved = read(dir, 'src/moved.ts');
    expect(moved.indexOf("sent.push('go');")).toBeGreaterThan(moved.indexOf('return inputRequired('));
    expect(moved).toContain('/* @mrtr-migrate mrtr/effect-moved-below-guard: moved below the `elicitation` guard by --fix-effects');

    const safe = await cli(dir, '--max-risk', 'safe', 'src/fx.ts');
    expect(safe.code).toBe(0);
    expect(read(dir, 'src/fx.ts')).toContain('mrtr/risk-above-max');
    expect(read(dir, 'src/fx.ts')).toContain('await server.server.elicitInput(');
    expect((await cli(dir, '--max-risk', 'careless', 'src/fx.ts')).code).toBe(2);
  });

  it('reads mrtr-migrate.config.json and the package.json key', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/fx.ts', handler("await audit('go');"));
    write(dir, 'mrtr-migrate.config.json', JSON.stringify({ effects: { pure: ['audit'] } }));
    const run = await cli(dir, '--json', '--dry-run', 'src/fx.ts');
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{\n  "schemaVersion"')));
    expect(report.diagnostics).toEqual([]);
    expect(report.handlers[0].risk).toBe('safe');

    const other = copyProject('basic');
    write(other, 'src/fx.ts', handler("await audit('go');"));
    const manifest = JSON.parse(read(other, 'package.json'));
    write(other, 'package.json', JSON.stringify({ ...manifest, 'mrtr-migrate': { effects: { effectful: ['audit'] } } }, null, 2));
    const effectful = await cli(other, '--dry-run', 'src/fx.ts');
    expect(effectful.stderr).toContain('mrtr/effect-before-guard');
  });
});

describe('progress', () => {
  it('draws a progress line on a terminal stderr for long runs, never with --json or --quiet', async () => {
    const dir = copyProject('basic');
    for (let i = 0; i < 60; i++) write(dir, `src/filler/f${i}.ts`, `export const value${i} = ${i};\n`);
    const tty = async (...args: string[]) => {
      let stderr = '';
      const { Writable } = await import('node:stream');
      const sink = (append: (s: string) => void, isTTY: boolean) =>
        Object.assign(new Writable({ write(chunk, _e, done) { append(String(chunk)); done(); } }), { isTTY });
      const { main } = await import('../src/cli/main.js');
      const code = await main(['node', 'mrtr-migrate', ...args], { stdout: sink(() => {}, false), stderr: sink((s) => (stderr += s), true), cwd: dir, env: {} });
      return { code, stderr };
    };
    const shown = await tty('--dry-run', '.');
    expect(shown.stderr).toMatch(/\r\u001b\[2K\[\d+\/63\] /);
    expect((await tty('--dry-run', '--json', '.')).stderr).not.toContain('\u001b[2K');
    const quiet = await tty('--dry-run', '--quiet', '.');
    expect(quiet.stderr).not.toContain('\u001b[2K');
    expect(quiet.code).toBe(shown.code);
  });
});

describe('piping', () => {
  it('ends quietly when the reader closes early (| head)', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const dir = copyProject('reports');
    // Far more output than a pipe buffers, so the writer is still writing when head has gone.
    for (let i = 0; i < 150; i++) write(dir, `src/copies/deploy-${i}.ts`, read(dir, 'src/deploy.ts').replace("'./effects.js'", "'../effects.js'"));
    const result = spawnSync('sh', ['-c', `node ${path.join(root, 'bin/mrtr-migrate.js')} --dry-run . | head -c 1`], { cwd: dir, encoding: 'utf8' });
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.stdout).toBe('d');
  });
});
