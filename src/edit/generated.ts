/**
 * Generated statements travel between two sentinel comments until the engine formats them
 * with prettier and removes the sentinels, so only code the codemod wrote is ever reformatted.
 */
export const GENERATED_BEGIN = '// @mrtr-migrate:generated-begin';
export const GENERATED_END = '// @mrtr-migrate:generated-end';

/** Wraps statement lines in sentinels, indented like the statement they replace. */
export function generatedRegion(lines: readonly string[], indent: string): string {
  return [GENERATED_BEGIN, ...lines, GENERATED_END].map((line) => indent + line).join('\n');
}
