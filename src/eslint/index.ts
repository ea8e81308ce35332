/**
 * `mrtr-migrate/eslint`: the migration's findings where every editor already looks, and the guard
 * that keeps MRTR code MRTR after it. Rule ids and messages come from the tool's one catalogue.
 *
 *   import mrtr from 'mrtr-migrate/eslint';
 *   export default [mrtr.configs.recommended];
 */
import type { ESLint, Linter, Rule } from 'eslint';
import { VERSION } from '../version.js';
import { flaggedSpot } from './flagged-spot.js';
import { noEffectBeforeGuard } from './no-effect-before-guard.js';
import { noPushRequest } from './no-push-request.js';
import { noStaleCapabilities } from './no-stale-capabilities.js';

export const rules: Record<string, Rule.RuleModule> = {
  'flagged-spot': flaggedSpot,
  'no-push-request': noPushRequest,
  'no-effect-before-guard': noEffectBeforeGuard,
  'no-stale-capabilities': noStaleCapabilities,
};

const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config } } = {
  meta: { name: 'mrtr-migrate', version: VERSION },
  rules,
  configs: { recommended: {} },
};

// A marker fails `review`, and a pushed request throws on 2026-07-28: both are errors. The other two
// are the catalogue's warnings.
plugin.configs.recommended = {
  name: 'mrtr-migrate/recommended',
  plugins: { 'mrtr-migrate': plugin },
  rules: {
    'mrtr-migrate/flagged-spot': 'error',
    'mrtr-migrate/no-push-request': 'error',
    'mrtr-migrate/no-effect-before-guard': 'warn',
    'mrtr-migrate/no-stale-capabilities': 'warn',
  },
};

export default plugin;
