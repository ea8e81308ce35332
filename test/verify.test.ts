/**
 * `mrtr-migrate verify`: the user's own entry points, as committed and as migrated, run as real
 * processes (stdio, and Streamable HTTP on a free port) and compared on both eras. A clean
 * migration passes; a migrated copy that lost a tool on 2026-07-28 fails, naming it.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, read } from './helpers/project.js';

let project: string;
beforeAll(async () => {
  project = copyProject('late-registration', { git: true });
  symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(project, 'node_modules'));
  expect((await cli(project, '.')).code).toBe(0);
}, 120_000);

interface Verified {
  differences: { what: string; era: string; detail: string }[];
  compared: string[];
}

async function verify(...args: string[]): Promise<{ code: number; result: Verified }> {
  const run = await cli(project, 'verify', '--json', ...args);
  return { code: run.code, result: JSON.parse(run.stdout) as Verified };
}

it('finds nothing to report on a clean migration, over stdio and over HTTP', async () => {
  const stdio = await verify('--scenarios', 'verify.json', 'src/stdio.ts');
  expect(stdio.result.differences).toEqual([]);
  expect(stdio.code).toBe(0);
  // The listing on both eras, then each call on both eras.
  expect(stdio.result.compared).toHaveLength(2 + 4 * 2);
  // Over HTTP the original's unrelated sampling request has no stream to travel on (it times out before the
  // migration): those calls are left out there.
  const http = await verify('--scenarios', 'verify-http.json', '--http', '/mcp', 'src/http.ts');
  expect(http.result.differences).toEqual([]);
  expect(http.code).toBe(0);
}, 240_000);

it('catches a tool the migrated server no longer lists on 2026-07-28, and writes it into the report', async () => {
  const server = path.join(project, 'src/server.ts');
  const migrated = read(project, 'src/server.ts');
  // As if the registration had stayed in oninitialized, which a 2026-07-28 client never reaches.
  writeFileSync(
    server,
    migrated
      .replace(/^ *registerClientTools\(server\);\n/m, '')
      .replace(
        'server.server.oninitialized = () => {',
        'server.server.oninitialized = () => {\n    registerClientTools(server);',
      ),
  );
  try {
    const run = await cli(project, 'verify', '--report', 'verify.md', 'src/stdio.ts');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('2026-07-28  tools  missing connect-sso, deploy, summarize-incident, workspace');
    expect(run.stdout).not.toMatch(/^2025 /m);
    expect(read(project, 'verify.md')).toContain('- **tools** (2026-07-28): missing connect-sso, deploy');
  } finally {
    writeFileSync(server, migrated);
  }
}, 120_000);
