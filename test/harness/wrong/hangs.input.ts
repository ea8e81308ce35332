// Answers at once; its migrated counterpart never answers.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export function createServer() {
  const server = new McpServer({ name: 'hangs', version: '1.0.0' });
  server.registerTool('wait', {}, async () => ({ content: [{ type: 'text', text: 'done' }] }));
  return server;
}
