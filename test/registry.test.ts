/** The registry is the one ordered list; each transform's declared prerequisites come before it. */
import { expect, it } from 'vitest';
import { transforms } from '../transforms/index.js';
import { allRules } from '../src/diagnostics/rules.js';

it('orders every transform after the transforms it runs after', () => {
  const position = new Map(transforms.map((t, i) => [t.id, i]));
  for (const t of transforms) {
    for (const before of t.runsAfter) {
      expect(position.has(before), `${t.id} runs after unknown ${before}`).toBe(true);
      expect(position.get(before)!, `${t.id} must come after ${before}`).toBeLessThan(position.get(t.id)!);
    }
  }
});

it('has unique transform ids and rule ids', () => {
  expect(new Set(transforms.map((t) => t.id)).size).toBe(transforms.length);
  expect(new Set(allRules.map((r) => r.id)).size).toBe(allRules.length);
  for (const rule of allRules) expect(rule.id).toMatch(/^mrtr\/[a-z0-9-]+$/);
});
