/** What the v1-to-v2 surface upgrade reports, and SDK v1 it leaves alone. */
import type { RuleDefinition } from '../rule-definition.js';

export const SURFACE_UPGRADE_RULES = [
  {
    id: 'mrtr/v2-upgrade',
    severity: 'warning',
    marker: true,
    title: 'The v1-to-v2 surface upgrade needs a hand',
    message: '{{detail}}',
    why:
      'Reported by the official `@modelcontextprotocol/codemod` v1-to-v2 transforms, which mrtr-migrate runs ' +
      'before its own pass.',
    fix: 'Follow the message; the official upgrade guide covers each case.',
  },
  {
    id: 'mrtr/commonjs-v1-require',
    severity: 'warning',
    marker: true,
    title: 'SDK v1 loaded with require() is not upgraded',
    message:
      'this file loads SDK v1 with require(); the official v1-to-v2 codemod upgrades import declarations only, ' +
      "so asks in this run's CommonJS files are left as written",
    why:
      'Guards need the v2 `McpServer` (it hands the handler `ctx.mcpReq.inputResponses`). Rewriting handlers ' +
      'while their server stays on v1 would leave every ask unanswered, so CommonJS files are held back until ' +
      'the SDK ' +
      'they load is v2.',
    fix:
      'Switch this file to `import` (or change the require to the v2 packages by hand), then run ' +
      'mrtr-migrate again.',
    example: {
      before: "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');",
      after: "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n// then run mrtr-migrate again",
    },
  },
  {
    id: 'mrtr/v2-upgrade-note',
    severity: 'info',
    marker: false,
    title: 'Note from the v1-to-v2 surface upgrade',
    message: '{{detail}}',
    why: 'Reported by the official `@modelcontextprotocol/codemod` v1-to-v2 transforms.',
    fix: 'Read the note; usually nothing to do.',
  },
  {
    id: 'mrtr/tasks-removed',
    severity: 'info',
    marker: false,
    title: 'Task store options removed',
    message: 'removed {{what}}: SDK v2 has no tasks, and the v1 classes they were built from are gone',
    why:
      'SEP-2663 moved tasks to the Extensions Track and SDK v2 has no task store. The official transforms drop ' +
      'the tasks import but keep `new InMemoryTaskStore()` and the options, so the module would throw a ' +
      'ReferenceError when it loads.',
    fix: 'Nothing to do here. Tools that used tasks are marked `mrtr/task-based` where they are.',
  },
  {
    id: 'mrtr/shape-forwarder-upgraded',
    severity: 'info',
    marker: false,
    title: 'A forwarder generic over a raw shape now uses zod types',
    message:
      "`{{name}}` was generic over SDK v1's `ZodRawShapeCompat`, which v2 does not export; it now takes zod's " +
      '`ZodRawShape`, types its callback by the `ZodObject` built from it, and registers that object',
    why:
      'The official transforms drop the zod-compat import and leave the generic signature naming it, and v2 types a ' +
      "tool's callback by a schema object, not a raw shape: the forwarder and every handler passed to it stop " +
      'compiling.',
    fix: 'Nothing to do.',
    example: {
      before: 'function register<S extends ZodRawShapeCompat>(name: string, shape: S, cb: ToolCallback<S>)',
      after: 'function register<S extends z.ZodRawShape>(name: string, shape: S, cb: ToolCallback<z.ZodObject<S>>)',
    },
  },
] as const satisfies readonly RuleDefinition[];
