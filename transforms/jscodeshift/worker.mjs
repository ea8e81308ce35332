// Runs the jscodeshift-shaped transform for mrtr-migrate.cjs, away from Babel's require hook.
import { parentPort } from 'node:worker_threads';
import transform from '../../dist/transforms/jscodeshift/mrtr-migrate.js';

parentPort.on('message', async ({ id, path, source, options }) => {
  const reports = [];
  try {
    const output = await transform({ path, source }, { report: (line) => reports.push(line) }, options);
    parentPort.postMessage({ id, output: output ?? null, reports });
  } catch (error) {
    parentPort.postMessage({
      id,
      output: null,
      reports,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
