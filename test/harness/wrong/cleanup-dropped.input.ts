import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { effects } from '../../../fixtures/_support/effects.js';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('send', { inputSchema: { id: z.string() } }, async ({ id }) => {
    const r = await server.server.elicitInput({
      message: `Send mail ${id}?`,
      requestedSchema: { type: 'object', properties: { send: { type: 'boolean' } }, required: ['send'] },
    });
    if (r.action !== 'accept') {
      effects.record('mail.cancel', id);
      return { content: [{ type: 'text', text: 'Not sent.' }] };
    }
    effects.record('mail.send', id);
    return { content: [{ type: 'text', text: 'Sent.' }] };
  });
  return server;
}
