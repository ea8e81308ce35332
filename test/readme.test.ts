/** The README's rule table is the catalogue's, and every flag the README documents exists. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { withRulesTable } from '../src/report/rules-table.js';

const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');

it('has the rule table generated from the catalogue (npm run docs:rules)', () => {
  expect(readme).toBe(withRulesTable(readme));
});
