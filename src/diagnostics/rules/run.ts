/** The run itself: files it cannot take, asks it left, and what -t left out. */
import type { RuleDefinition } from '../rule-definition.js';

export const RUN_RULES = [
  {
    id: 'mrtr/runtime-kept',
    severity: 'info',
    marker: false,
    title: 'Your changed runtime module was kept',
    message: '{{file}} differs from the one mrtr-migrate would write; it was left as it is',
    why: 'The runtime module is yours once written: mrtr-migrate never overwrites a changed copy.',
    fix: 'Compare it with a fresh copy (delete it and run again on a scratch branch) if you want the latest version.',
  },
  {
    id: 'mrtr/unmigrated-ask',
    severity: 'warning',
    marker: false,
    title: 'An SSE-era ask is still in the code',
    message: '{{kind}} request still pushed to the client; it fails on protocol revision 2026-07-28',
    why: 'Server-to-client requests throw on a 2026-07-28 request before anything reaches the wire.',
    fix: 'Run `mrtr-migrate` on the file, or rewrite the ask as a guard returning `inputRequired(...)`.',
  },
  {
    id: 'mrtr/parse-error',
    severity: 'error',
    marker: false,
    title: 'The file does not parse',
    message: 'the file does not parse ({{detail}}); it was left untouched',
    why: 'A rewrite of code that does not parse could lose text.',
    fix: 'Fix the syntax error and run again.',
  },
  {
    id: 'mrtr/internal-error',
    severity: 'error',
    marker: false,
    title: 'A transform failed on this file',
    message: 'transform `{{transform}}` failed: {{detail}}; the file was left untouched',
    why: 'Each file is migrated atomically: when any step fails the file is rolled back.',
    fix: 'Report the error with the smallest file that reproduces it.',
  },
  {
    id: 'mrtr/strategy-not-selected',
    severity: 'warning',
    marker: false,
    title: 'The strategy this code needs was left out with -t',
    message: '{{what}} needs the `{{strategy}}` strategy, which -t left out; it still asks the SSE way',
    why: 'An ask left as written still pushes a request to the client, which fails on protocol revision 2026-07-28.',
    fix: 'Run again with the strategy in `-t` (or without `-t`), or rewrite the ask by hand.',
  },
  {
    id: 'mrtr/native-by-deployment',
    severity: 'info',
    marker: false,
    title: 'Served where no call can wait between rounds: the run writes no held call',
    message:
      'this project is served by {{how}}, where the retry of a round can reach a fresh instance: the run takes ' +
      '--target native, so no call is held, and an ask only a held call could serve is left as written ' +
      '(mrtr/held-refused)',
    why:
      'A held call waits in the memory of the process that served the first round. A Worker, a serverless ' +
      'function or a stateless route serves each request from a fresh instance, or any of several: the held ' +
      'call is not there, and the replay runs again what came before the ask.',
    fix: 'Nothing to do; pass `--target any` if every round of a call reaches the same process.',
  },
  {
    id: 'mrtr/held-refused',
    severity: 'error',
    marker: true,
    title: '--target native left an ask that only a held call could serve',
    message:
      '{{what}} asks from a helper, a loop or a try block that the native rewrite does not take yet; ' +
      '--target native refuses a held call, so it still asks the SSE way',
    why:
      'A held call waits in one process between rounds. Where the retry can reach another instance (several ' +
      'instances behind a load balancer, serverless functions, Workers) the held call is not there, and the ' +
      'replay runs again what came before the ask. An ask left as written fails on protocol revision 2026-07-28.',
    fix:
      'Rewrite the ask by hand: read its answer from `ctx.mcpReq.inputResponses` and return ' +
      '`inputRequired(...)` from the handler when it is missing; or run without `--target native` where one ' +
      'process serves every round (stdio, or HTTP with session affinity).',
  },
  {
    id: 'mrtr/new-type-error',
    severity: 'error',
    marker: true,
    title: 'The migrated code has a type error the original did not',
    message: 'TS{{code}} after the migration, not before: {{detail}}',
    why:
      "The changed files are type-checked with the project's own tsconfig, before and after the run. An error " +
      "only the output has is the migration's doing: the build, or the editor, now fails here.",
    fix:
      'Fix the code the message points at (a name v2 no longer exports, a handler whose parameters changed), ' +
      'then delete this marker. `--no-typecheck` skips the check on a project too large to check in one go.',
  },
] as const satisfies readonly RuleDefinition[];
