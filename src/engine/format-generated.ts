/**
 * Formats only the code the codemod generated: each sentinel-delimited region is printed by
 * prettier with the user's config (or the file's detected style) and re-indented in place.
 */
import * as prettier from 'prettier';
import { GENERATED_BEGIN, GENERATED_END } from '../../transforms/lib/generated.js';
import type { CodeStyle } from './code-style.js';
import { applyEdits, type AppliedEdits, type TextEdit } from './text-edits.js';

const REGION = new RegExp(`^([ \\t]*)${escape(GENERATED_BEGIN)}\\n([\\s\\S]*?)^[ \\t]*${escape(GENERATED_END)}$`, 'gm');

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function hasGeneratedRegions(text: string): boolean {
  return text.includes(GENERATED_BEGIN);
}

export async function formatGenerated(text: string, filePath: string, style: CodeStyle): Promise<AppliedEdits> {
  if (!hasGeneratedRegions(text)) return applyEdits(text, []);
  const options = await prettierOptions(filePath, style);
  const edits: TextEdit[] = [];
  for (const match of text.matchAll(REGION)) {
    const [whole, indent, inner] = match;
    const formatted = await formatStatements(dedent(inner, indent), filePath, options, indent);
    edits.push({ start: match.index, end: match.index + whole.length, text: formatted });
  }
  return applyEdits(text, edits);
}

async function prettierOptions(filePath: string, style: CodeStyle): Promise<prettier.Options> {
  let config: prettier.Options | null = null;
  try {
    config = await prettier.resolveConfig(filePath, { editorconfig: true });
  } catch {
    config = null;
  }
  return (
    config ?? {
      singleQuote: style.singleQuote,
      semi: style.semi,
      useTabs: style.useTabs,
      tabWidth: style.tabWidth,
      trailingComma: style.trailingComma,
      printWidth: style.printWidth,
    }
  );
}

/** Statements are printed inside a throwaway async function so `return` and `await` parse. */
async function formatStatements(statements: string, filePath: string, options: prettier.Options, indent: string): Promise<string> {
  const unit = options.useTabs ? '\t' : ' '.repeat(options.tabWidth ?? 2);
  const width = (options.printWidth ?? 80) - visualWidth(indent, options.tabWidth ?? 2) + visualWidth(unit, options.tabWidth ?? 2);
  const wrapped = `async function __mrtrGenerated() {\n${statements}\n}\n`;
  try {
    const printed = await prettier.format(wrapped, { ...options, printWidth: width, filepath: withScriptExtension(filePath), rangeStart: undefined, rangeEnd: undefined });
    const lines = printed.trimEnd().split('\n').slice(1, -1);
    return lines.map((line) => (line.startsWith(unit) ? indent + line.slice(unit.length) : line === '' ? '' : indent + line)).join('\n');
  } catch {
    // Unformatted but valid beats failing the file: the sentinels still go.
    return statements
      .split('\n')
      .map((line) => (line === '' ? '' : indent + line))
      .join('\n');
  }
}

function withScriptExtension(filePath: string): string {
  return /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(filePath) ? filePath : `${filePath}.ts`;
}

function dedent(inner: string, indent: string): string {
  return inner
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
    .join('\n');
}

function visualWidth(whitespace: string, tabWidth: number): number {
  let width = 0;
  for (const ch of whitespace) width += ch === '\t' ? tabWidth : 1;
  return width;
}
