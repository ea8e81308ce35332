/** `npm run docs:rules`: rewrites the README's rule table from the catalogue. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withRulesTable } from '../src/report/rules-table.js';

writeFileSync('README.md', withRulesTable(readFileSync('README.md', 'utf8')));
