/** The one ordered list of transforms. `--list`, the README table and the engine all read it. */
import { guardFirst } from './guard-first.js';
import type { Transform } from './types.js';
import { v1ToV2 } from './v1-to-v2.js';

export const transforms: readonly Transform[] = [v1ToV2, guardFirst];

export function findTransform(id: string): Transform | undefined {
  return transforms.find((t) => t.id === id);
}

export type { Transform, TransformContext, TransformResult, HandlerOutcome, Risk, Strategy } from './types.js';
