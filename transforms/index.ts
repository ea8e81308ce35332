/** The transform implementations, in the registry's order (transforms/registry.ts). */
import { handlerPass } from './handlers.js';
import { registration } from './registration.js';
import { registry } from './registry.js';
import { serving } from './serving.js';
import { testDoubles } from './test-doubles.js';
import type { Transform } from './types.js';
import { v1ToV2 } from './v1-to-v2.js';

const implementations: Readonly<Record<string, Transform>> = {
  [v1ToV2.id]: v1ToV2,
  [registration.id]: registration,
  [handlerPass.id]: handlerPass,
  [serving.id]: serving,
  [testDoubles.id]: testDoubles,
};

export const transforms: readonly Transform[] = registry.map((d) => {
  const implementation = implementations[d.id];
  if (!implementation) throw new Error(`transform ${d.id} has no implementation`);
  return implementation;
});

export type { Transform, TransformContext, TransformResult, HandlerOutcome, Risk, Strategy } from './types.js';
