/**
 * The one ordered list of what a run does, as light descriptors the CLI, the README and the
 * engine's pre-filter read without loading the engine:
 *
 * - passes, run over each file in order: the v1-to-v2 surface upgrade, then the handler pass;
 * - strategies, the ways the handler pass rewrites a handler. The planner picks one per handler.
 *
 * A strategy's id is its module (`transforms/<id>.ts`), its fixture folder (`fixtures/<id>/`),
 * its `-t` value and what the report's `strategy` field names. The implementations in
 * transforms/index.ts follow the same order.
 */
import { INPUT_POINT_NEEDLES, INPUT_POINT_TEXT, servesText } from '../src/analysis/input-point-text.js';
import { isTestPath } from '../src/analysis/test-files.js';
import type { RuleId } from '../src/diagnostics/rules.js';
import type { Strategy, StrategyDescriptor, TransformDescriptor } from './types.js';

export type { StrategyDescriptor, TransformDescriptor } from './types.js';

const V1_IMPORT = /@modelcontextprotocol\/sdk\b/;
const REGISTRATION_TIMING = /\.oninitialized\s*=|getClientCapabilities\(\)/;
/** A v1 request stub's members, or a stub server's scripted asks. */
const V1_TEST_DOUBLE = /\b(sendRequest|sendNotification|_meta|elicitInput|createMessage|listRoots)\b/;

/** The id of the pass that runs the strategies; internal, `-t` takes the strategies' ids. */
export const HANDLER_PASS = 'handlers';

export const registry: readonly TransformDescriptor[] = [
  {
    id: 'v1-to-v2',
    title: 'SDK v1 to v2 surface upgrade',
    description:
      'Runs the official @modelcontextprotocol/codemod v1-to-v2 transforms (imports, renames, handler context).',
    runsAfter: [],
    appliesTo: (text) => V1_IMPORT.test(text),
    needles: ['@modelcontextprotocol/sdk'],
  },
  {
    id: 'registration',
    title: 'Registered when the server is built',
    description:
      'Moves handler registrations out of oninitialized callbacks, and registrations gated on the capabilities ' +
      'declared at initialize into the handlers, which check the capabilities of each request: a 2026-07-28 ' +
      'client sends no initialize.',
    runsAfter: ['v1-to-v2'],
    appliesTo: (text) => REGISTRATION_TIMING.test(text),
    needles: ['oninitialized', 'getClientCapabilities'],
  },
  {
    id: HANDLER_PASS,
    title: 'MRTR-native handlers',
    description:
      'Rewrites the asks of tools/prompts/resources handlers with the strategy the planner picks for each handler.',
    runsAfter: ['v1-to-v2', 'registration'],
    appliesTo: (text) => INPUT_POINT_TEXT.test(text),
    needles: INPUT_POINT_NEEDLES,
  },
  {
    id: 'serving',
    title: 'Served on 2026-07-28',
    description:
      'Moves stdio entry points from server.connect(new StdioServerTransport()) to serveStdio(...) and puts a ' +
      'createMcpHandler leg in front of Streamable HTTP routes, so both eras are served; marks entry points still ' +
      'served only on the 2025 era (SSE, custom transports, FastMCP, Cloudflare agents).',
    runsAfter: ['v1-to-v2', HANDLER_PASS],
    appliesTo: servesText,
    needles: ['ServerTransport', 'FastMCP', 'transportType', 'McpAgent', '.serve(', '.serveSSE(', '.mount('],
  },
  {
    id: 'test-doubles',
    title: "Tests' v1 request and server stubs",
    description:
      "Calls in the project's tests that hand a handler an SDK v1 request stub ({ sendRequest, … }) go through " +
      "the runtime's callWithV1Extra, which gives the handler the v2 context and answers its questions with the " +
      'stub; stub servers whose server.elicitInput, createMessage or listRoots a test scripts go through ' +
      'v1StubServer, which drives the handlers registered on them the same way.',
    runsAfter: ['v1-to-v2', HANDLER_PASS],
    // Only tests hold test doubles; without the path check every asking file would pay a re-parse.
    appliesTo: (text, filePath) => isTestPath(filePath) && V1_TEST_DOUBLE.test(text),
    needles: ['sendRequest', 'sendNotification', '_meta', 'elicitInput', 'createMessage', 'listRoots'],
  },
];

