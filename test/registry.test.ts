/** The registry is the one ordered list; each transform's declared prerequisites come before it. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { strategies, strategyReporting } from '../transforms/registry.js';
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

it('gives every strategy one name everywhere: module, fixture folder, README section', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  for (const strategy of strategies) {
    expect(existsSync(path.join(root, 'transforms', `${strategy.id}.ts`)), strategy.id).toBe(true);
    const fixtures = readdirSync(path.join(root, 'fixtures', strategy.id));
    expect(
      fixtures.some((f) => f.includes('.input.')),
      strategy.id,
    ).toBe(true);
    expect(readme, strategy.id).toMatch(new RegExp(`^## ${strategy.id}: `, 'm'));
    expect(readme, strategy.id).toContain(`\`fixtures/${strategy.id}/\``);
    for (const rule of strategy.rules)
      expect(
        allRules.some((r) => r.id === rule),
        rule,
      ).toBe(true);
  }
  // Every value the report can give names a strategy, or says the handler was left as written.
  for (const value of ['guard-first', 'one-round', 'multi-round', 'steps', 'resumable'] as const) {
    expect(strategyReporting(value), value).toBeDefined();
  }
  expect(strategyReporting('left-unchanged')).toBeUndefined();
});
