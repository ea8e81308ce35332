/**
 * Function headers the run rewrote (a native helper's added context parameter, its result type
 * widened to admit the request): the signature is the run's line, so prettier prints it, alone,
 * and the body stays byte for byte as it was.
 */
import type * as Prettier from 'prettier';
import type { Options as PrettierOptions } from 'prettier';
import { ts } from '../ts-morph.js';
import { lineStartOf, type TextEdit } from '../edit/text-edits.js';

const RUN_TYPES = /\b(ServerContext|InputRequiredResult)\b/;
/** What a native helper's header gains: an optional context, or a result that admits the request. */
const RUN_HEADER = /\?\s*:\s*ServerContext\b|\|\s*InputRequiredResult\s*>/;

interface Header {
  readonly start: number;
  readonly end: number;
  readonly indent: string;
  readonly text: string;
  readonly method: boolean;
}

export function changedHeaders(text: string, original: string, filePath: string): Header[] {
  if (!RUN_HEADER.test(text)) return [];
  const kind = /\.[cm]?tsx?$/.test(filePath) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sourceFile = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, kind);
  const found: Header[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body) {
      const start = node.getStart(sourceFile);
      const end = node.body.getStart(sourceFile);
      const header = text.slice(start, end).trimEnd();
      const lineStart = lineStartOf(text, start);
      const indent = text.slice(lineStart, start);
      // Only a header on lines of its own (no decorator or comment before it on the line), new to the run.
      if (/^[ \t]*$/.test(indent) && RUN_TYPES.test(header) && !original.includes(header) && !header.includes('//'))
        found.push({ start, end: start + header.length, indent, text: header, method: ts.isMethodDeclaration(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Each header printed by prettier at its own indentation; one that does not print alone is left. */
export async function formatHeaders(
  prettier: typeof Prettier,
  headers: readonly Header[],
  options: PrettierOptions,
  parser: string,
): Promise<TextEdit[]> {
  const edits: TextEdit[] = [];
  const unit = options.useTabs ? '\t' : ' '.repeat(options.tabWidth ?? 2);
  for (const header of headers) {
    const nested = header.method ? unit : '';
    const snippet = header.method ? `class Wrapper {\n${unit}${header.text} {}\n}\n` : `${header.text} {}\n`;
    const width = (options.printWidth ?? 80) - header.indent.length + nested.length;
    let printed: string;
    try {
      printed = await prettier.format(snippet, { ...options, parser, printWidth: width });
    } catch {
      continue;
    }
    const lines = printed.trimEnd().split('\n');
    const body = header.method ? lines.slice(1, -1) : lines;
    const last = body.length - 1;
    if (last < 0 || !body[last].endsWith('{}')) continue;
    body[last] = body[last].slice(0, -2).trimEnd();
    const reindented = body.map((line, i) => {
      const own = line.startsWith(nested) ? line.slice(nested.length) : line;
      return i === 0 ? own : `${header.indent}${own}`;
    });
    const formatted = reindented.join('\n');
    if (formatted !== header.text) edits.push({ start: header.start, end: header.end, text: formatted });
  }
  return edits;
}
