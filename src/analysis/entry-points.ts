/**
 * Where a server is connected to a transport by hand: `server.connect(new StdioServerTransport())`,
 * or a transport made first and connected later. Under the v2 SDK such a server speaks only the
 * 2025 era; `serveStdio` and `createMcpHandler` are what serve 2026-07-28.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type Expression,
  type NewExpression,
  type VariableDeclaration,
} from '../ts-morph.js';
import { declarationOf } from './resolve.js';

export type TransportKind = 'stdio' | 'streamable-http' | 'sse' | 'other';

export interface Connection {
  /** `server.connect(transport)`. */
  readonly call: CallExpression;
  /** What is connected: `server`, `this.server`, `createServer()`. */
  readonly server: Expression;
  readonly transportClass: string;
  readonly kind: TransportKind;
  /** `const transport = new StdioServerTransport()`, when the transport is made before the call. */
  readonly variable?: VariableDeclaration;
}

const KINDS: Readonly<Record<string, TransportKind>> = {
  StdioServerTransport: 'stdio',
  StreamableHTTPServerTransport: 'streamable-http',
  NodeStreamableHTTPServerTransport: 'streamable-http',
  WebStandardStreamableHTTPServerTransport: 'streamable-http',
  SSEServerTransport: 'sse',
};

export function findConnections(sourceFile: Node): Connection[] {
  const connections: Connection[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'connect') continue;
    const [argument, ...rest] = call.getArguments();
    if (!argument || rest.length > 0) continue;
    const made = transportMade(argument);
    if (!made) continue;
    const transportClass = made.creation.getExpression().getText();
    // A client connecting to a server is not an entry point.
    if (!/ServerTransport$/.test(transportClass)) continue;
    connections.push({
      call,
      server: callee.getExpression(),
      transportClass,
      kind: KINDS[transportClass] ?? 'other',
      variable: made.variable,
    });
  }
  return connections;
}

function transportMade(argument: Node): { creation: NewExpression; variable?: VariableDeclaration } | undefined {
  if (Node.isNewExpression(argument)) return { creation: argument };
  if (!Node.isIdentifier(argument)) return undefined;
  const declaration = declarationOf(argument);
  if (!declaration || !Node.isVariableDeclaration(declaration)) return undefined;
  const initializer = declaration.getInitializer();
  if (initializer && Node.isNewExpression(initializer)) return { creation: initializer, variable: declaration };
  // `let transport = sessions.get(id); if (!transport) transport = new …Transport(…)`: made by an assignment.
  const scope = declaration.getVariableStatement()?.getParent() ?? declaration.getSourceFile();
  const assigned = scope
    .getDescendantsOfKind(SyntaxKind.BinaryExpression)
    .find(
      (b) =>
        b.getOperatorToken().getKind() === SyntaxKind.EqualsToken &&
        b.getLeft().getText() === declaration.getName() &&
        Node.isNewExpression(b.getRight()),
    );
  const right = assigned?.getRight();
  return right && Node.isNewExpression(right) ? { creation: right } : undefined;
}

/** `server.connect(transport)`, short enough for a message. */
export function servedCall(connection: Connection): string {
  const server = connection.server.getText();
  const call = `${server}.connect(${connection.call.getArguments()[0]?.getText() ?? ''})`;
  return call.length > 80 ? `${server}.connect(…)` : call;
}
