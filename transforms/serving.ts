/**
 * serving: after the handlers are MRTR-native, the entry point must serve 2026-07-28 too. A stdio
 * entry point moves to `serveStdio(...)` (serving/stdio.ts), a Streamable HTTP route gets a
 * `createMcpHandler` leg in front (serving/http.ts); one this pass does not rewrite (SSE, a custom
 * transport, a framework that serves itself) gets a `mrtr/served-2025-only` marker with the steps.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../src/ts-morph.js';
import { enclosingStatementOf } from '../src/analysis/ask-sites.js';
import { movedBy, pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { planImports, planPrunes } from '../src/edit/imports.js';
import { NameAllocator } from '../src/edit/naming.js';
import { applyEdits, identityOffsets, type TextEdit } from '../src/edit/text-edits.js';
import { descriptor } from './registry.js';
import { findConnections, servedCall, type Connection } from '../src/analysis/entry-points.js';
import { findFrameworkServing, type ServingFramework } from '../src/analysis/framework-serving.js';
import { hasModernLeg } from '../src/analysis/http-route.js';
import { planHttp, TYPE_ONLY, type HttpPlan } from './serving/http.js';
import { planStdio } from './serving/stdio.js';
import type { Transform, TransformContext, TransformResult } from './types.js';

const STDIO_MODULE = '@modelcontextprotocol/server/stdio';

export const serving: Transform = { ...descriptor('serving'), apply };

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const unchanged = (diagnostics: PendingDiagnostic[] = []): TransformResult => ({
    changed: false,
    diagnostics,
    handlers: [],
    mapOffset: identityOffsets,
  });
  // A route that already sends 2026-07-28 requests to createMcpHandler is served on both eras.
  const connections = findConnections(sourceFile).filter((c) => c.kind !== 'streamable-http' || !hasModernLeg(c));
  const frameworks = findFrameworkServing(sourceFile);
  const diagnostics = frameworks.map((f) => left(f.call, `${f.call.getExpression().getText()}(…)`, f.framework));
  // A server a framework or SDK v1 builds keeps its own way of serving: marked, never rewritten.
  if (context.holdBack) {
    const kept = context.holdBack === 'framework' ? 'a framework serves this server' : 'the file stays on SDK v1';
    diagnostics.push(...connections.map((c) => left(c.call, servedCall(c), c.kind, kept)));
  }
  if (context.holdBack || connections.length === 0) return unchanged(diagnostics);
  const names = new NameAllocator(sourceFile);
  const serveStdio = names.imported('serveStdio');
  const edits: TextEdit[] = [];
  const http: HttpPlan[] = [];
  for (const connection of connections) {
    if (connection.kind === 'stdio' && v2Stdio(sourceFile)) {
      const plan = planStdio(connection, serveStdio);
      if ('edits' in plan) {
        edits.push(...plan.edits);
        diagnostics.push(served(connection, plan.factory));
        continue;
      }
      diagnostics.push(left(connection.call, servedCall(connection), connection.kind, plan.refused));
    } else if (connection.kind === 'streamable-http' && v2Http(sourceFile, connection.transportClass)) {
      const plan = planHttp(connection, names, context.style);
      if ('edits' in plan) {
        http.push(plan);
        diagnostics.push(servedHttp(connection, plan));
        continue;
      }
      diagnostics.push(left(connection.call, servedCall(connection), connection.kind, plan.refused));
    } else {
      diagnostics.push(left(connection.call, servedCall(connection), connection.kind));
    }
  }
  const stdio = edits.length > 0;
  edits.push(...http.flatMap((p) => p.edits));
  if (edits.length === 0) return unchanged(diagnostics);
  const imports = [
    ...(stdio ? importEdits(sourceFile, edits, serveStdio, context) : []),
    ...httpImports(sourceFile, http, names, context),
  ];
  const applied = applyEdits(sourceFile.getFullText(), [...edits, ...imports]);
  // A transform reports where its findings are in its output.
  return {
    changed: true,
    text: applied.text,
    diagnostics: diagnostics.map((d) => movedBy(d, applied.mapOffset)),
    handlers: [],
    mapOffset: applied.mapOffset,
  };
}

/**
 * `StdioServerTransport` unused once served: its import specifier becomes `serveStdio`, in place.
 * Still used: `serveStdio` joins the import.
 */
function importEdits(
  sourceFile: SourceFile,
  edits: readonly TextEdit[],
  local: string,
  context: TransformContext,
): TextEdit[] {
  const unused = planPrunes(sourceFile, ['StdioServerTransport'], edits).edits.length > 0;
  const specifier = sourceFile
    .getImportDeclarations()
    .filter((d) => d.getModuleSpecifierValue() === STDIO_MODULE)
    .flatMap((d) => d.getNamedImports())
    .find((n) => n.getName() === 'StdioServerTransport' && !n.getAliasNode());
  if (unused && specifier) {
    const text = local === 'serveStdio' ? 'serveStdio' : `serveStdio as ${local}`;
    return [{ start: specifier.getStart(), end: specifier.getEnd(), text }];
  }
  return planImports(
    sourceFile,
    STDIO_MODULE,
    { values: ['serveStdio'], types: [] },
    context.style,
    new Set(),
    () => local,
  );
}

