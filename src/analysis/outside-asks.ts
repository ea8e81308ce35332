/**
 * A migrated helper's ask keeps the call it replaced, for where no request is served. That call
 * is the runtime ask's last argument, and no other pass may take it for an ask or an effect.
 */
import { Node } from '../ts-morph.js';
import { moduleBindingOf } from './resolve.js';

const RUNTIME_ASKS = new Set([
  'askElicit',
  'askUrl',
  'askSampling',
  'askRoots',
  'elicitAnswer',
  'urlAnswer',
  'samplingAnswer',
  'rootsAnswer',
]);

/**
 * The ask a migrated helper keeps for where no request is served, in the runtime ask's last
 * argument: `askRoots('site', () => server.server.listRoots())`, `….elicitInput.bind(server.server)`.
 */
export function askedOutsideRequests(node: Node): boolean {
  for (let current: Node | undefined = node; current; current = current.getParent()) {
    const ask = current.getParent();
    if (!ask || !Node.isCallExpression(ask) || ask.getArguments().at(-1) !== current) continue;
    if (!Node.isArrowFunction(current) && !Node.isCallExpression(current)) continue;
    const callee = ask.getExpression();
    if (!Node.isIdentifier(callee)) continue;
    const imported = moduleBindingOf(callee);
    if (imported && RUNTIME_ASKS.has(imported.name) && /mrtr-request-state/.test(imported.specifier)) return true;
  }
  return false;
}
