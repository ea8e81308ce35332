/**
 * `mrtr-migrate/no-effect-before-guard`: RuleTester, exact messages, and the exact output of each
 * suggestion (the carry-once pass's `once`, the fix-effects pass's move below the guard).
 */
import { rules } from '../src/eslint/index.js';
import { ruleTester } from './helpers/rule-tester.js';
import { scratchProject } from './helpers/scratch-project.js';

const tester = ruleTester();
const project = scratchProject(['tools.ts']);
const filename = project.file('tools.ts');

const SDK = "import { inputRequired, inputResponse, isInputRequiredResult } from '@modelcontextprotocol/server';";
const RUNTIME = "import { elicitAnswer, once } from './mrtr-request-state.js';";
const GUARD = [
  "  const answer = inputResponse(ctx.mcpReq.inputResponses, 'ok');",
  "  if (answer.kind !== 'elicit') {",
  "    return inputRequired({ inputRequests: { ok: inputRequired.elicit({ message: 'OK?', requestedSchema }) } });",
  '  }',
];

/** A guard-first tool handler with `above` before its guard and `below` after it. */
function tool(above: readonly string[], below: readonly string[] = [], imports = [SDK, RUNTIME]): string {
  return [
    ...imports,
    "server.registerTool('notify', { inputSchema }, async ({ user }, ctx) => {",
    ...above,
    ...GUARD,
    ...below,
    '  return { content: [] };',
    '});',
  ].join('\n');
}

