import { enableCompileCache } from '/work/main/dist/src/cli/compile-cache.js';
import { createRequire } from 'node:module';
enableCompileCache('/work/main/node_modules/.cache/mrtr-migrate');
const require = createRequire(import.meta.url);
let t = performance.now(); require('ts-morph'); console.log('req', (performance.now()-t).toFixed(0));
t = performance.now(); require('@modelcontextprotocol/codemod'); console.log('codemod', (performance.now()-t).toFixed(0));
t = performance.now(); await import('prettier'); console.log('prettier', (performance.now()-t).toFixed(0));
console.log('since start', performance.now().toFixed(0));
