// The naive inversion sdk-surface §2.10 warns about: a decline reads as "missing" and asks again.
import { McpServer, acceptedContent, inputRequired } from '@modelcontextprotocol/server';

export function createServer() {
  const server = new McpServer({ name: 'wrong', version: '1.0.0' });
  server.registerTool('confirm', {}, async (ctx) => {
    const r = acceptedContent(ctx.mcpReq.inputResponses, 'ok');
    if (!r) {
      return inputRequired({
        inputRequests: {
          ok: inputRequired.elicit({
            message: 'Proceed?',
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
          }),
        },
      });
    }
    return { content: [{ type: 'text', text: 'Done.' }] };
  });
  return server;
}
