import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { effects } from '../../../fixtures/_support/effects.js';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('reserve', { inputSchema: { seat: z.string() } }, async ({ seat }) => {
    effects.record('reservation.create', seat);
    const r = await server.server.elicitInput({
      message: `Keep seat ${seat}?`,
      requestedSchema: { type: 'object', properties: { keep: { type: 'boolean' } }, required: ['keep'] },
    });
    if (r.action !== 'accept') return { content: [{ type: 'text', text: 'Released.' }] };
    return { content: [{ type: 'text', text: 'Kept.' }] };
  });
  return server;
}
