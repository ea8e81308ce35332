/**
 * One instance of a migrated server, as a deployment behind a load balancer runs it: its own
 * process, serving the module through `createMcpHandler` over HTTP on a free port. The parent
 * (two-instances.ts) talks to it over IPC: `ready` with the port once it listens, the effects it
 * recorded when asked, and a fresh random sequence at the start of each case.
 *
 *   node --import tsx test/harness/instance.ts <server module>
 */
import { createServer } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { effects } from '../../fixtures/_support/effects.js';
import { loadServerModule } from './check.js';
import { built, seededForFixtures } from './run-cases.js';

/** What the parent sends. */
export type InstanceRequest = { readonly type: 'case' } | { readonly type: 'effects' };
/** What this process sends back. */
export type InstanceMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'effects'; readonly effects: ReturnType<typeof effects.take> };

const file = process.argv[2];
if (!file || !process.send) throw new Error('usage: node --import tsx test/harness/instance.ts <module> (with IPC)');
const send = process.send.bind(process);
const module = await loadServerModule(file);
const handler = (module.serving ?? { createMcpHandler }).createMcpHandler(async () => (await built(module)) as never);
const node = toNodeHandler(handler);
const random = Math.random;
const http = createServer((req, res) => void node(req, res));
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 } satisfies InstanceMessage);
});
process.on('message', (message: InstanceRequest) => {
  if (message.type === 'case') {
    effects.take();
    Math.random = seededForFixtures(random);
    return;
  }
  send({ type: 'effects', effects: effects.take() } satisfies InstanceMessage);
});
// The parent going away ends the instance.
process.on('disconnect', () => {
  http.close();
  void handler.close();
  process.exit(0);
});
