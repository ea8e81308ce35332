/** What every command writes to and how it ends: the process's streams, or a test's, and the exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface Streams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export function processStreams(): Streams {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Report files: one name, three formats. */
export const REPORT_FORMAT = /\.(md|json|sarif)$/;

/** A line of a file's text, for reports that quote the code they point at. */
export function lineOf(texts: ReadonlyMap<string, string>): (file: string, line: number) => string {
  return (file, line) => texts.get(file)?.split('\n')[line - 1] ?? '';
}
