/** ESLint's RuleTester on vitest, parsing TypeScript as the plugin's users do. */
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export function ruleTester(): RuleTester {
  return new RuleTester({ languageOptions: { parser: tseslint.parser } });
}
