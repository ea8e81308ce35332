import { enableCompileCache } from '/work/main/dist/src/cli/compile-cache.js';
import { createRequire } from 'node:module';
enableCompileCache('/work/main/node_modules/.cache/mrtr-migrate');
const t = performance.now(); createRequire(import.meta.url)(process.argv[2]); console.log('cached req', process.argv[2], (performance.now()-t).toFixed(0), 'since start', performance.now().toFixed(0));
