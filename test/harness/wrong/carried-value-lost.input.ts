import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('greet', {}, async () => {
    const first = await server.server.elicitInput({
      message: 'Name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
    if (first.action !== 'accept') return { content: [{ type: 'text', text: 'No name.' }] };
    const second = await server.server.elicitInput({
      message: `Greeting for ${String(first.content?.name)}?`,
      requestedSchema: { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'] },
    });
    if (second.action !== 'accept') return { content: [{ type: 'text', text: 'No greeting.' }] };
    return { content: [{ type: 'text', text: `${String(second.content?.greeting)}, ${String(first.content?.name)}` }] };
  });
  return server;
}
