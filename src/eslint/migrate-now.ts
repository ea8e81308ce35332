/**
 * `mrtr-migrate` on one file, synchronously, for a rule's fix: the engine runs in a worker thread
 * and the rule's thread waits for it. One worker per process, started on the first fix asked for,
 * and results kept per text, so ESLint's fix passes do not migrate the same text twice.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface MigrationRequest {
  /** Absolute path of the file on disk; `text` stands for its contents (an editor's unsaved buffer). */
  readonly file: string;
  readonly text: string;
}

/** The migrated text, or why the migration of this file alone cannot be offered as a fix. */
export type FileFix = { readonly output: string } | { readonly reason: string };

/** Longer than any one file's migration; past it the rule reports without a fix. */
const WAIT_MS = 120_000;

let worker: { readonly thread: Worker; readonly replies: MessagePort } | undefined;
const known = new Map<string, FileFix>();

export function migrateNow(request: MigrationRequest): FileFix {
  const key = `${request.file}\0${request.text}`;
  const cached = known.get(key);
  if (cached) return cached;
  worker ??= startWorker();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  worker.thread.postMessage({ request, signal });
  const outcome = Atomics.wait(signal, 0, 0, WAIT_MS);
  const reply = receiveMessageOnPort(worker.replies)?.message as FileFix | undefined;
  if (outcome === 'timed-out' || !reply) return { reason: 'the migration took too long' };
  if (known.size > 64) known.clear();
  known.set(key, reply);
  return reply;
}

function startWorker(): { thread: Worker; replies: MessagePort } {
  const channel = new MessageChannel();
  const fromSources = import.meta.url.endsWith('.ts');
  const script = new URL(`./migration-worker${fromSources ? '.ts' : '.js'}`, import.meta.url).href;
  // Run from the sources (the tool's own tests), the worker loads them through tsx as the tests do.
  const tsx = JSON.stringify(fromSources ? import.meta.resolve('tsx/esm/api') : '');
  const load = fromSources
    ? `import(${tsx}).then((tsx) => tsx.tsImport(${JSON.stringify(script)}, __filename))`
    : `import(${JSON.stringify(script)})`;
  const thread = new Worker(`${load}.catch(${answerEveryRequest.toString()})`, {
    eval: true,
    workerData: { replies: channel.port2 },
    transferList: [channel.port2],
  });
  thread.on('error', () => undefined);
  // Neither keeps ESLint's process alive once linting is done.
  thread.unref();
  channel.port1.unref();
  return { thread, replies: channel.port1 };
}

/** Run in the worker when it cannot load the engine: every request is answered with why, never left waiting. */
function answerEveryRequest(error: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = require('node:worker_threads') as typeof WorkerThreads;
  const replies = (threads.workerData as { replies: MessagePort }).replies;
  threads.parentPort?.on('message', (message: { signal: Int32Array }) => {
    replies.postMessage({
      reason: `the migration could not load (${String(error)})`,
    });
    Atomics.store(message.signal, 0, 1);
    Atomics.notify(message.signal, 0);
  });
}
