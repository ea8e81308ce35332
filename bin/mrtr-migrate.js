#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { enableCompileCache } from '../dist/src/cli/compile-cache.js';
import { main } from '../dist/src/cli/main.js';

enableCompileCache(fileURLToPath(new URL('../node_modules/.cache/mrtr-migrate', import.meta.url)));

// `mrtr-migrate review | head`: a reader that stops early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv);
