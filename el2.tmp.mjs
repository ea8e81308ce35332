import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
const t0 = performance.now();
const mrtr = (await import('mrtr-migrate/eslint')).default;
console.log('load', Math.round(performance.now() - t0));
const dirs = process.argv.slice(2);
const times = {};
for (const dir of dirs) {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [{ ignores: ['**/node_modules/**'] }, { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, mrtr.configs.recommended], stats: true });
  for (const r of await eslint.lintFiles(['.'])) {
    for (const m of r.messages) if (m.ruleId === 'mrtr-migrate/no-push-request') console.log('PUSH', r.filePath, m.line, m.fix ? 'fix' : m.message.slice(-80));
    for (const pass of r.stats?.times?.passes ?? []) for (const [rule, t] of Object.entries(pass.rules ?? {})) times[rule] = (times[rule] ?? 0) + t.total;
  }
}
console.log(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)])));
console.log('total', Math.round(performance.now() - t0));
