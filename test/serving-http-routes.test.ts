/**
 * Which Streamable HTTP routes the serving pass rewrites, where the 2026-07-28 leg goes, and why it
 * refuses the rest: one v2 route per case, migrated as a file, read back from the output and the
 * diagnostics.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject, migrateFile, transforms } from '../src/index.js';
import { FIXTURES } from './helpers/fixtures.js';

const HEADER = `import express from 'express';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
const app = express();
`;

async function migrated(code: string) {
  const file = path.join(FIXTURES, 'serving', 'routes-unit.ts');
  const result = await migrateFile(createProject(), file, HEADER + code, {
    transforms,
    projectType: 'server',
    displayPath: 'routes-unit.ts',
  });
  const rules = result.diagnostics.map((d) => d.ruleId);
  const messages = result.diagnostics.map((d) => d.message).join('\n');
  return { output: result.output, rules, messages };
}

const factory = (body = '') => `function createServer(): McpServer {
  const server = new McpServer({ name: 'x', version: '1.0.0' });
  ${body}
  return server;
}
`;

const tool = (body: string) => `  server.registerTool('t', {}, async () => { ${body} return { content: [] }; });`;

const route = (inside: string, head = 'async (req, res) =>') => `app.post('/mcp', ${head} {
${inside}
});
`;

const sessionful = `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  await createServer().connect(transport);
  await transport.handleRequest(req, res, req.body);`;

describe('the Streamable HTTP leg', () => {
  it('goes after the checks the route makes first, before the first statement about the session', async () => {
    const { output, rules } = await migrated(
      factory() +
        route(`  res.setHeader('Access-Control-Expose-Headers', 'Mcp-Session-Id');
  if (req.headers['x-key'] !== 'k') return void res.status(401).end();
  const id = req.headers['mcp-session-id'];
${sessionful}`),
    );
    expect(rules).toContain('mrtr/served-http');
    const lines = output.split('\n').map((l) => l.trim());
    const leg = lines.findIndex((l) => l.startsWith('if (!(await isLegacyRequest('));
    expect(lines.findIndex((l) => l.startsWith("if (req.headers['x-key']"))).toBeLessThan(leg);
    expect(lines.findIndex((l) => l.startsWith("res.setHeader('Access-Control-Expose-Headers'"))).toBeLessThan(leg);
    expect(lines.findIndex((l) => l.startsWith('const transport ='))).toBeGreaterThan(leg);
    expect(output).toContain('return modernMcp(req, res, req.body);');
    expect(output).toContain("toNodeHandler(createMcpHandler(() => createServer(), { legacy: 'reject' }))");
  });

  it('goes after the statement that parses the body it hands on', async () => {
    const { output } = await migrated(
      factory() +
        route(`  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  const body = JSON.parse(await readText(req));
  await createServer().connect(transport);
  await transport.handleRequest(req, res, body);`) +
        'declare function readText(req: unknown): Promise<string>;\n',
    );
    const parsed = output.indexOf('const body = JSON.parse(await readText(req));');
    expect(parsed).toBeGreaterThan(-1);
    expect(output.indexOf('if (!(await isLegacyRequest(await toWebRequest(req, body))))')).toBeGreaterThan(parsed);
  });

  it('takes the factory from a default import', async () => {
    const { output, rules } = await migrated(
      "import buildServer from './build-server.js';\n" +
        route(`  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  await buildServer().connect(transport);
  await transport.handleRequest(req, res, req.body);`),
    );
    expect(rules).toContain('mrtr/served-http');
    expect(output).toContain('createMcpHandler(() => buildServer()');
  });

  it('takes the server from a variable the route builds with a module-level factory', async () => {
    const { output } = await migrated(
      factory() +
        route(`  const server = createServer();
  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);`),
    );
    expect(output).toContain('createMcpHandler(() => createServer()');
    expect(output).toContain("fall through to the route's stateless serving");
  });
});

describe('a route left on the 2025 era, marked with the reason', () => {
  const refused = async (code: string, reason: RegExp) => {
    const { output, rules, messages } = await migrated(code);
    expect(rules).toContain('mrtr/served-2025-only');
    expect(rules).not.toContain('mrtr/served-http');
    expect(messages).toMatch(reason);
    expect(output).not.toMatch(/import {[^}]*isLegacyRequest/);
  };

  it('when the factory counts, caches or deletes per server', async () => {
    for (const state of [
      'let calls = 0;\n' + tool('calls++;'),
      'const seen = new Map();\n' + tool("seen.set('a', 1);"),
      'const seen: Record<string, number> = {};\n' + tool("delete seen['a'];"),
    ])
      await refused(factory(state) + route(sessionful), /keeps per-server state in `(calls|seen)`/);
  });

  it('but not for constants and collections its handlers only read', async () => {
    const { rules } = await migrated(
      factory(
        "const greetings = ['hi'];\n  let title = 'x';\n" +
          tool('void (greetings[0] + title + !title + -greetings.length);'),
      ) + route(sessionful),
    );
    expect(rules).toContain('mrtr/served-http');
  });

  it('when one module-level server serves every session', async () => {
    await refused(
      "const server = new McpServer({ name: 'x', version: '1.0.0' });\n" +
        route(`  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);`),
      /one server instance `server` outside the route/,
    );
  });

  it('when the server is built from the request', async () => {
    await refused(
      'function createServer(tenant: unknown): McpServer {\n' +
        "  return new McpServer({ name: String(tenant), version: '1' });\n}\n" +
        route(`  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  await createServer(req.headers['x-tenant']).connect(transport);
  await transport.handleRequest(req, res, req.body);`),
      /built from the request's own values/,
    );
  });

  it('when the route is not async, or nothing in it serves the transport', async () => {
    await refused(
      factory() +
        route(
          `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  void createServer().connect(transport).then(() => transport.handleRequest(req, res, req.body));`,
          '(req, res) =>',
        ),
      /not async/,
    );
    await refused(
      factory() +
        route(`  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => 'id' });
  await createServer().connect(transport);
  register(transport);`) +
        'declare function register(t: unknown): void;\n',
      /no `transport\.handleRequest\(\.\.\.\)` call/,
    );
  });
});