const BEFORE_GUARD_RULES: readonly RuleId[] = [
  'mrtr/effect-before-guard',
  'mrtr/outer-mutation-before-guard',
  'mrtr/nondeterministic-before-guard',
  'mrtr/unknown-call-before-guard',
  'mrtr/read-before-guard',
];
const GUARD_RULES: readonly RuleId[] = [
  ...BEFORE_GUARD_RULES,
  'mrtr/effect-moved-below-guard',
  'mrtr/carried-once',
  'mrtr/risk-above-max',
  'mrtr/context-param-unavailable',
  'mrtr/request-options-dropped',
  'mrtr/validation-not-preserved',
  'mrtr/elicitation-id-dropped',
];
const CARRIED_STATE_RULES: readonly RuleId[] = ['mrtr/secret-in-state', 'mrtr/request-state-unwired'];

export const strategies: readonly StrategyDescriptor[] = [
  {
    id: 'guard-first',
    title: 'Guard-first handlers',
    description:
      'An ask awaited in the handler becomes a guard in place that returns inputRequired(...) while the answer ' +
      'is missing; independent asks share one round (reported as one-round).',
    reports: ['guard-first', 'one-round'],
    rules: GUARD_RULES,
  },
  {
    id: 'multi-round',
    title: 'Multi-round handlers',
    description:
      'Dependent questions stay guards in place; the answers of earlier rounds travel in signed requestState.',
    reports: ['multi-round'],
    rules: [...GUARD_RULES, ...CARRIED_STATE_RULES],
  },
  {
    id: 'steps',
    title: 'ToolBuilder steps',
    description:
      'Dependent questions split the handler into ToolBuilder steps, so code between two questions runs once ' +
      '(--style steps, or -t steps without multi-round).',
    reports: ['steps'],
    rules: [...GUARD_RULES, ...CARRIED_STATE_RULES, 'mrtr/secret-carried', 'mrtr/steps-not-applied'],
  },
  {
    id: 'native-helpers',
    title: 'Native helpers',
    description:
      'An ask in a helper reads its answer from the context the handler passes down, or returns ' +
      'inputRequired(...), which every caller on the way returns: nothing is held between rounds, so any ' +
      'instance serves the retry.',
    reports: ['native-helpers'],
    rules: [
      ...BEFORE_GUARD_RULES,
      'mrtr/native-helper',
      'mrtr/native-in-handler',
      'mrtr/request-options-dropped',
      'mrtr/elicitation-id-dropped',
    ],
  },
  {
    id: 'resumable',
    title: 'Resumable handlers',
    description:
      'Asks in loops and try blocks, and in helpers that cannot return the request, become asks of the runtime ' +
      'that hold the call between rounds; a retry another instance serves replays it from the top.',
    reports: ['resumable'],
    rules: [
      ...BEFORE_GUARD_RULES,
      'mrtr/resumable-helper',
      'mrtr/helper-unreached',
      'mrtr/server-construction-unseen',
      'mrtr/request-state-unwired',
      'mrtr/request-options-dropped',
      'mrtr/elicitation-id-dropped',
    ],
  },
];

/** What `-t` accepts, in run order: the passes a user can pick, the handler pass standing for its strategies. */
export const selectableIds: readonly string[] = registry.flatMap((d) =>
  d.id === HANDLER_PASS ? strategies.map((s) => s.id) : [d.id],
);

export function descriptor(id: string): TransformDescriptor {
  const found = registry.find((d) => d.id === id);
  if (!found) throw new Error(`no transform ${id} in the registry`);
  return found;
}

export function strategyOf(id: string): StrategyDescriptor | undefined {
  return strategies.find((s) => s.id === id);
}

/** The strategy that produced a report's `strategy` value; undefined for `left-unchanged`. */
export function strategyReporting(value: Strategy): StrategyDescriptor | undefined {
  return strategies.find((s) => s.reports.includes(value));
}
