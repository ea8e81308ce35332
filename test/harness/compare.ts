/**
 * The verdict for one case on one era: equivalent, equivalent but some effects re-ran (allowed
 * only when the codemod flagged exactly those effects), or different.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EffectRecord } from '../../fixtures/_support/effects.js';
import type { Observation } from './observe.js';

/** Whether a recorded effect was caused by a statement the codemod flagged as re-running. */
export type FlagTest = (record: EffectRecord) => boolean;

export type Verdict =
  | { readonly kind: 'equivalent' }
  | { readonly kind: 'equivalent-with-flagged-reruns'; readonly reran: readonly string[] }
  | { readonly kind: 'different'; readonly reasons: readonly string[] }
  | { readonly kind: 'timeout'; readonly era: string };

export function compare(before: Observation, after: Observation, isFlagged: FlagTest): Verdict {
  const reasons: string[] = [];
  if (!isDeepStrictEqual(before.outcome, after.outcome)) {
    reasons.push(`result differs: before ${JSON.stringify(before.outcome)}, after ${JSON.stringify(after.outcome)}`);
  }
  if (!isDeepStrictEqual(before.questions, after.questions)) {
    reasons.push(
      `questions differ: before ${JSON.stringify(before.questions)}, after ${JSON.stringify(after.questions)}`,
    );
  }
  const beforeCounts = countEffects(before);
  const afterCounts = countEffects(after);
  const reran: string[] = [];
  for (const name of new Set([...beforeCounts.keys(), ...afterCounts.keys()])) {
    const was = beforeCounts.get(name) ?? 0;
    const now = afterCounts.get(name) ?? 0;
    if (now < was || (was === 0 && now > 0)) reasons.push(`effect ${name} ran ${now} times, before ${was}`);
    else if (now > was) reran.push(name);
  }
  // A re-run is accounted for when the effect came, at least once, from a flagged statement.
  const unflagged = reran.filter((name) => !after.effects.some((e) => e.name === name && isFlagged(e)));
  if (unflagged.length > 0) reasons.push(`effects re-ran without a flag: ${unflagged.join(', ')}`);
  if (reasons.length > 0) return { kind: 'different', reasons };
  return reran.length > 0 ? { kind: 'equivalent-with-flagged-reruns', reran } : { kind: 'equivalent' };
}

function countEffects(observation: Observation): Map<string, number> {
  const counts = new Map<string, number>();
  for (const effect of observation.effects) counts.set(effect.name, (counts.get(effect.name) ?? 0) + 1);
  return counts;
}
