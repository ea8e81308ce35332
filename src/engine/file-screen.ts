/**
 * Reads each file of a run once into one reused buffer and tests it there: only files that pass
 * the screen get bytes of their own. On a large tree almost none do, so the run allocates (and
 * the garbage collector tracks) a few files' worth of memory instead of the whole tree's.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

let shared = Buffer.allocUnsafe(1 << 20);

export type Screened =
  | { readonly kind: 'passed'; readonly bytes: Buffer }
  | { readonly kind: 'screened-out' }
  | { readonly kind: 'unreadable' };

/** `screen` is tested on the file's bytes read as latin1, which ASCII needles survive. */
export function screenFile(file: string, screen: RegExp): Screened {
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size + 1 > shared.length) shared = Buffer.allocUnsafe(Math.max(size + 1, shared.length * 2));
      length = 0;
      // Read to the end even if the file grew since fstat.
      for (let n = 1; n > 0 && length < shared.length; length += n)
        n = readSync(fd, shared, length, shared.length - length, null);
      if (length === shared.length) return { kind: 'passed', bytes: readWhole(fd, shared) };
    } finally {
      closeSync(fd);
    }
  } catch {
    return { kind: 'unreadable' };
  }
  if (!screen.test(shared.toString('latin1', 0, length))) return { kind: 'screened-out' };
  return { kind: 'passed', bytes: Buffer.from(shared.subarray(0, length)) };
}

/** Text held elsewhere (an editor's unsaved buffer), screened as a file's bytes would be. */
export function screenText(text: string, screen: RegExp): Screened {
  const bytes = Buffer.from(text, 'utf8');
  return screen.test(bytes.toString('latin1')) ? { kind: 'passed', bytes } : { kind: 'screened-out' };
}

/** A file that outgrew the buffer while being read: keep reading into bytes of its own. */
function readWhole(fd: number, start: Buffer): Buffer {
  const chunks = [Buffer.from(start)];
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null))
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  return Buffer.concat(chunks);
}
