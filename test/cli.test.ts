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
      '{\n  "name": "basic-mcp-server",\n  "version": "1.0.0",\n  "type": "module",\n  "dependencies": {\n    ' +
        '"@modelcontextprotocol/sdk": "^1.32.0",\n    "@modelcontextprotocol/server": "^2.4.0",\n    "zod": ' +
        '"^4.2.0"\n  }\n}\n',
    );
    // The helper reads its answer from the context the handler passes, through the runtime module
    // written once beside the package's sources, and returns the request to the handler.
    expect(read(dir, 'src/helper.ts')).toContain(
      "server.registerTool('drop-table', { inputSchema: z.object({ table: z.string() }) }, async ({ table }, ctx) => {",
    );
    expect(read(dir, 'src/helper.ts')).toMatch(/await elicitAnswer\(\s*ctx,\s*'confirmAction',/);
    // The runtime holds what the files import and what that uses: no rounds, no node:async_hooks.
    const runtime = read(dir, 'src/mrtr-request-state.ts');
    expect([...runtime.matchAll(/^export (?:async )?function (\w+)/gm)].map((m) => m[1]).sort()).toEqual([
      'clientCapabilities',
      'elicitAnswer',
    ]);
    expect(runtime).not.toContain('node:async_hooks');
    expect(runtime.split('\n').length).toBeLessThan(
      read(path.join(FIXTURES, '..'), 'src/runtime/mrtr-request-state.ts').split('\n').length / 8,
    );
    expect(run.stdout).toMatch(
      /3 files scanned, 2 changed, 0 errored; 2 handlers rewritten, 0 left unchanged \(2 safe\); 0 flags/,
    );

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

  it('with --json, prints one JSON document on stdout, the same diff inside it', async () => {
    const dir = copyProject('basic', { git: true });
    const plain = await cli(dir, '--dry-run');
    const run = await cli(dir, '--dry-run', '--json');
    expect(run.code).toBe(0);
    // The whole of stdout parses: nothing before or after the document.
    const document = JSON.parse(run.stdout);
    expect(document.dryRun).toBe(true);
    expect(document.diff).toBe(plain.stdout);
    write(dir, 'change.patch', document.diff);
    git(dir, 'apply', 'change.patch');
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
    // Without --dry-run there is no diff to carry.
    expect(JSON.parse((await cli(copyProject('basic'), '--json', '.')).stdout).diff).toBeUndefined();
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
    const report = JSON.parse(run.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.summary.filesChanged).toBe(2);
    expect(report.handlers).toEqual([
      expect.objectContaining({
        file: 'src/deploy.ts',
        handler: 'tool deploy',
        strategy: 'guard-first',
        risk: 'safe',
        keys: ['confirm'],
      }),
      expect.objectContaining({
        file: 'src/helper.ts',
        handler: 'tool drop-table',
        strategy: 'native-helpers',
        risk: 'safe',
        keys: ['confirmAction'],
      }),
    ]);
    expect(report.created).toEqual(['src/mrtr-request-state.ts']);
    expect(report.diagnostics.map((d: { ruleId: string }) => d.ruleId)).toContain('mrtr/native-helper');
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
    const report = JSON.parse(run.stdout);
    const files = report.files.map((f: { path: string }) => f.path).sort();
    expect(files).toEqual(['src/deploy.ts', 'src/generated/keep.ts', 'src/helper.ts']);
    expect(report.summary.skipped).toEqual({
      'default ignores': 2,
      '.gitignore': 1,
      '--ignore': 1,
      'declaration file': 1,
      symlink: 1,
    });
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

describe('the installed binary', () => {
  it('runs from bin/ after npm install (build on prepare)', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const dir = copyProject('basic');
    const result = spawnSync(process.execPath, [path.join(root, 'bin/mrtr-migrate.js'), '--dry-run', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('diff --git a/src/deploy.ts b/src/deploy.ts');
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
        Object.assign(
          new Writable({
            write(chunk, _e, done) {
              append(String(chunk));
              done();
            },
          }),
          { isTTY },
        );
      const { main } = await import('../src/cli/main.js');
      const code = await main(['node', 'mrtr-migrate', ...args], {
        stdout: sink(() => {}, false),
        stderr: sink((s) => (stderr += s), true),
        cwd: dir,
        env: {},
      });
      return { code, stderr };
    };
    const shown = await tty('--dry-run', '.');
    // The progress line redraws itself with a carriage return and an ANSI erase-line.
    // eslint-disable-next-line no-control-regex
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
    for (let i = 0; i < 150; i++)
      write(dir, `src/copies/deploy-${i}.ts`, read(dir, 'src/deploy.ts').replace("'./effects.js'", "'../effects.js'"));
    const result = spawnSync('sh', ['-c', `node ${path.join(root, 'bin/mrtr-migrate.js')} --dry-run . | head -c 1`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.stdout).toBe('d');
  });
});
