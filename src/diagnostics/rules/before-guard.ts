/** What runs again above a guard on every round, and rewrites held back for it. */
import type { RuleDefinition } from '../rule-definition.js';

export const BEFORE_GUARD_RULES = [
  {
    id: 'mrtr/effect-before-guard',
    severity: 'warning',
    marker: true,
    title: 'A side effect runs again on every round',
    message: '`{{what}}` runs again on every round, before the `{{key}}` guard: it {{why}}{{notCarried}}',
    why:
      'Under MRTR the handler re-runs from the top for every round, so code above a guard runs once per ' +
      'round: a payment, a write or a message would happen twice or more.',
    fix:
      'mrtr-migrate runs it once with `once` where it can, and the message says why it could not here. ' +
      'Move it below the guard when the ask does not depend on it (`--fix-effects` does this), give `once` a ' +
      'plain JSON result to carry, or make it idempotent with a key.',
    example: {
      before: 'await db.insert(row);\nconst r = await server.server.elicitInput(params);',
      after:
        "const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\nif (r.kind !== 'elicit') return " +
        'inputRequired({ inputRequests: { confirm: inputRequired.elicit(params) } });\nawait db.insert(row); // ' +
        'now runs once',
    },
  },
  {
    id: 'mrtr/outer-mutation-before-guard',
    severity: 'warning',
    marker: true,
    title: 'State that outlives the round is changed again on every round',
    message: '`{{what}}` runs again on every round, before the `{{key}}` guard: it {{why}}{{notCarried}}',
    why:
      'A module or closure variable, cache or counter keeps its value between rounds, so a change above a ' +
      'guard is applied once per round.',
    fix:
      'Move the change below the guard (`--fix-effects`), or derive it from `requestState` instead of ' +
      'mutating shared state.',
    example: {
      before: 'requestCount++;\nconst r = await server.server.elicitInput(params);',
      after:
        "const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\nif (r.kind !== 'elicit') return " +
        'inputRequired({ /* ... */ });\nrequestCount++;',
    },
  },
  {
    id: 'mrtr/nondeterministic-before-guard',
    severity: 'warning',
    marker: true,
    title: 'A value differs between rounds',
    message:
      '`{{what}}` gives a different value on every round, and the value is used after the `{{key}}` guard' +
      '{{notCarried}}',
    why:
      'The round that asks and the round that gets the answer compute it afresh, so an id, timestamp or ' +
      'random choice shown in the question is not the one used afterwards.',
    fix:
      'Carry a JSON form of it with `once(ctx, key, () => …)` (a `Date` as its `toISOString()`), or compute ' +
      'it after the guard.',
    example: {
      before:
        'const id = randomUUID();\nconst r = await server.server.elicitInput({ message: `Keep ${id}?`, ' +
        'requestedSchema });\nuse(id);',
      after: "const id = await once(ctx, 'id', () => randomUUID());\n// the guard, then\nuse(id);",
    },
  },
  {
    id: 'mrtr/unknown-call-before-guard',
    severity: 'warning',
    marker: true,
    title: 'Code the analysis cannot see runs again on every round',
    message:
      '`{{what}}` runs again on every round, before the `{{key}}` guard, and the analysis cannot see what it ' +
      'does{{notCarried}}',
    why: 'If the call has effects they now happen once per round.',
    fix:
      'Check what it does; if it is safe to repeat, mark it with `// @mrtr-migrate-pure` or list it as pure ' +
      'in `mrtr-migrate.config.json`.',
    example: {
      before: 'await vendor.sync(order);\nconst r = await server.server.elicitInput(params);',
      after: '// @mrtr-migrate-pure  (when it is safe to repeat)\nawait vendor.sync(order);',
    },
  },
  {
    id: 'mrtr/read-before-guard',
    severity: 'info',
    marker: false,
    title: 'A read runs again on every round',
    message:
      '`{{what}}` runs again on every round before the `{{key}}` guard ({{why}}); it costs a repeat, not correctness',
    why: 'Reads above a guard are repeated each round: a cost, not a change in behaviour.',
    fix: 'Nothing to do unless the read is expensive; carry its result in `requestState` if it is.',
  },
  {
    id: 'mrtr/carried-once',
    severity: 'info',
    marker: true,
    title: 'Runs once per call; later rounds take its result from requestState',
    message:
      '`{{what}}` now runs once per call, in the first round that reaches it, before the `{{key}}` guard; ' +
      'later rounds of the call {{later}}',
    why:
      'Under MRTR the handler runs again from the top each round. `once` runs the code in the first round ' +
      'that reaches it and carries its result (plain JSON, signed, bound to the call) to the later ones, ' +
      'so an effect happens once and a value shown in the question is the one used after it. In a loop, ' +
      'each pass carries its own.',
    fix:
      'Check that once per call is right: a new call (not a retry) runs it again, a throw is not carried ' +
      '(the next round runs it again), and the client can read the carried value. `--fix-effects` moves ' +
      'effects below the guard instead where it can; `--no-carry-effects` leaves them flagged.',
    example: {
      before:
        'const orderId = randomUUID();\n' +
        'const r = await server.server.elicitInput({ message: `Place ${orderId}?`, requestedSchema });',
      after:
        "const orderId = await once(ctx, 'orderId', () => randomUUID());\n" +
        "const r = inputResponse(ctx.mcpReq.inputResponses, 'place');",
    },
  },
  {
    id: 'mrtr/effect-moved-below-guard',
    severity: 'warning',
    marker: true,
    title: 'An effect was moved below the guard',
    message:
      'moved below the `{{key}}` guard by --fix-effects: it now runs once, in the round where the answer ' +
      'arrives (decline or not), instead of before the question',
    why:
      'Moving the effect keeps it from repeating, but it now happens after the user answered, and also when ' +
      'the answer is a decline or cancel.',
    fix:
      'Check that running after the answer is right; move it into the accept branch if it should only run on ' +
      'accept.',
  },
  {
    id: 'mrtr/risk-above-max',
    severity: 'warning',
    marker: true,
    title: 'Not rewritten: riskier than --max-risk allows',
    message:
      'handler `{{handler}}` was not rewritten: its rewrite is `{{risk}}` ({{reason}}), above --max-risk {{max}}',
    why: 'The run was limited to rewrites of a lower risk class.',
    fix: 'Review the reason, then run again with `--max-risk review`, or rewrite by hand.',
    example: {
      before: 'mrtr-migrate --max-risk safe src/',
      after: 'mrtr-migrate --max-risk review src/',
    },
  },
] as const satisfies readonly RuleDefinition[];
