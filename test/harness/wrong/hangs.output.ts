// A migration whose tool never answers: the harness must cut it off and move on.
import { McpServer } from '@modelcontextprotocol/server';

export function createServer() {
  const server = new McpServer({ name: 'hangs', version: '1.0.0' });
  server.registerTool('wait', {}, () => new Promise<never>(() => {}));
  return server;
}
