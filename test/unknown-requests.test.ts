/**
 * Requests whose method cannot be read are reported, never skipped; those whose method is written
 * down are an ask (and rewritten) or none of ours. Valid cases first, as typescript-eslint lists them.
 */
import { describe, expect, it } from 'vitest';
import { findInputPoints, findUnknownRequests } from '../src/analysis/input-points.js';
import { createProject } from '../src/engine/migrate-file.js';
import { cli, copyProject, write } from './helpers/project.js';

function scan(body: string) {
  const text = `declare const extra: any; declare const ctx: any; declare const server: any; declare const http: any;
declare function build(): any; declare const ElicitResultSchema: any;
export async function f(method: string) {\n${body}\n}\n`;
  const sourceFile = createProject().createSourceFile('/virtual/requests.ts', text);
  return { unknown: findUnknownRequests(sourceFile).map((c) => c.getText()), asks: findInputPoints(sourceFile).length };
}

describe('requests whose method cannot be read', () => {
  const valid = [
    "await extra.sendRequest({ method: 'ping' }, Schema);",
    "await ctx.mcpReq.send({ method: 'tools/list' });",
    "await http.request({ url: '/x' });",
    "const req = { method: 'ping' as const }; await extra.sendRequest(req, Schema);",
  ];
  it.each(valid)('valid: %s', (body) => {
    expect(scan(body)).toEqual({ unknown: [], asks: 0 });
  });

  const asks = [
    "await extra.sendRequest({ method: 'elicitation/create', params: { message: 'x' } }, ElicitResultSchema);",
    "const request = { method: 'elicitation/create' as const, params: { message: 'x' } };\n" +
      'await extra.sendRequest(request, ElicitResultSchema);',
    "const request = { method: 'roots/list' } as const;\nawait ctx.mcpReq.send(request);",
  ];
  it.each(asks)('an ask, followed to its request: %s', (body) => {
    expect(scan(body)).toEqual({ unknown: [], asks: 1 });
  });

  const invalid = [
    'await extra.sendRequest(build(), ElicitResultSchema);',
    'await extra.sendRequest({ method, params: {} }, ElicitResultSchema);',
    'await ctx.mcpReq.send(build());',
    'await server.server.request(build(), Schema);',
  ];
  it.each(invalid)('reported: %s', (body) => {
    expect(scan(body).unknown).toHaveLength(1);
  });
});

it('review fails on a planted request whose method cannot be read, and migrate marks it', async () => {
  const dir = copyProject('basic');
  write(
    dir,
    'src/planted.ts',
    `import type { ServerContext } from '@modelcontextprotocol/server';
import { ElicitResultSchema } from '@modelcontextprotocol/core';
import { requestFor } from './requests.js';

export async function confirm(ctx: ServerContext): Promise<boolean> {
  const answer = await ctx.mcpReq.send(requestFor('confirm'), ElicitResultSchema);
  return answer.action === 'accept';
}
`,
  );
  const reviewed = await cli(dir, 'review', 'src/planted.ts');
  expect(reviewed.code).toBe(1);
  expect(reviewed.stdout).toMatch(/src\/planted\.ts:6:\d+ {2}mrtr\/unknown-request {2}/);
  const migrated = await cli(dir, '--allow-dirty', 'src/planted.ts');
  expect(migrated.stdout).toContain('mrtr/unknown-request');
  // Marked in the code, it stays on review's list until a hand resolves it.
  expect((await cli(dir, 'review', 'src/planted.ts')).code).toBe(1);
});
