/** The dirty-tree gate: uncommitted changes under the target paths, as git reports them. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export type GitState =
  | { readonly kind: 'not-a-repository' }
  | { readonly kind: 'clean' }
  | { readonly kind: 'dirty'; readonly files: string[] };

export function gitState(root: string, cwd: string, paths: readonly string[]): GitState {
  const targets = (paths.length > 0 ? paths : ['.']).map((p) => path.relative(root, path.resolve(cwd, p)) || '.');
  const result = spawnSync('git', ['status', '--porcelain', '--untracked-files=all', '--', ...targets], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0 || result.error) return { kind: 'not-a-repository' };
  const files = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  return files.length === 0 ? { kind: 'clean' } : { kind: 'dirty', files };
}
