/** A splice on a text: replace [start, end) with `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Maps an offset in the old text to the corresponding offset in the edited text. */
export type OffsetMap = (offset: number) => number;

export const identityOffsets: OffsetMap = (offset) => offset;

export interface AppliedEdits {
  readonly text: string;
  readonly mapOffset: OffsetMap;
  /** Where an edit's new text starts in the output (for findings inside generated or moved text). */
  readonly outputStartOf: (edit: TextEdit) => number;
}

/**
 * Applies non-overlapping edits. Edits at the same start keep their given order; an offset
 * inside a replaced range maps to the start of its replacement.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): AppliedEdits {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.index - b.index)
    .map(({ edit }) => edit);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      throw new Error(
        `overlapping edits at ${sorted[i - 1].start}-${sorted[i - 1].end} and ${sorted[i].start}-${sorted[i].end}`,
      );
    }
  }
  let out = '';
  let cursor = 0;
  const starts = new Map<TextEdit, number>();
  for (const edit of sorted) {
    out += text.slice(cursor, edit.start);
    starts.set(edit, out.length);
    out += edit.text;
    cursor = edit.end;
  }
  out += text.slice(cursor);
  const mapOffset: OffsetMap = (offset) => {
    let delta = 0;
    for (const edit of sorted) {
      if (offset < edit.start) break;
      if (offset < edit.end) return edit.start + delta;
      delta += edit.text.length - (edit.end - edit.start);
    }
    return offset + delta;
  };
  const outputStartOf = (edit: TextEdit) => {
    const start = starts.get(edit);
    if (start === undefined) throw new Error('outputStartOf: edit was not applied here');
    return start;
  };
  return { text: out, mapOffset, outputStartOf };
}

export function composeOffsets(first: OffsetMap, second: OffsetMap): OffsetMap {
  return (offset) => second(first(offset));
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
