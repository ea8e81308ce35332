/** What a migrated file takes from the project's runtime module, and what that copy lacks: a fix may not use it. */
import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createProject } from '../src/engine/migrate-file.js';
import { missingRuntimeNames, runtimeImportOf } from '../src/eslint/runtime-import.js';
import { scratchProject } from './helpers/scratch-project.js';

const project = scratchProject(['tools.ts', 'tools.cjs']);
writeFileSync(project.file('mrtr-request-state.cjs'), 'exports.elicitAnswer = elicitAnswer;\n');

function parse(name: string, text: string) {
  return createProject().createSourceFile(project.file(name), text, { overwrite: true });
}

it('finds every name in the ES module copy, and names what it lacks', () => {
  const file = parse(
    'tools.ts',
    "import { elicitAnswer, once, type CarriedAnswers, notExported } from './mrtr-request-state.js';",
  );
  expect(missingRuntimeNames(file)).toEqual(['notExported']);
  expect(runtimeImportOf(file)?.has('onceEffect')).toBe(true);
});

it('reads a CommonJS require of the runtime, and its CommonJS exports', () => {
  const file = parse('tools.cjs', "const { elicitAnswer, once } = require('./mrtr-request-state.cjs');");
  expect(missingRuntimeNames(file)).toEqual(['once']);
  expect(runtimeImportOf(file)?.specifier).toBe('./mrtr-request-state.cjs');
});

it('counts every name missing when the module is not there at all', () => {
  const file = parse('tools.ts', "import { elicitAnswer } from './elsewhere/mrtr-request-state.js';");
  expect(missingRuntimeNames(file)).toEqual(['elicitAnswer']);
  expect(runtimeImportOf(file)).toBeUndefined();
});
