/**
 * Many abandoned calls leave no memory behind: 300 first rounds, each holding 64 KB while it
 * waits, are released, and the heap (after a full GC, in a child process with --expose-gc)
 * returns to within a few megabytes of where it started. A leak would keep all 19.7 MB.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

it('releases the memory of every call it stops holding', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/parked-calls.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PARKED_CALLS: '300', PARKED_BALLAST_BYTES: String(64 * 1024) },
  });
  expect(child.stderr).toBe('');
  const measured = JSON.parse(child.stdout) as Record<string, number>;
  expect(measured.parked).toBe(300);
  expect(measured.stillParked).toBe(0);
  // Every released call ran its finally (20 warm-up calls ran theirs too).
  expect(measured.finallyRan).toBe(320);
  expect(measured.parkedMegabytes).toBeGreaterThan(19.7);
  expect(measured.leftAfterReleaseMegabytes).toBeLessThan(5);
}, 60_000);
