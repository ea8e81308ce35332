// One ESLint run over migrated projects, as an editor or CI runs it: @eslint/js and typescript-eslint's
// recommended rules, plus mrtr-migrate's recommended config when `--plugin` is given. Problems are not
// this script's concern; it exits 0 once linting is done.
import js from '@eslint/js';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const plugin = process.argv.includes('--plugin');
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const config = [
  { ignores: ['**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  ...(plugin ? [(await import('mrtr-migrate/eslint')).default.configs.recommended] : []),
];
let problems = 0;
for (const dir of dirs) {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config });
  for (const result of await eslint.lintFiles(['.'])) problems += result.messages.length;
}
process.stderr.write(`${problems} problems\n`);
