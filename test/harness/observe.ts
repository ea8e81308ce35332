/**
 * What one run of a case looked like from outside: the result the client saw, the questions it
 * was asked in order, and how often each effect ran.
 */
import type { EffectRecord } from '../../fixtures/_support/effects.js';
import type { Question } from '../../src/verify/scripted-client.js';

export type { Question };

export interface Observation {
  readonly outcome: { readonly result: unknown } | { readonly error: string };
  readonly questions: readonly Question[];
  readonly effects: readonly EffectRecord[];
}

export { normalize, ScriptedClient } from '../../src/verify/scripted-client.js';
