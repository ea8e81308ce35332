/**
 * The one catalogue of rules. Every diagnostic names a rule here; its message is rendered from
 * the rule's template, so wording lives in one place and `explain`, SARIF help and the README
 * table can all be derived from it.
 */
import type { RuleDefinition } from './rule-definition.js';
import { ASK_RULES } from './rules/asks.js';
import { BEFORE_GUARD_RULES } from './rules/before-guard.js';
import { ON_REPLAY_RULES } from './rules/on-replay.js';
import { REACH_AND_STATE_RULES } from './rules/reach-and-state.js';
import { REGISTRATION_RULES } from './rules/registration.js';
import { RUN_RULES } from './rules/run.js';
import { SERVING_RULES } from './rules/serving.js';
import { SURFACE_UPGRADE_RULES } from './rules/surface-upgrade.js';
import { TEST_DOUBLE_RULES } from './rules/test-doubles.js';

export type { RuleDefinition, Severity } from './rule-definition.js';

// The catalogue's order is the README table's, `explain`'s and SARIF's rule index.
const rules = [
  ...ASK_RULES,
  ...SURFACE_UPGRADE_RULES,
  ...REGISTRATION_RULES,
  ...BEFORE_GUARD_RULES,
  ...ON_REPLAY_RULES,
  ...REACH_AND_STATE_RULES,
  ...SERVING_RULES,
  ...TEST_DOUBLE_RULES,
  ...RUN_RULES,
] as const;

export type RuleId = (typeof rules)[number]['id'];

const byId = new Map<string, RuleDefinition>(rules.map((rule) => [rule.id, rule]));

export const allRules: readonly RuleDefinition[] = rules;

export function getRule(id: RuleId): RuleDefinition {
  const rule = byId.get(id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}

export function isRuleId(id: string): id is RuleId {
  return byId.has(id);
}

/** Fills a rule's message template; a missing placeholder is a programming error. */
export function renderMessage(id: RuleId, data: Readonly<Record<string, string>>): string {
  return getRule(id).message.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`rule ${id}: no value for {{${name}}}`);
    return value;
  });
}
