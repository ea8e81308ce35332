/**
 * The per-file pipeline with small transforms of our own: a transform may edit the tree or hand
 * back text, the next one always sees the current text, and output that does not parse rolls the
 * file back whichever way it was produced.
 */
import { describe, expect, it } from 'vitest';
import { identityOffsets } from '../src/edit/text-edits.js';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import type { Transform, TransformResult } from '../transforms/types.js';
import type { SourceFile } from 'ts-morph';

const source = 'const a = 1;\nexport const b = a + 1;\n';

function transform(id: string, edit: (sourceFile: SourceFile) => string | void): Transform {
  return {
    id,
    title: id,
    description: id,
    runsAfter: [],
    needles: [],
    appliesTo: () => true,
    apply(sourceFile): TransformResult {
      const text = edit(sourceFile) ?? undefined;
      return { changed: true, diagnostics: [], handlers: [], mapOffset: identityOffsets, text };
    },
  };
}

const byText = transform('by-text', (file) => file.getFullText().replace('const a = 1', 'const a = 2'));
const byTree = transform('by-tree', (file) => {
  file.getVariableDeclarationOrThrow('b').setInitializer('a * 10');
});

async function run(...transforms: Transform[]) {
  return migrateFile(createProject(), '/virtual/file.ts', source, {
    transforms,
    projectType: 'server',
    displayPath: 'file.ts',
  });
}

describe('migrateFile', () => {
  it('re-parses handed-back text before a later transform reads the tree', async () => {
    const result = await run(byText, byTree);
    expect(result.status).toBe('changed');
    expect(result.output).toBe('const a = 2;\nexport const b = a * 10;\n');
  });

  it('keeps handed-back text as the output when it comes last', async () => {
    const result = await run(byTree, byText);
    expect(result.output).toBe('const a = 2;\nexport const b = a * 10;\n');
    expect(result.appliedTransforms).toEqual(['by-tree', 'by-text']);
  });

  it('rolls back handed-back text that does not parse, naming the transform', async () => {
    const broken = transform('broken', (file) => `${file.getFullText()}export const c = (;\n`);
    const result = await run(byTree, broken);
    expect(result.status).toBe('error');
    expect(result.output).toBe(source);
    expect(result.diagnostics.map((d) => [d.ruleId, d.message])).toEqual([
      ['mrtr/internal-error', expect.stringMatching(/broken.*does not parse/)],
    ]);
  });

  it('rolls back a tree edit that does not parse', async () => {
    const broken = transform('broken-tree', (file) => {
      file.insertText(0, 'const = ;\n');
    });
    const result = await run(broken);
    expect(result.status).toBe('error');
    expect(result.output).toBe(source);
  });
});

describe('a CommonJS file that loads SDK v1 with require()', () => {
  it('keeps its asks and gets one marker above the require, also when migrated alone', async () => {
    const { transforms } = await import('../transforms/index.js');
    const server = `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const server = new McpServer({ name: 's', version: '1.0.0' });
server.registerTool('wipe', {}, async () => {
  const r = await server.server.elicitInput({ message: 'Sure?', requestedSchema: { type: 'object', properties: {} } });
  return { content: [{ type: 'text', text: r.action }] };
});
module.exports = { server };
`;
    const result = await migrateFile(createProject(), '/virtual/server.cjs', server, {
      transforms,
      projectType: 'server',
      displayPath: 'server.cjs',
      force: ['handlers'],
    });
    expect(result.output).toContain('await server.server.elicitInput(');
    expect(result.output.split('\n')[0]).toBe(
      '/* @mrtr-migrate mrtr/commonjs-v1-require: this file loads SDK v1 with require(); the official v1-to-v2 ' +
        "codemod upgrades import declarations only, so asks in this run's CommonJS files are left as written */",
    );
    expect(result.handlers).toEqual([]);
    expect(result.diagnostics.map((d) => [d.ruleId, d.line, d.column])).toContainEqual([
      'mrtr/commonjs-v1-require',
      2,
      23,
    ]);
  });
});

describe('a file with a shebang', () => {
  it('reports lines of the file as written, though the v1 upgrade drops the shebang and it is put back', async () => {
    const { transforms } = await import('../transforms/index.js');
    const server = [
      '#!/usr/bin/env node',
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { z } from 'zod';",
      '',
      "const server = new McpServer({ name: 's', version: '1.0.0' });",
      "server.registerTool('t', { inputSchema: { a: z.string() } }, async () => ({ content: [] }));",
      '',
    ].join('\n');
    const result = await migrateFile(createProject(), '/virtual/server.ts', server, {
      transforms,
      projectType: 'server',
      displayPath: 'server.ts',
    });
    const lines = result.output.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env node');
    const note = result.diagnostics.find((d) => d.ruleId === 'mrtr/v2-upgrade-note');
    expect(note?.line).toBe(6);
    expect(lines[note!.line - 1]).toMatch(/^server\.registerTool\('t'/);
  });
});
