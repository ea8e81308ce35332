/**
 * The report counts each ask by the form it ends in: native in its handler, native in a helper,
 * held by the runtime between rounds, or left as an SSE-era push.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src/engine/migrate.js';
import { summarize } from '../src/report/summary.js';
import { FIXTURES } from './helpers/fixtures.js';

const asksOf = async (cwd: string) => summarize(await migrate({ paths: ['.'], cwd, typecheck: false })).asksByForm;

describe('asks by form', () => {
  it('counts guards in handlers as native, a helper that returns its request as native, the rest as held', async () => {
    // deploy, connect-sso and rotate-key ask in their handlers; askModel returns its request to the
    // tool of another file; syncWorkspace, which a timer calls too, stays held.
    expect(await asksOf(path.join(FIXTURES, 'projects', 'late-registration'))).toEqual({
      nativeInHandler: 3,
      nativeHelper: 1,
      held: 1,
      leftUnchanged: 0,
    });
  });

  it('counts the asks of a framework that keeps its own SDK as left unchanged', async () => {
    expect(await asksOf(path.join(FIXTURES, 'projects', 'fastmcp-server'))).toEqual({
      nativeInHandler: 0,
      nativeHelper: 0,
      held: 0,
      leftUnchanged: 2,
    });
  });

  it("counts a helper's ask as held, a fire-and-forget one as left, and a test's stub as no ask", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-ask-forms-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      writeFileSync(
        path.join(dir, 'startup.ts'),
        [
          "import type { Server } from '@modelcontextprotocol/sdk/server/index.js';",
          'export async function greet(server: Server) {',
          '  const roots = await server.listRoots();',
          '  return roots.roots.length;',
          '}',
          'export function warm(server: Server) {',
          '  void server.listRoots();',
          '}',
          '',
        ].join('\n'),
      );
      writeFileSync(
        path.join(dir, 'startup.test.ts'),
        [
          "import { vi } from 'vitest';",
          'export const server = { listRoots: vi.fn(async () => ({ roots: [] })) };',
          'export const asked = () => server.listRoots();',
          '',
        ].join('\n'),
      );
      expect(await asksOf(dir)).toEqual({ nativeInHandler: 0, nativeHelper: 0, held: 1, leftUnchanged: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
