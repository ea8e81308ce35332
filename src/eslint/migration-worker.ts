/**
 * The worker behind `migrateNow`: runs `mrtr-migrate` on one file, as the command line does, and
 * says whether its output can stand alone as an editor fix. The engine is async (prettier), a rule
 * is not: the rule waits on this thread.
 */
import path from 'node:path';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FileFix, MigrationRequest } from './migrate-now.js';

const replies = (workerData as { replies: MessagePort }).replies;
// Loaded on the first request, inside its error handling: a worker that cannot load the engine still answers.
const engine = Promise.all([
  import('../analysis/input-points.js'),
  import('../engine/markers.js'),
  import('../engine/migrate-file.js'),
  import('../engine/migrate.js'),
  import('./runtime-import.js'),
]).then(
  ([
    { findInputPoints },
    { carriesMarker },
    { createProject, scriptKindFor },
    { migrate },
    { missingRuntimeNames },
  ]) => ({
    findInputPoints,
    carriesMarker,
    scriptKindFor,
    migrate,
    missingRuntimeNames,
    project: createProject(),
  }),
);

parentPort!.on('message', (message: { request: MigrationRequest; signal: Int32Array }) => {
  void fileFix(message.request)
    .catch((error: unknown): FileFix => ({ reason: `the migration failed (${String(error)})` }))
    .then((fix) => {
      replies.postMessage(fix);
      Atomics.store(message.signal, 0, 1);
      Atomics.notify(message.signal, 0);
    });
});

async function fileFix({ file, text }: MigrationRequest): Promise<FileFix> {
  const { findInputPoints, carriesMarker, scriptKindFor, migrate, missingRuntimeNames, project } = await engine;
  const result = await migrate({
    paths: [file],
    cwd: path.dirname(file),
    typecheck: false,
    contents: new Map([[file, text]]),
  });
  const migrated = result.files.find((f) => f.path === file);
  if (!migrated || migrated.status !== 'changed') return { reason: 'it leaves this file as it is' };
  if (result.created.length > 0)
    return { reason: `it also writes ${path.relative(path.dirname(file), result.created[0].path)}` };
  if (result.manifests.length > 0) return { reason: 'it also changes package.json' };
  const failure = migrated.diagnostics.find((d) => d.severity === 'error');
  if (failure) return { reason: `${failure.ruleId}: ${failure.message}` };
  const output = project.createSourceFile(file, migrated.output, { overwrite: true, scriptKind: scriptKindFor(file) });
  try {
    // The project's copy of the runtime module is its own (cut to what the project used, or changed): the
    // output may use it where it has every name the output imports.
    const missing = missingRuntimeNames(output);
    if (missing.length > 0) return { reason: `the project's runtime module has no ${missing.join(', ')}` };
    if (findInputPoints(output).some((point) => !carriesMarker(point.call)))
      return { reason: 'it cannot rewrite every ask of this file on its own' };
  } finally {
    project.removeSourceFile(output);
  }
  return { output: migrated.output };
}
