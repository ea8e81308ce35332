/** The one range two texts differ in, and what replaces it: a whole-file rewrite as a minimal fix. */
export function changedRange(
  before: string,
  after: string,
): { readonly start: number; readonly end: number; readonly text: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < shorter - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}
