/**
 * The one ordered list of transforms, as light descriptors: ids, order, what they do and the text
 * test that rules a file out. The CLI, the README and the engine's pre-filter read this; the
 * implementations in transforms/index.ts follow the same order.
 */
import { INPUT_POINT_NEEDLES, INPUT_POINT_TEXT } from '../src/analysis/input-point-text.js';

export interface TransformDescriptor {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Transforms that must have run on the file first; the order below is tested against this. */
  readonly runsAfter: readonly string[];
  /** A cheap text test: a file that fails it is left to other transforms without parsing. */
  appliesTo(text: string): boolean;
  /** Byte strings at least one of which a file must contain for `appliesTo` to pass (checked before decoding). */
  readonly needles: readonly string[];
}

const V1_IMPORT = /@modelcontextprotocol\/sdk\b/;

export const registry: readonly TransformDescriptor[] = [
  {
    id: 'v1-to-v2',
    title: 'SDK v1 to v2 surface upgrade',
    description: 'Runs the official @modelcontextprotocol/codemod v1-to-v2 transforms (imports, renames, handler context).',
    runsAfter: [],
    appliesTo: (text) => V1_IMPORT.test(text),
    needles: ['@modelcontextprotocol/sdk'],
  },
  {
    id: 'guard-first',
    title: 'Guard-first handlers',
    description: 'Rewrites asks in tools/prompts/resources handlers into guards that return inputRequired(...) when the answer is missing, carrying earlier answers in signed requestState when questions depend on them.',
    runsAfter: ['v1-to-v2'],
    appliesTo: (text) => INPUT_POINT_TEXT.test(text),
    needles: INPUT_POINT_NEEDLES,
  },
];

export function descriptor(id: string): TransformDescriptor {
  const found = registry.find((d) => d.id === id);
  if (!found) throw new Error(`no transform ${id} in the registry`);
  return found;
}
