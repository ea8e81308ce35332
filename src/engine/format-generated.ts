/**
 * Formats only the code the codemod generated: each sentinel-delimited region is printed by
 * prettier with the user's config (or the file's detected style) and re-indented in place.
 */
import type * as Prettier from 'prettier';
import type { Options as PrettierOptions } from 'prettier';
import { GENERATED_BEGIN, GENERATED_END } from '../edit/generated.js';
import { escapeRegExp } from '../text/regexp.js';
import type { CodeStyle } from '../edit/code-style.js';
import { applyEdits, type AppliedEdits, type TextEdit } from '../edit/text-edits.js';
import { changedAskStatements } from './changed-asks.js';
import { changedHeaders, formatHeaders } from './changed-headers.js';

const REGION = new RegExp(
  `^([ \\t]*)${escapeRegExp(GENERATED_BEGIN)}\\n([\\s\\S]*?)^[ \\t]*${escapeRegExp(GENERATED_END)}$`,
  'gm',
);

export function hasGeneratedRegions(text: string): boolean {
  return text.includes(GENERATED_BEGIN);
}

// Prettier is loaded on first use: most files of a large tree never generate code.
let prettierModule: Promise<typeof Prettier> | undefined;
const loadPrettier = () => (prettierModule ??= import('prettier'));

/**
 * `original`: the file before the run. An import the run wrote or merged into (one not found
 * there as written) is printed by prettier too: merged names must not make a 200-column line.
 */
export async function formatGenerated(
  text: string,
  filePath: string,
  style: CodeStyle,
  original?: string,
): Promise<AppliedEdits> {
  const imports = original === undefined ? [] : changedImports(text, original);
  const asks = original === undefined ? [] : changedAskStatements(text, original, filePath);
  const headers = original === undefined ? [] : changedHeaders(text, original, filePath);
  if (!hasGeneratedRegions(text) && imports.length === 0 && asks.length === 0 && headers.length === 0)
    return applyEdits(text, []);
  const prettier = await loadPrettier();
  const options = await prettierOptions(prettier, filePath, style);
  const importEdits = await formatImports(prettier, imports, filePath, options);
  const headerEdits = await formatHeaders(prettier, headers, options, parserFor(filePath));
  const regions = [
    ...[...text.matchAll(REGION)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
      indent: match[1],
      statements: dedent(match[2], match[1]),
    })),
    // The statements around a runtime ask are the run's lines too; replaced from their first character, so
    // a finding anchored there keeps its place (and its marker its indentation).
    ...asks.map((s) => ({
      start: s.start + s.indent.length,
      end: s.end,
      indent: s.indent,
      statements: dedent(s.text, s.indent),
      inline: true,
    })),
  ];
  // One prettier call per indentation (printWidth depends on it), not one per region.
  const byIndent = new Map<string, typeof regions>();
  for (const region of regions) byIndent.set(region.indent, [...(byIndent.get(region.indent) ?? []), region]);
  const edits: TextEdit[] = [];
  for (const [indent, group] of byIndent) {
    const formatted = await formatStatements(
      prettier,
      group.map((r) => r.statements),
      filePath,
      options,
      indent,
    );
    group.forEach((region, i) =>
      edits.push({
        start: region.start,
        end: region.end,
        text: 'inline' in region ? formatted[i].slice(region.indent.length) : formatted[i],
      }),
    );
  }
  // A header inside a statement printed whole is printed with it.
  const apart = headerEdits.filter((h) => !edits.some((e) => e.start <= h.start && h.end <= e.end));
  return applyEdits(text, [...edits, ...importEdits, ...apart]);
}

