// Decline still answers "Not sent." but the cleanup that cancelled the queued mail is gone.
import { McpServer, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { effects } from '../../../fixtures/_support/effects.js';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('send', { inputSchema: z.object({ id: z.string() }) }, async ({ id }, ctx) => {
    const r = inputResponse(ctx.mcpReq.inputResponses, 'send');
    if (r.kind !== 'elicit') {
      return inputRequired({
        inputRequests: {
          send: inputRequired.elicit({
            message: `Send mail ${id}?`,
            requestedSchema: { type: 'object', properties: { send: { type: 'boolean' } }, required: ['send'] },
          }),
        },
      });
    }
    if (r.action !== 'accept') return { content: [{ type: 'text', text: 'Not sent.' }] };
    effects.record('mail.send', id);
    return { content: [{ type: 'text', text: 'Sent.' }] };
  });
  return server;
}
