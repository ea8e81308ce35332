// Asks in sequence without requestState: in the second round the first answer is gone.
import { McpServer, inputRequired, inputResponse } from '@modelcontextprotocol/server';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('greet', {}, async (ctx) => {
    const first = inputResponse(ctx.mcpReq.inputResponses, 'name');
    const second = inputResponse(ctx.mcpReq.inputResponses, 'greeting');
    if (first.kind !== 'elicit' && second.kind !== 'elicit') {
      return inputRequired({
        inputRequests: {
          name: inputRequired.elicit({
            message: 'Name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          }),
        },
      });
    }
    if (first.kind === 'elicit' && first.action !== 'accept') return { content: [{ type: 'text', text: 'No name.' }] };
    if (second.kind !== 'elicit') {
      return inputRequired({
        inputRequests: {
          greeting: inputRequired.elicit({
            message: `Greeting for ${String(first.kind === 'elicit' ? first.content?.name : undefined)}?`,
            requestedSchema: { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'] },
          }),
        },
      });
    }
    if (second.action !== 'accept') return { content: [{ type: 'text', text: 'No greeting.' }] };
    return { content: [{ type: 'text', text: `${String(second.content?.greeting)}, ${String(first.kind === 'elicit' ? first.content?.name : undefined)}` }] };
  });
  return server;
}
