/**
 * What would run again if a resumable call's continuation were lost. Such a call waits in the
 * serving process between rounds, so normally nothing repeats; on another instance, after a
 * restart or once released, the retry replays the handler from the top with the carried answers.
 */
import type { RuleDefinition } from '../rule-definition.js';

const WHY =
  'A resumable call waits in the serving process between rounds, so this runs once. When the retry ' +
  'reaches a process that does not hold the call (another instance, a restart, a call released after ' +
  'its cap or expiry), the handler replays from the top, and this runs again.';

const FIX =
  'Serve every round of a call from one process (stdio, or sticky routing), make it idempotent, or set ' +
  "`configureRequestState({ whenGone: 'refuse' })` so a lost call fails instead of replaying.";

export const ON_REPLAY_RULES = [
  {
    id: 'mrtr/effect-on-replay',
    severity: 'warning',
    marker: true,
    title: 'A side effect would run again if the call were replayed',
    message:
      '`{{what}}` runs once while the call waits for `{{key}}`, but again if the call is replayed ' +
      '(its continuation lost): it {{why}}',
    why: WHY,
    fix: FIX,
    example: {
      before: 'await db.insert(row);\nconst r = await confirm(ctx); // asks the client',
      after:
        "await db.insert(row); // once per process that holds the call\nconst r = await askElicit('confirm', params);",
    },
  },
  {
    id: 'mrtr/outer-mutation-on-replay',
    severity: 'warning',
    marker: true,
    title: 'State that outlives the call would change again if the call were replayed',
    message:
      '`{{what}}` runs once while the call waits for `{{key}}`, but again if the call is replayed ' +
      '(its continuation lost): it {{why}}',
    why: WHY,
    fix: FIX,
  },
  {
    id: 'mrtr/nondeterministic-on-replay',
    severity: 'warning',
    marker: true,
    title: 'A value would differ if the call were replayed',
    message:
      '`{{what}}` keeps its value while the call waits for `{{key}}`, but a replay (its continuation ' +
      'lost) computes it afresh',
    why: WHY,
    fix: FIX,
  },
  {
    id: 'mrtr/unknown-call-on-replay',
    severity: 'warning',
    marker: true,
    title: 'Code the analysis cannot see would run again if the call were replayed',
    message:
      '`{{what}}` runs once while the call waits for `{{key}}`, but again if the call is replayed ' +
      '(its continuation lost), and the analysis cannot see what it does',
    why: WHY,
    fix:
      'Check what it does; if it is safe to repeat, mark it with `// @mrtr-migrate-pure`. Otherwise: ' +
      FIX.charAt(0).toLowerCase() +
      FIX.slice(1),
  },
] as const satisfies readonly RuleDefinition[];
