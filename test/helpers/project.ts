/** Temporary copies of fixture projects for CLI tests, optionally as git repositories. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FIXTURES } from './fixtures.js';

// Every copy lives under one directory per test file, removed when the file's tests are done.
let parent: string | undefined;
afterAll(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
  parent = undefined;
});

function scratch(): string {
  parent ??= mkdtempSync(path.join(tmpdir(), 'mrtr-tests-'));
  return parent;
}

export function copyProject(name: string, options: { git?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(scratch(), `${name}-`));
  cpSync(path.join(FIXTURES, 'projects', name), dir, { recursive: true });
  if (options.git) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'initial');
  }
  return dir;
}

/**
 * A copy of an installed npm package as a project of its own, the way a user migrates one: its
 * files in a directory whose `node_modules` is this repository's (so its dependencies and the v2
 * SDK resolve offline), optionally a git repository with everything committed.
 */
export function copyInstalledPackage(name: string, options: { git?: boolean } = {}): string {
  const project = mkdtempSync(path.join(scratch(), `${name.replace(/[@/]/g, '_')}-`));
  const dir = path.join(project, 'package');
  cpSync(path.join(FIXTURES, '..', 'node_modules', name), dir, { recursive: true, dereference: true });
  symlinkSync(path.join(FIXTURES, '..', 'node_modules'), path.join(project, 'node_modules'));
  if (options.git) {
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'published package');
  }
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

export function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

export function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams. */
export async function cli(cwd: string, ...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(['node', 'mrtr-migrate', ...args], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
}
