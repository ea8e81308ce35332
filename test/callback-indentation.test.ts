/**
 * The official transforms shift a `server.tool(...)` callback right when they rebuild it as
 * `registerTool(...)`; v1-to-v2 puts the user's lines back, and touches nothing else.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';
import { FIXTURES } from './helpers/fixtures.js';

async function upgrade(code: string): Promise<string> {
  const file = path.join(FIXTURES, 'guard-first', 'indentation-unit.ts');
  const v1ToV2 = transforms.filter((t) => t.id === 'v1-to-v2');
  return (
    await migrateFile(createProject(), file, code, {
      transforms: v1ToV2,
      projectType: 'server',
      displayPath: 'indentation-unit.ts',
    })
  ).output;
}

const header =
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { z } from 'zod';\nconst server " +
  "= new McpServer({ name: 'x', version: '1.0.0' });\n";

it('keeps the lines of a rebuilt callback where they were, template literal content included', async () => {
  const output =
    await upgrade(`${header}server.tool('report', 'Make a report', { title: z.string() }, async ({ title }) => {
  const body = \`# \${title}
Line two
  indented\`;
  /*
   * a comment
   */
  if (title === 'x') {
    return { content: [{ type: 'text', text: 'x' }] };
  }
  return { content: [{ type: 'text', text: body }] };
});
export function register(s: McpServer) {
  s.tool('nested', async () => {
    return { content: [{ type: 'text', text: 'n' }] };
  });
}
`);
  expect(output).toContain(
    "server.registerTool('report', { description: 'Make a report', inputSchema: z.object({ title: z.string() }) " +
      '}, async ({ title }) => {\n  const body = `# ${title}\nLine two\n  indented`;\n  /*\n   * a comment\n   */\n  ' +
      "if (title === 'x') {\n    return",
  );
  expect(output).toContain("  return { content: [{ type: 'text', text: body }] };\n});\n");
  expect(output).toContain(
    "  s.registerTool('nested', {}, async () => {\n    return { content: [{ type: 'text', text: 'n' }] };\n  });\n",
  );
});

it('leaves alone a callback the transforms did not rebuild, however it is indented', async () => {
  const odd = `${header}server.registerTool('odd', {}, async () => {
      return { content: [{ type: 'text' as const, text: 'odd' }] };
    });
`;
  const output = await upgrade(odd);
  expect(output.slice(output.indexOf("server.registerTool('odd'"))).toBe(
    odd.slice(odd.indexOf("server.registerTool('odd'")),
  );
});
