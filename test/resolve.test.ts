/**
 * Following a call into the file that exports its function, for each way a module exports one,
 * from the syntax alone: the type checker (a whole program per file the run adds) is never asked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveCallee } from '../src/analysis/resolve.js';
import { functionName } from '../src/analysis/functions.js';
import { createProject } from '../src/engine/migrate-file.js';
import { Node, SyntaxKind } from '../src/ts-morph.js';

const ask =
  `await server.server.elicitInput({ message: 'Sure?', requestedSchema: { type: 'object', properties: ` + `{} } })`;

const files: Record<string, string> = {
  'default-export.ts':
    `async function confirmDefault(server: any) { return ${ask}; }\nexport default ` + `confirmDefault;\n`,
  'named-later.ts': `async function confirmLater(server: any) { return ${ask}; }\nexport { confirmLater };\n`,
  'keyword.ts': `export async function confirmKeyword(server: any) { return ${ask}; }\n`,
  'module-exports.cjs':
    `async function confirmModule(server) { return ${ask}; }\nmodule.exports = { ` + `confirmModule };\n`,
  'exports-property.cjs': `exports.confirmProperty = async function confirmProperty(server) { return ${ask}; };\n`,
  'not-exported.ts':
    `const local = 1;\nasync function confirmHidden(server: any) { return ${ask}; }\nexport ` +
    `const other = local;\n`,
};

const main = `import confirmDefault from './default-export.js';
import { confirmLater } from './named-later.js';
import { confirmKeyword } from './keyword.js';
import { confirmHidden } from './not-exported.js';
const { confirmModule } = require('./module-exports.cjs');
const { confirmProperty } = require('./exports-property.cjs');
export async function run(server: any) {
  await confirmDefault(server);
  await confirmLater(server);
  await confirmKeyword(server);
  await confirmModule(server);
  await confirmProperty(server);
  await confirmHidden(server);
}
`;

afterEach(() => vi.restoreAllMocks());

describe('resolveCallee across files', () => {
  it('follows every export style from the syntax, without building a program', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-resolve-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    // Every road to the type checker in ts-morph goes through a node's symbol.
    const symbols = vi.spyOn(Node.prototype, 'getSymbol');
    const project = createProject();
    const source = project.createSourceFile(path.join(dir, 'main.ts'), main);
    const resolved = source.getDescendantsOfKind(SyntaxKind.CallExpression).map((call) => {
      const target = resolveCallee(call.getExpression());
      return [call.getExpression().getText(), target ? (functionName(target) ?? '(anonymous)') : undefined];
    });
    expect(Object.fromEntries(resolved.filter(([callee]) => callee !== 'require'))).toEqual({
      confirmDefault: 'confirmDefault',
      confirmLater: 'confirmLater',
      confirmKeyword: 'confirmKeyword',
      confirmModule: 'confirmModule',
      confirmProperty: 'confirmProperty',
      confirmHidden: undefined,
    });
    expect(symbols).not.toHaveBeenCalled();
  });
});
