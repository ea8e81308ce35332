/** The style a file is written in, read from the file itself when the user has no prettier config. */
export interface CodeStyle {
  readonly singleQuote: boolean;
  readonly semi: boolean;
  readonly useTabs: boolean;
  readonly tabWidth: number;
  readonly trailingComma: 'all' | 'none';
  readonly printWidth: number;
}

export function detectCodeStyle(text: string): CodeStyle {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const single = (code.match(/'[^'\n]*'/g) ?? []).length;
  const double = (code.match(/"[^"\n]*"/g) ?? []).length;
  const lines = code.split('\n');
  const withSemi = lines.filter((l) => /[\w)\]'"`]\s*;\s*$/.test(l)).length;
  const statementEnds = lines.filter((l) =>
    /^\s*(const|let|var|return|import|export|await)\b.*[\w)\]'"`]\s*;?\s*$/.test(l),
  );
  const withoutSemi = statementEnds.filter((l) => !/;\s*$/.test(l)).length;
  const indents = lines.map((l) => /^([ \t]+)\S/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
  const tabs = indents.filter((s) => s.startsWith('\t')).length;
  const spaceWidths = indents.filter((s) => !s.includes('\t')).map((s) => s.length);
  const trailing = (code.match(/,\s*\n\s*[}\])]/g) ?? []).length;
  // A value (not a statement or block end) directly before a closing brace: no trailing comma.
  const bare = (code.match(/[\w'"`\]]\s*\n\s*[}\]]/g) ?? []).length;
  const lengths = text
    .split('\n')
    .map((l) => l.length)
    .sort((a, b) => a - b);
  const longest = lengths[Math.floor(lengths.length * 0.98)] ?? 0;
  return {
    singleQuote: single >= double,
    semi: withSemi >= withoutSemi,
    useTabs: tabs > indents.length / 2,
    tabWidth: smallestIndent(spaceWidths),
    trailingComma: trailing >= bare ? 'all' : 'none',
    printWidth: longest > 100 ? 120 : longest > 80 ? 100 : 80,
  };
}

function smallestIndent(widths: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const w of widths) if (w > 0 && w <= 8) counts.set(w, (counts.get(w) ?? 0) + 1);
  if (counts.size === 0) return 2;
  // The step between indentation levels: the smallest width that occurs more than once.
  const frequent = [...counts.entries()].filter(([, n]) => n > 1).map(([w]) => w);
  return Math.min(...(frequent.length > 0 ? frequent : [...counts.keys()]));
}

export function indentUnit(style: CodeStyle): string {
  return style.useTabs ? '\t' : ' '.repeat(style.tabWidth);
}

export function quote(style: CodeStyle, value: string): string {
  const q = style.singleQuote ? "'" : '"';
  return q + value.replace(/\\/g, '\\\\').replaceAll(q, '\\' + q) + q;
}
