/**
 * What a production install gets: jscodeshift is only ever the host that loads our transform, so
 * no shipped module may load it, and the manifest asks for it only as an optional peer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

it('ships no module that loads jscodeshift', () => {
  const shipped = [...files('bin'), ...files('src'), ...files('transforms')].filter((f) => /\.[cm]?[jt]s$/.test(f));
  expect(shipped.length).toBeGreaterThan(50);
  const loads = /(?:from\s*|require\(\s*|import\(\s*)['"]jscodeshift(?:\/[^'"]*)?['"]/;
  expect(shipped.filter((file) => loads.test(readFileSync(path.join(root, file), 'utf8')))).toEqual([]);
});

it('asks for jscodeshift only as an optional peer', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(manifest.dependencies.jscodeshift).toBeUndefined();
  expect(manifest.peerDependenciesMeta.jscodeshift).toEqual({ optional: true });
  expect(manifest.devDependencies.jscodeshift).toBeDefined();
});
