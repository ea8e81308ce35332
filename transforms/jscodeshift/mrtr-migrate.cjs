// jscodeshift entry that works with or without jscodeshift's Babel require hook:
//   jscodeshift -t node_modules/mrtr-migrate/transforms/jscodeshift/mrtr-migrate.cjs src/
// Babel's hook would compile ts-morph (and fail on its static blocks), so the migration runs in
// a worker thread, whose module system the hook never patched. One worker serves the process;
// it keeps the process alive only while a file is in flight.
'use strict';

const path = require('node:path');
const { Worker } = require('node:worker_threads');

let worker;
let nextId = 0;
const inFlight = new Map();

function getWorker() {
  if (worker) return worker;
  worker = new Worker(path.join(__dirname, 'worker.mjs'));
  worker.unref();
  worker.on('message', ({ id, output, reports, error }) => {
    const request = inFlight.get(id);
    inFlight.delete(id);
    if (inFlight.size === 0) worker.unref();
    for (const line of reports) request.report?.(line);
    if (error) request.reject(new Error(error));
    else request.resolve(output === null ? undefined : output);
  });
  worker.on('error', (error) => {
    for (const request of inFlight.values()) request.reject(error);
    inFlight.clear();
    worker = undefined;
  });
  return worker;
}

module.exports = function mrtrMigrate(file, api, options) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    inFlight.set(id, { resolve, reject, report: api && api.report });
    const w = getWorker();
    w.ref();
    w.postMessage({
      id,
      path: file.path,
      source: file.source,
      options: {
        fixEffects: options && options.fixEffects,
        carryEffects: options && options.carryEffects,
        maxRisk: options && options.maxRisk,
        style: options && options.style,
        target: options && options.target,
        strategies: options && options.strategies,
        dry: Boolean(options && options.dry),
      },
    });
  });
};
