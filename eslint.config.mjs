// Lint for the project's own code: typescript-eslint's type-aware recommended rules, plus the
// boundaries the layout promises. Fixtures and harness test data are bytes under test, not code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ENGINE_OR_CLI = {
  group: ['**/engine/*', '**/cli/*'],
  message: 'Transforms and analysis plan edits; the engine and the CLI use them, never the reverse.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'fixtures/', 'test/harness/wrong/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // prettier keeps code within 120 columns; this keeps strings and comments there too.
      'max-len': ['error', { code: 120, ignoreUrls: false, ignoreStrings: false, ignoreTemplateLiterals: false }],
      // One job per file: past this, a module is doing two.
      'max-lines': ['error', { max: 400 }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `declare namespace ts` types the compiler API that src/ts-morph.ts loads with require.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only the CLI (and the module written into users' projects) touches the process.
    files: ['src/**/*.ts', 'transforms/**/*.ts'],
    ignores: ['src/cli/**', 'src/runtime/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Only src/cli touches the process: take what you need as a parameter.' },
      ],
    },
  },
  {
    files: ['transforms/**/*.ts', 'src/analysis/**/*.ts', 'src/edit/**/*.ts', 'src/diagnostics/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_OR_CLI] }] },
  },
  {
    // Written into users' projects as one file they may keep and change: split, a changed part would be
    // kept while the parts beside it were replaced, and the two would no longer fit.
    files: ['src/runtime/mrtr-request-state.ts'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON reports and fixture modules untyped on purpose: asserting their shape is the test's job.
    files: ['bench/**', 'test/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Handlers given to the SDK and to vitest are async by signature, awaited or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
