/** The text of `mrtr-migrate explain <rule-id>`, from the rule catalogue. */
import type { RuleDefinition } from '../diagnostics/rules.js';

export function explainText(rule: RuleDefinition): string {
  const lines = [`${rule.id}: ${rule.title} (${rule.severity}${rule.marker ? ', marked in the code' : ''})`, '', `Why: ${rule.why}`, '', `Fix: ${rule.fix}`];
  if (rule.example) {
    lines.push('', 'Before:', ...indent(rule.example.before), '', 'After:', ...indent(rule.example.after));
  }
  return lines.join('\n');
}

function indent(code: string): string[] {
  return code.split('\n').map((line) => `    ${line}`);
}
