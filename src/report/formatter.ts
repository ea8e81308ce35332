/** The user's own formatter, for the "format the changed files" next step (nothing is run). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function formatterCommand(root: string): string {
  const has = (...names: string[]) => names.some((n) => existsSync(path.join(root, n)));
  if (has('biome.json', 'biome.jsonc')) return 'npx biome format --write';
  let manifest: Record<string, Record<string, string> | undefined> = {};
  try {
    manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    // No manifest: fall back to the config files alone.
  }
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  if (
    has(
      '.prettierrc',
      '.prettierrc.json',
      '.prettierrc.yaml',
      '.prettierrc.yml',
      '.prettierrc.js',
      '.prettierrc.cjs',
      '.prettierrc.mjs',
      'prettier.config.js',
      'prettier.config.cjs',
      'prettier.config.mjs',
    ) ||
    'prettier' in manifest ||
    deps.prettier
  ) {
    return 'npx prettier --write';
  }
  if (
    has(
      'eslint.config.js',
      'eslint.config.mjs',
      'eslint.config.cjs',
      'eslint.config.ts',
      '.eslintrc',
      '.eslintrc.json',
      '.eslintrc.js',
      '.eslintrc.cjs',
    ) ||
    deps.eslint
  )
    return 'npx eslint --fix';
  return 'npx prettier --write';
}