/** What the HTTP legs use, merged into the file's imports of each module. */
function httpImports(
  sourceFile: SourceFile,
  plans: readonly HttpPlan[],
  names: NameAllocator,
  context: TransformContext,
): TextEdit[] {
  const needed = new Map<string, Set<string>>();
  for (const plan of plans)
    for (const [module, bindings] of Object.entries(plan.imports))
      for (const binding of bindings) needed.set(module, (needed.get(module) ?? new Set()).add(binding));
  return [...needed].flatMap(([module, bindings]) => {
    const types = [...bindings].filter((b) => b.startsWith(TYPE_ONLY)).map((b) => b.slice(TYPE_ONLY.length));
    const values = [...bindings].filter((b) => !b.startsWith(TYPE_ONLY));
    return planImports(sourceFile, module, { values, types }, context.style, new Set(), (name) => names.localOf(name));
  });
}

/** The transport comes from a v2 package (`@modelcontextprotocol/node` or `/server`): a v2 server. */
function v2Http(sourceFile: SourceFile, transportClass: string): boolean {
  const v2 = /^@modelcontextprotocol\/(node|server)$/;
  const imported = sourceFile
    .getImportDeclarations()
    .some(
      (d) =>
        v2.test(d.getModuleSpecifierValue()) &&
        d.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === transportClass),
    );
  // `const { NodeStreamableHTTPServerTransport } = require('@modelcontextprotocol/node')`
  return (
    imported ||
    sourceFile.getDescendantsOfKind(SyntaxKind.VariableDeclaration).some((d) => {
      const init = d.getInitializer();
      const name = d.getNameNode();
      return (
        !!init &&
        Node.isCallExpression(init) &&
        init.getExpression().getText() === 'require' &&
        v2.test(init.getArguments()[0]?.getText().slice(1, -1) ?? '') &&
        Node.isObjectBindingPattern(name) &&
        name.getElements().some((e) => e.getName() === transportClass)
      );
    })
  );
}

/** The file takes `StdioServerTransport` from the v2 package: the server it connects is a v2 server. */
function v2Stdio(sourceFile: SourceFile): boolean {
  return sourceFile
    .getImportDeclarations()
    .some(
      (d) =>
        d.getModuleSpecifierValue() === STDIO_MODULE &&
        d.getNamedImports().some((n) => n.getName() === 'StdioServerTransport'),
    );
}

function served(connection: Connection, factory: string): PendingDiagnostic {
  const server = connection.server.getText();
  const shared = factory === `() => ${server}` && !server.endsWith(')');
  return pending(
    'mrtr/served-stdio',
    { server, shared: shared ? `; the one instance \`${server}\` serves the connection (stdio has one)` : '' },
    { start: connection.call.getStart(), end: connection.call.getEnd() },
  );
}

function servedHttp(connection: Connection, plan: HttpPlan): PendingDiagnostic {
  const legacy = plan.route.stateless
    ? 'the stateless serving they had: a server per request, which cannot ask them for input'
    : "their sessions, and are asked over them through the SDK's legacy shim";
  return pending(
    'mrtr/served-http',
    {
      factory: plan.factory,
      adapter: plan.route.face === 'node' ? ' (adapted with `toNodeHandler`)' : '',
      legacy,
    },
    { start: connection.call.getStart(), end: connection.call.getEnd() },
  );
}

type ServingKind = Connection['kind'] | ServingFramework;

const STEPS: Readonly<Record<ServingKind, string>> = {
  stdio: 'serve it with `serveStdio(() => server)` from `@modelcontextprotocol/server/stdio`',
  'streamable-http':
    "serve 2026-07-28 requests with `createMcpHandler(() => createServer(), { legacy: 'reject' })`, adapted for " +
    'Node with `toNodeHandler` from `@modelcontextprotocol/node`, in front of the route: send a request to it ' +
    'unless `isLegacyRequest(await toWebRequest(req, req.body))`, and keep the route, auth, CORS and host checks',
  sse:
    'the SSE transport is deprecated and has no 2026-07-28 form; serve Streamable HTTP with ' +
    '`createMcpHandler(() => createServer())` instead, and tell SSE clients the new URL',
  other:
    'a custom transport cannot serve 2026-07-28 through `connect()`; serve with `serveStdio` or `createMcpHandler`',
  fastmcp:
    'FastMCP serves the server itself, on its own copy of SDK v1, with no 2026-07-28 serving; move the server to ' +
    '`McpServer` from `@modelcontextprotocol/server` and serve it with `serveStdio` or `createMcpHandler`, or ' +
    'keep it on FastMCP until FastMCP serves 2026-07-28',
  'cloudflare-agents':
    "the Cloudflare agents package's `McpAgent` serves through its own Durable Object transport, on the 2025 era; " +
    'serve 2026-07-28 from the Worker with `createMcpHandler(() => createServer())` ' +
    '(`export default { fetch: (request) => handler.fetch(request) }`), and move state the agent kept between ' +
    'calls into the request state or a store',
};

function left(call: CallExpression, callText: string, kind: ServingKind, refused?: string): PendingDiagnostic {
  const steps = refused ? `not rewritten, because ${refused}; ${STEPS[kind]}` : STEPS[kind];
  return pending(
    'mrtr/served-2025-only',
    { call: callText, steps },
    { start: call.getStart(), end: call.getEnd(), anchor: enclosingStatementOf(call).getStart() },
  );
}
