/**
 * What a jscodeshift run cannot see, read once per project: jscodeshift hands over one file at a
 * time, but whether a CommonJS helper's asks may be rewritten depends on how its server loads the
 * SDK. The project is the repository, else the nearest package, else the file's directory.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { V1_REQUIRE } from '../analysis/input-point-text.js';
import { discoverFiles, findRepositoryRoot } from '../engine/discover.js';
import { screenFile } from '../engine/file-screen.js';

const v1RequireByProject = new Map<string, boolean>();

/** Whether any file of the project around `file` loads SDK v1 with require(). */
export function loadsV1WithRequire(file: string): boolean {
  const project = projectOf(file);
  let found = v1RequireByProject.get(project);
  if (found === undefined) {
    found = discoverFiles([project], project, []).files.some((f) => {
      const screened = screenFile(f, V1_REQUIRE);
      return screened.kind === 'passed' && V1_REQUIRE.test(screened.bytes.toString('latin1'));
    });
    v1RequireByProject.set(project, found);
  }
  return found;
}

function projectOf(file: string): string {
  const repository = findRepositoryRoot(path.dirname(file));
  if (repository) return repository;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}
