// The engine floor: the floor's work plus the least a tool built on this project's engine must add
// on the same files: loading ts-morph (with the CLI's code cache) and running the official
// v1-to-v2 transforms, which the project uses as a library. No guard-first, no formatting, no
// report: whatever mrtr-migrate spends above this line is its own.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { enableCompileCache } from '../dist/src/cli/compile-cache.js';
import { matchingFiles } from './floor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
enableCompileCache(path.join(root, 'node_modules/.cache/mrtr-migrate'));

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { count, matching } = matchingFiles(process.argv[2] ?? '.');
  const require = createRequire(import.meta.url);
  const { Project } = require('ts-morph');
  const transforms = require('@modelcontextprotocol/codemod').getMigration('v1-to-v2').transforms;
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noEmit: true },
  });
  let changed = 0;
  for (const { file, text } of matching) {
    const sourceFile = project.createSourceFile(file, text, { overwrite: true });
    for (const transform of transforms) transform.apply(sourceFile, { projectType: 'server' });
    if (sourceFile.getFullText() !== text) changed++;
    project.removeSourceFile(sourceFile);
  }
  process.stdout.write(`${count} files, ${matching.length} transformed, ${changed} changed\n`);
}
