/**
 * An entry point served over HTTP, for the harness's entry-point mode: the entry runs as a child
 * process with `PORT` set to a free port, and is ready once that port accepts a connection.
 */
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

export interface HttpServing {
  /** Where the entry serves MCP: `/mcp`. */
  readonly path: string;
  /** Headers every request carries, such as the bearer token the entry's auth middleware wants. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The deprecated HTTP+SSE transport instead of Streamable HTTP (a 2025-era client only). */
  readonly transport?: 'sse';
}

export interface ListeningEntry {
  readonly url: URL;
  readonly sse: boolean;
  readonly headers: Record<string, string>;
  stop(): Promise<void>;
}

interface EntryProcess {
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the entry on a free port; rejects with its stderr if it exits or never listens. */
export async function listening(entry: EntryProcess, serving: HttpServing): Promise<ListeningEntry> {
  const port = await freePort();
  const child = spawn(entry.command, entry.args, {
    cwd: entry.cwd,
    env: { ...entry.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (child.exitCode !== null) throw new Error(`the entry exited with ${child.exitCode} before listening: ${stderr}`);
    if (await accepts(port)) {
      const url = new URL(serving.path, `http://127.0.0.1:${port}`);
      return { url, sse: serving.transport === 'sse', headers: { ...serving.headers }, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`the entry did not listen on port ${port} within 30 s: ${stderr}`);
}
