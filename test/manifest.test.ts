/** package.json edits: the v2 packages the migrated code imports, added in the file's own layout. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planManifestEdit, requiredPackages, V2_VERSIONS } from '../src/engine/manifest.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edited(text: string, packages = ['@modelcontextprotocol/server']): string | undefined {
  const file = path.join(dir, 'package.json');
  writeFileSync(file, text);
  return planManifestEdit(file, packages)?.output;
}

const server = `"@modelcontextprotocol/server": "${V2_VERSIONS['@modelcontextprotocol/server']}"`;

describe('manifest edits', () => {
  it('adds the entry in name order, indented as its neighbours', () => {
    const text =
      '{\n  "name": "x",\n  "dependencies": {\n    "@modelcontextprotocol/sdk": "^1.20.0",\n    "zod": ' +
      '"^3.25.0"\n  }\n}\n';
    expect(edited(text)).toBe(
      `{\n  "name": "x",\n  "dependencies": {\n    "@modelcontextprotocol/sdk": "^1.20.0",\n    ${server},\n    ` +
        `"zod": "^3.25.0"\n  }\n}\n`,
    );
  });

  it('keeps CRLF line endings and tab indentation', () => {
    const text = '{\r\n\t"dependencies": {\r\n\t\t"@modelcontextprotocol/sdk": "^1.20.0"\r\n\t}\r\n}\r\n';
    expect(edited(text)).toBe(
      `{\r\n\t"dependencies": {\r\n\t\t"@modelcontextprotocol/sdk": "^1.20.0",\r\n\t\t${server}\r\n\t}\r\n}\r\n`,
    );
  });

  it('keeps a manifest written on one line on one line', () => {
    expect(
      edited('{ "name": "x", "dependencies": { "@modelcontextprotocol/sdk": "^1.20.0", "zod": "^3.25.0" } }\n'),
    ).toBe(
      `{ "name": "x", "dependencies": { "@modelcontextprotocol/sdk": "^1.20.0", ${server}, "zod": "^3.25.0" } }\n`,
    );
    expect(edited('{ "dependencies": { "@modelcontextprotocol/sdk": "^1.20.0" } }')).toBe(
      `{ "dependencies": { "@modelcontextprotocol/sdk": "^1.20.0", ${server} } }`,
    );
    expect(edited('{ "dependencies": {} }')).toBe(`{ "dependencies": { ${server} } }`);
    expect(edited('{ "name": "x" }')).toBe(`{ "name": "x", "dependencies": { ${server} } }`);
  });

  it('creates the block when there is none, and leaves a declared package alone', () => {
    expect(edited('{\n  "name": "x"\n}\n')).toBe(`{\n  "name": "x",\n  "dependencies": {\n    ${server}\n  }\n}\n`);
    expect(edited(`{\n  "dependencies": {\n    ${server}\n  }\n}\n`)).toBeUndefined();
  });

  it('every edit is still JSON', () => {
    for (const text of [
      '{ "name": "x", "dependencies": { "zod": "^3.25.0" } }',
      '{\n  "devDependencies": {\n    "@modelcontextprotocol/sdk": "1.0.0"\n  }\n}',
    ]) {
      expect(() => JSON.parse(edited(text, ['@modelcontextprotocol/server', 'zod'])!)).not.toThrow();
    }
  });

  it('asks for each v2 package the migrated code imports, and only those', () => {
    const text = [
      "import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';",
      "import { serveStdio } from '@modelcontextprotocol/server/stdio';",
      "const { toNodeHandler } = require('@modelcontextprotocol/node');",
      "import { SSEServerTransport } from '@modelcontextprotocol/server-legacy/sse';",
    ].join('\n');
    expect(requiredPackages(text).sort()).toEqual([
      '@modelcontextprotocol/node',
      '@modelcontextprotocol/server',
      '@modelcontextprotocol/server-legacy',
    ]);
    expect(requiredPackages("import { SSEServerTransport } from '@modelcontextprotocol/server-legacy/sse';")).toEqual([
      '@modelcontextprotocol/server-legacy',
    ]);
    for (const name of requiredPackages(text)) expect(V2_VERSIONS[name]).toMatch(/^\^2\./);
  });
});
