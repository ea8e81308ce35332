/** `mrtr-migrate/flagged-spot`, tested as typescript-eslint tests its rules: RuleTester, exact messages and outputs. */
import { getRule } from '../src/diagnostics/rules.js';
import { rules } from '../src/eslint/index.js';
import { ruleTester } from './helpers/rule-tester.js';
import { explainBrief } from '../src/report/explain.js';

const tester = ruleTester();

const EFFECT_WHY =
  'Why: Under MRTR the handler re-runs from the top for every round, so code above a guard runs once per round: a ' +
  'payment, a write or a message would happen twice or more.\n\nFix: mrtr-migrate runs it once with `once` where ' +
  'it can, and the message says why it could not here. Move it below the guard when the ask does not depend on it ' +
  '(`--fix-effects` does this), give `once` a plain JSON result to carry, or make it idempotent with a key.';

const SEND_MESSAGE =
  '`mailer.send(...)` runs again on every round, before the `confirm` guard: it writes through send (not carried by ' +
  'once: its result is not plain JSON)';

tester.run('flagged-spot', rules['flagged-spot'], {
  valid: [
    { name: 'no marker', code: 'await mailer.send(note);' },
    { name: 'an ignore comment is not a marker', code: '// @mrtr-migrate-ignore mrtr/effect-before-guard\nrun();' },
    {
      name: 'false-negative: a marker naming a rule this version does not know (a newer tool wrote it)',
      code: '/* @mrtr-migrate mrtr/some-later-rule: something */\nrun();',
    },
    {
      name: 'false-negative: marker text in a line comment, which the tool never writes',
      code: '// @mrtr-migrate mrtr/effect-before-guard: `run()` runs again\nrun();',
    },
    {
      name: 'marker text inside a string is not a marker',
      code: "const text = '/* @mrtr-migrate mrtr/effect-before-guard: x */';",
    },
  ],
  invalid: [
    {
      name: 'a marker on its own line: reported at the code below it, marked reviewed by removing the line',
      code: [
        'async function handler() {',
        `  /* @mrtr-migrate mrtr/effect-before-guard: ${SEND_MESSAGE} */`,
        '  await mailer.send(note);',
        '}',
      ].join('\n'),
      errors: [
        {
          message: `${SEND_MESSAGE} (mrtr/effect-before-guard)\n\n${EFFECT_WHY}`,
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 27,
          suggestions: [
            {
              messageId: 'markReviewed',
              data: { ruleId: 'mrtr/effect-before-guard' },
              output: 'async function handler() {\n  await mailer.send(note);\n}',
            },
          ],
        },
      ],
    },
    {
      name: 'a marker holding two rules: one problem each, and each suggestion removes only its entry',
      code: [
        '/* @mrtr-migrate mrtr/ask-in-loop: first | mrtr/ask-in-try: second */',
        'for (const item of items) await ask(item);',
      ].join('\n'),
      errors: [
        {
          messageId: 'flagged',
          line: 2,
          column: 1,
          endColumn: 43,
          suggestions: [
            {
              messageId: 'markReviewed',
              data: { ruleId: 'mrtr/ask-in-loop' },
              output: '/* @mrtr-migrate mrtr/ask-in-try: second */\nfor (const item of items) await ask(item);',
            },
          ],
        },
        {
          messageId: 'flagged',
          line: 2,
          column: 1,
          suggestions: [
            {
              messageId: 'markReviewed',
              data: { ruleId: 'mrtr/ask-in-try' },
              output: '/* @mrtr-migrate mrtr/ask-in-loop: first */\nfor (const item of items) await ask(item);',
            },
          ],
        },
      ],
    },
    {
      name: 'a spot review finds in the code itself: no "mark reviewed", since removing the marker settles nothing',
      code: [
        '/* @mrtr-migrate mrtr/served-2025-only: `server.connect(transport)` serves this server only on 2025 */',
        'await server.connect(transport);',
      ].join('\n'),
      errors: [
        {
          messageId: 'flaggedInCode',
          data: {
            ruleId: 'mrtr/served-2025-only',
            message: '`server.connect(transport)` serves this server only on 2025',
            explain: explainBrief(getRule('mrtr/served-2025-only')),
          },
          line: 2,
          suggestions: [],
        },
      ],
    },
    {
      name: 'a marker inside a line: reported at the code after it',
      code: 'const total = sum(/* @mrtr-migrate mrtr/ask-not-awaited: left */ pending, 2);',
      errors: [
        {
          messageId: 'flagged',
          line: 1,
          column: 66,
          endColumn: 78,
          suggestions: [{ messageId: 'markReviewed', output: 'const total = sum(pending, 2);' }],
        },
      ],
    },
    {
      name: 'a marker in JSX children: its braces go with it',
      code: [
        'const view = (',
        '  <p>',
        '    {/* @mrtr-migrate mrtr/ask-in-helper: x */}',
        '    {text}',
        '  </p>',
        ');',
      ].join('\n'),
      filename: 'view.tsx',
      languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      errors: [
        {
          messageId: 'flagged',
          line: 4,
          column: 5,
          suggestions: [{ messageId: 'markReviewed', output: 'const view = (\n  <p>\n    {text}\n  </p>\n);' }],
        },
      ],
    },
  ],
});
