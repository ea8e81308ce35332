/** Ask methods taken as values: their calls cannot be found, so they are flagged, never silently kept. */
import { describe, expect, it } from 'vitest';
import { findAskMocks, findAskReferences, findInputPoints } from '../src/analysis/input-points.js';
import { createProject, migrateFile } from '../src/engine/migrate-file.js';
import { transforms } from '../transforms/index.js';

function references(code: string, find = findAskReferences): string[] {
  const file = createProject().createSourceFile('/virtual/server.ts', code);
  return find(file).map((r) => `${r.method}@${r.node.getText()}`);
}

describe('ask references', () => {
  it('finds bound copies, fallbacks, destructured names and methods passed along', () => {
    expect(references('const f = server.server.elicitInput.bind(server.server);')).toEqual([
      'elicitInput@server.server.elicitInput',
    ]);
    expect(references('const f = (server as any).elicitInput ?? server.server.elicitInput;')).toEqual([
      'elicitInput@(server as any).elicitInput',
      'elicitInput@server.server.elicitInput',
    ]);
    expect(references('const { listRoots } = server.server;')).toEqual(['listRoots@listRoots']);
    expect(references('const { requestSampling: sample } = ctx.mcpReq;')).toEqual([
      'requestSampling@requestSampling: sample',
    ]);
    expect(references('retry(mcpServer.server.createMessage);')).toEqual([
      'createMessage@mcpServer.server.createMessage',
    ]);
  });

  it('follows a bound method called once, and flags one called more often', () => {
    const bind = 'const elicit = server.server.elicitInput.bind(server.server);';
    expect(references(`${bind} await elicit({ message: 'a', requestedSchema });`)).toEqual([]);
    const file = createProject().createSourceFile('/virtual/once.ts', `${bind} await elicit({ message: 'a' });`);
    const [point] = findInputPoints(file);
    expect([point?.kind, point?.params?.getText(), point?.requestDeclaration?.getText()]).toEqual([
      'elicitation',
      "{ message: 'a' }",
      bind,
    ]);
    const twice = `${bind} await elicit({ message: 'a' }); await elicit({ message: 'b' });`;
    expect(references(twice)).toEqual(['elicitInput@server.server.elicitInput']);
    expect(findInputPoints(createProject().createSourceFile('/virtual/twice.ts', twice))).toEqual([]);
    // A `let` may be reassigned: not followed, so it stays flagged.
    const reassignable = `let elicit = server.server.elicitInput.bind(server.server); await elicit({ message: 'a' });`;
    expect(references(reassignable)).toEqual(['elicitInput@server.server.elicitInput']);
  });

  it('leaves calls, look-alikes and types alone', () => {
    expect(references('await server.server.elicitInput({ message: "x", requestedSchema });')).toEqual([]);
    expect(references('const r = inputRequired.createMessage(params);')).toEqual([]);
    expect(references('const send = chat.createMessage.bind(chat); const { listRoots } = fileTree;')).toEqual([]);
    expect(references('type Elicit = typeof server.server.elicitInput;')).toEqual([]);
  });
});

describe('mocks of asks in tests', () => {
  it('finds spies, stubs and methods assigned over, on what looks like a server', () => {
    expect(
      references("vi.spyOn(server.server, 'elicitInput').mockResolvedValue({ action: 'accept' });", findAskMocks),
    ).toEqual(["elicitInput@vi.spyOn(server.server, 'elicitInput')"]);
    expect(references("sinon.stub(mcpServer.server, 'createMessage').resolves(result);", findAskMocks)).toEqual([
      "createMessage@sinon.stub(mcpServer.server, 'createMessage')",
    ]);
    expect(references('server.server.listRoots = async () => ({ roots: [] });', findAskMocks)).toEqual([
      'listRoots@server.server.listRoots = async () => ({ roots: [] })',
    ]);
    // Assigned over is a mock, not a reference.
    expect(references('server.server.listRoots = async () => ({ roots: [] });')).toEqual([]);
  });

  it('leaves spies on other objects and methods alone', () => {
    expect(
      references(
        "vi.spyOn(chat, 'createMessage'); vi.spyOn(server.server, 'connect'); jest.spyOn(console, 'log');",
        findAskMocks,
      ),
    ).toEqual([]);
  });

  it('marks the mock in a test file, which is otherwise left as written', async () => {
    const test = `import { it, vi } from 'vitest';
import { createServer } from './server.js';
it('deletes after confirmation', async () => {
  const server = createServer();
  vi.spyOn(server.server, 'elicitInput').mockResolvedValue({ action: 'accept', content: { ok: true } });
});
`;
    const result = await migrateFile(createProject(), '/virtual/server.test.ts', test, {
      transforms,
      projectType: 'server',
      displayPath: 'server.test.ts',
    });
    expect(result.diagnostics.map((d) => [d.ruleId, d.line])).toEqual([['mrtr/mocked-ask', 6]]);
    expect(result.output).toBe(
      test.replace(
        '  vi.spyOn',
        '  /* @mrtr-migrate mrtr/mocked-ask: this mocks `elicitInput`, which migrated handlers no longer call ' +
          'while they serve a request: there the mock never answers, and the handler returns input_required ' +
          'instead (a helper the test calls directly still asks the mock) */\n  vi.spyOn',
      ),
    );
  });
});
