/** Unified diffs that `git apply` accepts from the repository root; coloured only on a terminal. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(displayPath: string, before: string | undefined, after: string, colour: boolean): string {
  const created = before === undefined;
  const patch = createTwoFilesPatch(
    created ? '/dev/null' : `a/${displayPath}`,
    `b/${displayPath}`,
    before ?? '',
    after,
    undefined,
    undefined,
    { context: 3 },
  );
  const body = patch
    .split('\n')
    .filter((line) => !/^={10,}$/.test(line))
    .map((line) => line.replace(/^(---|\+\+\+) (\S+)\t$/, '$1 $2'))
    .join('\n');
  const header = `diff --git a/${displayPath} b/${displayPath}\n${created ? 'new file mode 100644\n' : ''}`;
  const text = `${header}${body}`;
  return colour ? paint(text) : text;
}

function paint(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (/^(---|\+\+\+|diff )/.test(line)) return `\u001b[1m${line}\u001b[22m`;
      if (line.startsWith('@@')) return `\u001b[36m${line}\u001b[39m`;
      if (line.startsWith('+')) return `\u001b[32m${line}\u001b[39m`;
      if (line.startsWith('-')) return `\u001b[31m${line}\u001b[39m`;
      return line;
    })
    .join('\n');
}
