import { enableCompileCache } from '/work/main/dist/src/cli/compile-cache.js';
enableCompileCache('/work/main/node_modules/.cache/mrtr-migrate');
const t0 = performance.now();
for (const m of process.argv.slice(2)) { const t = performance.now(); await import(m); console.log(m, (performance.now()-t).toFixed(0)); }
console.log('total', (performance.now()-t0).toFixed(0), 'since start', performance.now().toFixed(0));
