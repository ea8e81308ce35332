/**
 * New type errors become findings of the files they are in: error-level diagnostics with a marker
 * above the statement, the file's other findings moved down past the marker lines.
 */
import { severityOf, type Diagnostic, type PendingDiagnostic } from '../diagnostics/diagnostic.js';
import { renderMessage } from '../diagnostics/rules.js';
import { lineColumn } from '../edit/text-edits.js';
import { insertMarkers } from './markers.js';
import type { FileMigration } from './migrate-file.js';
import { newTypeErrors, type NewTypeError } from './typecheck.js';

export function withTypeErrors(
  files: readonly FileMigration[],
  created: readonly { readonly path: string; readonly text: string }[],
  root: string,
  displayPath: (file: string) => string,
): FileMigration[] {
  const changed = files.filter((f) => f.status === 'changed');
  if (changed.length === 0) return [...files];
  const { errors } = newTypeErrors(
    [
      ...changed.map((f) => ({ path: f.path, original: f.original, output: f.output })),
      ...created.map((f) => ({ path: f.path, original: undefined, output: f.text })),
    ],
    root,
  );
  if (errors.length === 0) return [...files];
  // A new file's errors (the runtime module under the project's settings) are said by the first file that needed it.
  const orphans = errors.filter((e) => !files.some((f) => f.path === e.path));
  return files.map((file, index) => {
    const own = errors.filter((e) => e.path === file.path);
    const extra =
      index === files.indexOf(changed[0]) ? orphans.map((e) => resolved(e, createdText(created, e), displayPath)) : [];
    if (own.length === 0 && extra.length === 0) return file;
    const marked = insertMarkers(file.output, own.map(pendingOf), /\.[jt]sx$/.test(file.path));
    const moved = file.diagnostics.map((d) => {
      const at = lineColumn(marked.text, marked.mapOffset(offsetOf(file.output, d.line, d.column)));
      const end = lineColumn(marked.text, marked.mapOffset(offsetOf(file.output, d.endLine, d.endColumn)));
      return { ...d, line: at.line, column: at.column, endLine: end.line, endColumn: end.column };
    });
    const found = own.map((e) => resolved({ ...e, offset: marked.mapOffset(e.offset) }, marked.text, displayPath));
    return { ...file, output: marked.text, diagnostics: [...moved, ...found, ...extra] };
  });
}

function pendingOf(error: NewTypeError): PendingDiagnostic {
  return {
    ruleId: 'mrtr/new-type-error',
    data: { code: String(error.code), detail: error.message },
    offset: error.offset,
    endOffset: error.offset,
    anchorOffset: error.anchor,
  };
}

function resolved(error: NewTypeError, text: string, displayPath: (file: string) => string): Diagnostic {
  const at = lineColumn(text, error.offset);
  return {
    ruleId: 'mrtr/new-type-error',
    severity: severityOf('mrtr/new-type-error'),
    message: renderMessage('mrtr/new-type-error', { code: String(error.code), detail: error.message }),
    file: displayPath(error.path),
    line: at.line,
    column: at.column,
    endLine: at.line,
    endColumn: at.column,
  };
}

function createdText(created: readonly { readonly path: string; readonly text: string }[], error: NewTypeError) {
  return created.find((f) => f.path === error.path)?.text ?? '';
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + column - 1;
}
