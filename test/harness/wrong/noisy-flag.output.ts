// The effect sits below the guard and runs once, yet carries a before-guard flag: noise.
import { McpServer, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { effects } from '../../../fixtures/_support/effects.js';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('reserve', { inputSchema: z.object({ seat: z.string() }) }, async ({ seat }, ctx) => {
    const r = inputResponse(ctx.mcpReq.inputResponses, 'keep');
    if (r.kind !== 'elicit') {
      return inputRequired({
        inputRequests: {
          keep: inputRequired.elicit({
            message: `Keep seat ${seat}?`,
            requestedSchema: { type: 'object', properties: { keep: { type: 'boolean' } }, required: ['keep'] },
          }),
        },
      });
    }
    /* @mrtr-migrate mrtr/effect-before-guard: runs again on every round */
    effects.record('reservation.create', seat);
    if (r.action !== 'accept') return { content: [{ type: 'text', text: 'Released.' }] };
    return { content: [{ type: 'text', text: 'Kept.' }] };
  });
  return server;
}
