/**
 * Fixture inputs type-check against the SDK they were written for (v1 or v2), and every output
 * against the installed @modelcontextprotocol/server: a rewrite that does not compile fails here.
 */
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { expect, it } from 'vitest';
import { findFixtures, FIXTURES } from './helpers/fixtures.js';

it('every fixture input and output type-checks', () => {
  const project = new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      allowJs: true,
      checkJs: false,
      types: ['node'],
    },
  });
  const pairs = findFixtures();
  for (const pair of pairs) {
    project.addSourceFileAtPath(pair.input);
    project.addSourceFileAtPath(pair.output);
  }
  const problems = project
    .getPreEmitDiagnostics()
    .map(
      (d) =>
        `${path.relative(FIXTURES, d.getSourceFile()?.getFilePath() ?? '?')}:${d.getLineNumber()}: ` +
        `${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, ' ')}`,
    );
  expect(problems).toEqual([]);
});
