/** `mrtr-migrate explain [id]`: a rule, a strategy, or the list of both. */
import { allRules, getRule, isRuleId } from '../diagnostics/rules.js';
import { explainStrategy, explainText } from '../report/explain.js';
import { strategies, strategyOf, strategyReporting } from '../../transforms/registry.js';
import type { Strategy } from '../../transforms/types.js';
import { EXIT, type Streams } from './streams.js';

export function explain(ruleId: string | undefined, streams: Streams): number {
  if (!ruleId) {
    for (const rule of allRules)
      streams.stdout.write(`${rule.id.padEnd(36)} ${rule.severity.padEnd(8)} ${rule.title}\n`);
    for (const strategy of strategies) streams.stdout.write(`${strategy.id.padEnd(36)} strategy ${strategy.title}\n`);
    return EXIT.ok;
  }
  const strategy = strategyOf(ruleId) ?? strategyReporting(ruleId as Strategy);
  if (strategy) {
    streams.stdout.write(`${explainStrategy(strategy)}\n`);
    return EXIT.ok;
  }
  const id = ruleId.startsWith('mrtr/') ? ruleId : `mrtr/${ruleId}`;
  if (!isRuleId(id)) {
    streams.stderr.write(`mrtr-migrate: no rule or strategy ${ruleId}; run \`mrtr-migrate explain\` for the list\n`);
    return EXIT.usage;
  }
  streams.stdout.write(`${explainText(getRule(id))}\n`);
  return EXIT.ok;
}
