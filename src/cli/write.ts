/** Atomic writes: a temporary file beside the target, then a rename, keeping the file's mode. */
import { renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeAtomic(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.mrtr-${process.pid}.tmp`);
  const mode = statSync(file).mode;
  try {
    writeFileSync(temporary, text, { mode });
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing to clean up.
    }
    throw error;
  }
}
