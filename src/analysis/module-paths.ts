/**
 * Where a relative import can point, in the order Node and TypeScript try them: the path as
 * written, a `.js` specifier's TypeScript source, then a directory's index. Kept free of ts-morph
 * so the run's pre-parse pass can use it.
 */
import path from 'node:path';

export function importCandidates(fromFile: string, specifier: string): string[] {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(c|m)?js$/, '');
  return [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.cts`,
    `${stem}.js`,
    `${stem}.mjs`,
    `${stem}.cjs`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.js'),
  ];
}
