/**
 * Servers a framework serves by itself, with no `connect()` the codemod could move: FastMCP's
 * `server.start(...)`, and the Cloudflare agents package's `McpAgent.serve(...)` (or `serveSSE`,
 * `mount`). Both serve only the 2025 era; the serving pass marks them with the manual steps.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../ts-morph.js';
import { AGENT_TEXT, FRAMEWORK_SERVER, FRAMEWORK_START } from './input-point-text.js';
import { declarationOf, valueOf } from './resolve.js';

export type ServingFramework = 'fastmcp' | 'cloudflare-agents';

export interface FrameworkServing {
  readonly call: CallExpression;
  readonly framework: ServingFramework;
}

const AGENT_SERVE = new Set(['serve', 'serveSSE', 'mount']);
export function findFrameworkServing(sourceFile: SourceFile): FrameworkServing[] {
  const text = sourceFile.getFullText();
  const fastmcp = FRAMEWORK_SERVER.test(text) || FRAMEWORK_START.test(text);
  const agents = AGENT_TEXT.test(text);
  if (!fastmcp && !agents) return [];
  const found: FrameworkServing[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const receiver = callee.getExpression();
    if (fastmcp && callee.getName() === 'start' && isFastMcpStart(call, receiver))
      found.push({ call, framework: 'fastmcp' });
    else if (!Node.isIdentifier(receiver)) continue;
    else if (agents && AGENT_SERVE.has(callee.getName()) && isMcpAgent(valueOf(receiver)))
      found.push({ call, framework: 'cloudflare-agents' });
  }
  return found;
}

/** `server.start(...)` on `const server = new FastMCP({...})`, or any `.start({ transportType })`. */
function isFastMcpStart(call: CallExpression, receiver: Node): boolean {
  const options = call.getArguments()[0];
  if (options && Node.isObjectLiteralExpression(options) && options.getProperty('transportType')) return true;
  if (!Node.isIdentifier(receiver)) return false;
  const declaration = declarationOf(receiver);
  const initializer = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  return !!initializer && Node.isNewExpression(initializer) && initializer.getExpression().getText() === 'FastMCP';
}

/** `class DeskAgent extends McpAgent`, in this file or imported from one of the project's. */
function isMcpAgent(declaration: Node | undefined): boolean {
  if (!declaration || !(Node.isClassDeclaration(declaration) || Node.isClassExpression(declaration))) return false;
  const base = declaration.getExtends()?.getExpression().getText();
  return base === 'McpAgent';
}
