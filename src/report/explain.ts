/** The text of `mrtr-migrate explain <rule-id | strategy>`, from the rule catalogue and the registry. */
import type { RuleDefinition } from '../diagnostics/rules.js';
import type { StrategyDescriptor } from '../../transforms/registry.js';

export function explainText(rule: RuleDefinition): string {
  const lines = [
    `${rule.id}: ${rule.title} (${rule.severity}${rule.marker ? ', marked in the code' : ''})`,
    '',
    explainBrief(rule),
  ];
  if (rule.example) {
    lines.push('', 'Before:', ...indent(rule.example.before), '', 'After:', ...indent(rule.example.after));
  }
  return lines.join('\n');
}

/** Why the rule matters and what to do, as `explain` says it (without the example). */
export function explainBrief(rule: RuleDefinition): string {
  return `Why: ${rule.why}\n\nFix: ${rule.fix}`;
}

/** Where a strategy lives and what it can report, so a report's `strategy` field leads to the code. */
export function explainStrategy(strategy: StrategyDescriptor): string {
  return [
    `${strategy.id}: ${strategy.title} (a strategy of the handler pass)`,
    '',
    strategy.description,
    '',
    `Reported as: ${strategy.reports.map((s) => `strategy "${s}"`).join(', ')}`,
    `Code: transforms/${strategy.id}.ts`,
    `Fixtures: fixtures/${strategy.id}/`,
    `Select it alone: mrtr-migrate -t ${strategy.id}`,
    '',
    'Rules it can raise:',
    ...strategy.rules.map((id) => `    ${id}`),
  ].join('\n');
}

function indent(code: string): string[] {
  return code.split('\n').map((line) => `    ${line}`);
}
