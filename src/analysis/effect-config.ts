/**
 * What users teach the side-effect analysis: functions or modules they know to be pure or
 * effectful, from `mrtr-migrate.config.json` or the `mrtr-migrate` key of package.json.
 *
 *   { "effects": { "pure": ["logger.*", "module:lodash"], "effectful": ["audit", "module:./billing"] } }
 *
 * A plain pattern matches the callee as written (`*` is a wildcard); `module:<specifier>` matches
 * every call through an import of that module.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeRegExp } from '../text/regexp.js';
import type { EffectCategory } from './effect-catalogue.js';

export interface EffectConfigFile {
  readonly effects?: { readonly pure?: readonly string[]; readonly effectful?: readonly string[] };
}

export class EffectConfig {
  private readonly rules: { readonly pattern: RegExp; readonly module: boolean; readonly category: EffectCategory }[];

  constructor(file: EffectConfigFile = {}) {
    const entries = [
      ...(file.effects?.effectful ?? []).map((p) => [p, 'effect'] as const),
      ...(file.effects?.pure ?? []).map((p) => [p, 'pure'] as const),
    ];
    this.rules = entries.map(([pattern, category]) => {
      const module = pattern.startsWith('module:');
      const body = module ? pattern.slice('module:'.length) : pattern;
      return { pattern: new RegExp(`^${body.split('*').map(escapeRegExp).join('.*')}$`), module, category };
    });
  }

  /** The category the user gave this callee, if any; effectful entries win over pure ones. */
  categoryOf(calleeText: string, importSpecifier: string | undefined): EffectCategory | undefined {
    for (const rule of this.rules) {
      const subject = rule.module ? importSpecifier : calleeText;
      if (subject !== undefined && rule.pattern.test(subject)) return rule.category;
    }
    return undefined;
  }
}

export const CONFIG_FILE = 'mrtr-migrate.config.json';

/** The config beside the repository root (or the run's root): the file wins over package.json. */
export function readEffectConfig(root: string): EffectConfigFile {
  const file = path.join(root, CONFIG_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as EffectConfigFile;
  const manifest = path.join(root, 'package.json');
  if (existsSync(manifest)) {
    try {
      const key = (JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>)['mrtr-migrate'];
      if (key && typeof key === 'object') return key;
    } catch {
      // A broken package.json is reported by npm, not by us.
    }
  }
  return {};
}
