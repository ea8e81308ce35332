/**
 * `mrtr-migrate verify`: the user's own server, before and after, compared from outside. The
 * original is served to a 2025 client, as its users reach it today; the migrated copy to a client
 * pinned to 2026-07-28 and to a 2025 client. Lists must match, and each scripted call must give
 * the same result after asking the same questions.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  callEntry,
  listEntry,
  V1,
  v1ClientOf,
  type Call,
  type Capabilities,
  type ClientEra,
  type Entry,
  type Era,
  type Listing,
} from './entry.js';
import type { Answer } from './scripted-client.js';

export interface VerifyCase {
  readonly name: string;
  readonly call: Call;
  readonly answers: readonly Answer[];
  readonly capabilities?: Capabilities;
}

export interface Difference {
  /** `tools`, `prompts`, `resources`, `protocol`, or the case's name. */
  readonly what: string;
  readonly era: Era;
  readonly detail: string;
}

export interface Verification {
  readonly differences: readonly Difference[];
  /** What was compared, one line each: the listing, then each case, on each era. */
  readonly compared: readonly string[];
}

const ERAS: readonly Era[] = ['2026-07-28', '2025'];

export async function verify(original: Entry, migrated: Entry, cases: readonly VerifyCase[]): Promise<Verification> {
  const differences: Difference[] = [];
  const compared: string[] = [];
  // The original as its users reach it today: with SDK v1's client where the project has it, else on the 2025 era.
  const reach: ClientEra = v1ClientOf(original.cwd) ? V1 : '2025';
  const before = await listEntry(original, reach);
  for (const era of ERAS) {
    const after = await listEntry(migrated, era);
    compared.push(`tools, prompts and resources (${era})`);
    if (era === '2026-07-28' && after.protocolVersion !== '2026-07-28')
      differences.push({
        what: 'protocol',
        era,
        detail: `the migrated entry negotiated ${after.protocolVersion ?? 'nothing'}, not 2026-07-28`,
      });
    differences.push(...listed(before, after, era));
  }
  for (const item of cases) {
    const expected = await callEntry(original, reach, item.call, item.answers, item.capabilities);
    for (const era of ERAS) {
      const observed = await callEntry(migrated, era, item.call, item.answers, item.capabilities);
      compared.push(`${item.name} (${era})`);
      if (!isDeepStrictEqual(expected.outcome, observed.outcome))
        differences.push({
          what: item.name,
          era,
          detail: `result: before ${JSON.stringify(expected.outcome)}, after ${JSON.stringify(observed.outcome)}`,
        });
      if (!isDeepStrictEqual(expected.questions, observed.questions))
        differences.push({
          what: item.name,
          era,
          detail:
            `questions: before ${JSON.stringify(expected.questions)}, ` + `after ${JSON.stringify(observed.questions)}`,
        });
    }
  }
  return { differences, compared };
}

function listed(before: Listing, after: Listing, era: Era): Difference[] {
  return (['tools', 'prompts', 'resources'] as const).flatMap((kind) => {
    const missing = before[kind].filter((name) => !after[kind].includes(name));
    const added = after[kind].filter((name) => !before[kind].includes(name));
    if (missing.length === 0 && added.length === 0) return [];
    const parts = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(added.length > 0 ? [`new ${added.join(', ')}`] : []),
    ];
    return [{ what: kind, era, detail: parts.join('; ') }];
  });
}
