/**
 * The local runner overlaps files' formatting but only a window of them at a time, so results
 * (and the CLI's progress line) keep coming while a large tree is still being transformed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { localRunner, type FileTask } from '../src/engine/file-task.js';
import { FIXTURES } from './helpers/fixtures.js';

it('finishes early files before it starts the last ones', async () => {
  const source = readFileSync(path.join(FIXTURES, 'guard-first', 'sampling-v1.input.ts'), 'utf8');
  const run = await localRunner({ transformIds: ['v1-to-v2', 'handlers'], projectType: 'server', effects: {} });
  const log: string[] = [];
  const tasks: FileTask[] = Array.from({ length: 40 }, (_, i) => ({
    path: path.join(FIXTURES, 'guard-first', `window-${i}.ts`),
    displayPath: `window-${i}.ts`,
    // Read when the runner starts on the file.
    get raw() {
      log.push(`start ${i}`);
      return source;
    },
  }));
  const results = await Promise.all(tasks.map((task, i) => run(task).then((m) => (log.push(`done ${i}`), m))));
  expect(results.every((m) => m.status === 'changed')).toBe(true);
  expect(log.indexOf('done 0')).toBeGreaterThan(-1);
  expect(log.indexOf('done 0')).toBeLessThan(log.indexOf('start 39'));
});