tester.run('no-effect-before-guard', rules['no-effect-before-guard'], {
  valid: [
    { name: 'the effect below the guard', filename, code: tool([], ["  await mailer.send(user, 'Done');"]) },
    {
      name: 'the effect carried by once',
      filename,
      code: tool(["  await once(ctx, 'send', () => mailer.send(user, 'Asking'));"]),
    },
    {
      name: 'a varying value nothing after it reads',
      filename,
      code: tool(['  const started = Date.now();']),
    },
    {
      name: 'a spot the migration marked is reported by flagged-spot, not twice',
      filename,
      code: tool([
        '  /* @mrtr-migrate mrtr/effect-before-guard: `mailer.send(...)` runs again on every round */',
        "  await mailer.send(user, 'Asking');",
      ]),
    },
    {
      name: 'a step changing its carried values: the steps runtime hands each round a copy',
      filename,
      code: [
        SDK,
        "steps.incompleteStep('snack', async (step, { extras }) => {",
        "  extras.push('popcorn');",
        "  const snack = inputResponse(step.answers, 'snack');",
        "  if (snack.kind !== 'elicit') return inputRequired({ inputRequests: {} });",
        '  return step.next({ extras });',
        '});',
      ].join('\n'),
    },
    {
      name: 'SSE-era code has no guard yet (no-push-request reports its ask)',
      filename,
      code: [
        "server.registerTool('t', { inputSchema }, async ({ user }, ctx) => {",
        "  await mailer.send(user, 'Asking');",
        '  const answer = await ctx.mcpReq.elicitInput({ message: "OK?", requestedSchema });',
        '  return { content: [] };',
        '});',
      ].join('\n'),
    },
    {
      name: 'false-negative: an effect behind a property getter, which reads like a value',
      filename,
      code: tool(['  const ticket = counter.next;'], ['  use(ticket);']),
    },
  ],
  invalid: [
    {
      name: 'an effect right above the guard: wrapped in once, or moved below the guard',
      filename,
      code: tool(["  await mailer.send(user, 'A question is coming');"]),
      errors: [
        {
          message: '`mailer.send(...)` runs again on every round, before the `ok` guard: it writes through send',
          line: 4,
          column: 9,
          endColumn: 50,
          suggestions: [
            {
              messageId: 'wrapInOnce',
              output: tool(
                ["  await onceEffect(ctx, 'send', () => mailer.send(user, 'A question is coming'));"],
                [],
                [SDK, "import { elicitAnswer, once, onceEffect } from './mrtr-request-state.js';"],
              ),
            },
            {
              messageId: 'moveBelowGuard',
              data: { key: 'ok' },
              output: tool([], ["  await mailer.send(user, 'A question is coming');"]),
            },
          ],
        },
      ],
    },
    {
      name: 'each category the codemod flags, with its message; what once cannot carry says why',
      filename,
      code: [
        'let calls = 0;',
        tool(
          ['  calls++;', '  const hold = await holds.place(user);', '  const startedAt = Date.now();'],
          ['  report(hold, Date.now() - startedAt);'],
        ),
      ].join('\n'),
      errors: [
        {
          message:
            '`calls++` runs again on every round, before the `ok` guard: it changes `calls`, which outlives the round',
          line: 5,
          suggestions: [
            {
              messageId: 'wrapInOnce',
              output: [
                'let calls = 0;',
                tool(
                  [
                    "  await onceEffect(ctx, 'calls', () => { calls++; });",
                    '  const hold = await holds.place(user);',
                    '  const startedAt = Date.now();',
                  ],
                  ['  report(hold, Date.now() - startedAt);'],
                  [SDK, "import { elicitAnswer, once, onceEffect } from './mrtr-request-state.js';"],
                ),
              ].join('\n'),
            },
          ],
        },
        {
          message:
            '`holds.place(...)` runs again on every round, before the `ok` guard, and the analysis cannot see ' +
            'what it does (not carried by once: its value is of a type the analysis cannot see (`any`))',
          line: 6,
          column: 22,
          suggestions: [],
        },
        {
          message: '`Date.now(...)` gives a different value on every round, and the value is used after the `ok` guard',
          line: 7,
          suggestions: [
            {
              messageId: 'wrapInOnce',
              output: [
                'let calls = 0;',
                tool(
                  [
                    '  calls++;',
                    '  const hold = await holds.place(user);',
                    "  const startedAt = await once(ctx, 'startedAt', () => Date.now());",
                  ],
                  ['  report(hold, Date.now() - startedAt);'],
                ),
              ].join('\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'a native helper: the guard is `if (isInputRequiredResult(answer))`, its key the one it asks under',
      filename,
      code: [
        SDK,
        RUNTIME,
        'export async function confirm(ctx: ServerContext | undefined, message: string) {',
        '  audit.push(message);',
        "  const answer = await elicitAnswer(ctx, 'confirm', { message, requestedSchema });",
        '  if (isInputRequiredResult(answer)) return answer;',
        "  return answer.action === 'accept';",
        '}',
      ].join('\n'),
      errors: [
        {
          messageId: 'mrtr/outer-mutation-before-guard',
          data: {
            what: 'audit.push(...)',
            key: 'confirm',
            why: 'changes `audit`, which outlives the round',
            notCarried: '',
          },
          suggestions: [
            {
              messageId: 'wrapInOnce',
              output: [
                SDK,
                "import { elicitAnswer, once, onceEffect } from './mrtr-request-state.js';",
                'export async function confirm(ctx: ServerContext | undefined, message: string) {',
                "  await onceEffect(ctx, 'push', () => { audit.push(message); });",
                "  const answer = await elicitAnswer(ctx, 'confirm', { message, requestedSchema });",
                '  if (isInputRequiredResult(answer)) return answer;',
                "  return answer.action === 'accept';",
                '}',
              ].join('\n'),
            },
            {
              messageId: 'moveBelowGuard',
              output: [
                SDK,
                RUNTIME,
                'export async function confirm(ctx: ServerContext | undefined, message: string) {',
                "  const answer = await elicitAnswer(ctx, 'confirm', { message, requestedSchema });",
                '  if (isInputRequiredResult(answer)) return answer;',
                '  audit.push(message);',
                "  return answer.action === 'accept';",
                '}',
              ].join('\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'a file that does not import the runtime module: no once, the move only',
      filename,
      code: tool(["  await mailer.send(user, 'Asking');"], [], [SDK]),
      errors: [
        {
          messageId: 'mrtr/effect-before-guard',
          suggestions: [
            { messageId: 'moveBelowGuard', output: tool([], ["  await mailer.send(user, 'Asking');"], [SDK]) },
          ],
        },
      ],
    },
  ],
});