/** `import … from '…';` and `const { … } = require('…');` at the start of a line, across lines. */
const IMPORT =
  /^(?:import\s[^;'"`]*?\sfrom\s*(['"])[^'"\n]+\1|const\s*\{[^}]*\}\s*=\s*require\(\s*(['"])[^'"\n]+\2\s*\));?/gm;

function changedImports(text: string, original: string): { start: number; end: number; text: string }[] {
  // An import that only moved to another module is as its author wrote it: prettier need not load for it.
  const written = new Set([...original.matchAll(IMPORT)].map((match) => withoutModule(match[0])));
  return [...text.matchAll(IMPORT)]
    .filter((match) => !original.includes(match[0]) && !written.has(withoutModule(match[0])))
    .map((match) => ({ start: match.index, end: match.index + match[0].length, text: match[0] }));
}

function withoutModule(declaration: string): string {
  return declaration.replace(/(['"])[^'"\n]+\1(?=\s*\)?;?$)/, '$1$1');
}

async function formatImports(
  prettier: typeof Prettier,
  imports: readonly { start: number; end: number; text: string }[],
  filePath: string,
  options: PrettierOptions,
): Promise<TextEdit[]> {
  if (imports.length === 0) return [];
  const format = async (text: string) =>
    (await prettier.format(text, { ...options, parser: parserFor(filePath) })).trimEnd();
  // One prettier call for all of a file's imports (a run changes the imports of nearly every file),
  // cut apart at comment lines prettier keeps; one call each if that does not come back whole.
  let printed: string[] | undefined;
  try {
    const parts = (await format(imports.map((i) => i.text).join(`\n${IMPORT_SEPARATOR}\n`))).split(SEPARATOR_LINE);
    if (parts.length === imports.length) printed = parts.map((part) => part.trim());
  } catch {
    // One of them does not parse alone: each is tried by itself below.
  }
  const edits: TextEdit[] = [];
  for (const [i, declaration] of imports.entries()) {
    let text = printed?.[i];
    if (text === undefined) {
      try {
        text = await format(declaration.text);
      } catch {
        continue; // A declaration prettier cannot read alone stays as it is.
      }
    }
    if (text !== declaration.text) edits.push({ start: declaration.start, end: declaration.end, text });
  }
  return edits;
}

const IMPORT_SEPARATOR = '// @mrtr-migrate import separator';
const SEPARATOR_LINE = new RegExp(`\\n?[ \\t]*${escapeRegExp(IMPORT_SEPARATOR)}[ \\t]*\\n?`);

async function prettierOptions(
  prettier: typeof Prettier,
  filePath: string,
  style: CodeStyle,
): Promise<PrettierOptions> {
  let config: PrettierOptions | null;
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

/**
 * Each group of statements is printed inside a throwaway async function (so `return` and
 * `await` parse), all groups in one document, then cut apart again at the function boundaries.
 */
async function formatStatements(
  prettier: typeof Prettier,
  groups: readonly string[],
  filePath: string,
  options: PrettierOptions,
  indent: string,
): Promise<string[]> {
  const unit = options.useTabs ? '\t' : ' '.repeat(options.tabWidth ?? 2);
  const width =
    (options.printWidth ?? 80) - visualWidth(indent, options.tabWidth ?? 2) + visualWidth(unit, options.tabWidth ?? 2);
  const wrapped = groups.map((statements, i) => `async function ${WRAPPER}${i}() {\n${statements}\n}\n`).join('\n');
  const reindent = (lines: string[]) =>
    lines
      .map((line) => (line.startsWith(unit) ? indent + line.slice(unit.length) : line === '' ? '' : indent + line))
      .join('\n');
  try {
    const printed = await prettier.format(wrapped, {
      ...options,
      printWidth: width,
      parser: parserFor(filePath),
      rangeStart: undefined,
      rangeEnd: undefined,
    });
    const lines = printed.split('\n');
    return groups.map((_, i) => {
      const open = lines.findIndex((line) => line.startsWith(`async function ${WRAPPER}${i}()`));
      const close = lines.findIndex((line, at) => at > open && line === '}');
      if (open === -1 || close === -1) throw new Error('prettier output lost a region');
      return reindent(lines.slice(open + 1, close));
    });
  } catch {
    // Unformatted but valid beats failing the file: the sentinels still go.
    return groups.map((statements) => reindent(statements.split('\n').map((line) => (line === '' ? '' : unit + line))));
  }
}

const WRAPPER = '__mrtrGenerated';

/** Babel's parsers print generated statements exactly as the TypeScript one does, at half the cost. */
function parserFor(filePath: string): 'babel-ts' | 'babel' {
  return /\.(ts|tsx|mts|cts)$/.test(filePath) ? 'babel-ts' : 'babel';
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
