import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('confirm', {}, async () => {
    const r = await server.server.elicitInput({
      message: 'Proceed?',
      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
    });
    if (r.action !== 'accept') return { content: [{ type: 'text', text: 'Cancelled.' }] };
    return { content: [{ type: 'text', text: 'Done.' }] };
  });
  return server;
}
