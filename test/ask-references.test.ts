/** Ask methods taken as values: their calls cannot be found, so they are flagged, never silently kept. */
import { describe, expect, it } from 'vitest';
import { findAskReferences } from '../src/analysis/input-points.js';
import { createProject } from '../src/engine/migrate-file.js';

function references(code: string): string[] {
  const file = createProject().createSourceFile('/virtual/server.ts', code);
  return findAskReferences(file).map((r) => `${r.method}@${r.node.getText()}`);
}

describe('ask references', () => {
  it('finds bound copies, fallbacks, destructured names and methods passed along', () => {
    expect(references('const f = server.server.elicitInput.bind(server.server);')).toEqual(['elicitInput@server.server.elicitInput']);
    expect(references('const f = (server as any).elicitInput ?? server.server.elicitInput;')).toEqual(['elicitInput@(server as any).elicitInput', 'elicitInput@server.server.elicitInput']);
    expect(references('const { listRoots } = server.server;')).toEqual(['listRoots@listRoots']);
    expect(references('const { requestSampling: sample } = ctx.mcpReq;')).toEqual(['requestSampling@requestSampling: sample']);
    expect(references('retry(mcpServer.server.createMessage);')).toEqual(['createMessage@mcpServer.server.createMessage']);
  });

  it('leaves calls, look-alikes and types alone', () => {
    expect(references('await server.server.elicitInput({ message: "x", requestedSchema });')).toEqual([]);
    expect(references('const r = inputRequired.createMessage(params);')).toEqual([]);
    expect(references('const send = chat.createMessage.bind(chat); const { listRoots } = fileTree;')).toEqual([]);
    expect(references('type Elicit = typeof server.server.elicitInput;')).toEqual([]);
  });
});
