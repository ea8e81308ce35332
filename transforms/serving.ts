/**
 * serving: after the handlers are MRTR-native, the entry point must serve 2026-07-28 too. A stdio
 * entry point moves to `serveStdio(...)` (see serving/stdio.ts); one this pass does not rewrite
 * (Streamable HTTP, SSE, a custom transport) gets a `mrtr/served-2025-only` marker with the steps.
 */
import type { SourceFile } from '../src/ts-morph.js';
import { enclosingStatementOf } from '../src/analysis/ask-sites.js';
import { movedBy, pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { planImports, planPrunes } from '../src/edit/imports.js';
import { NameAllocator } from '../src/edit/naming.js';
import { applyEdits, identityOffsets, type TextEdit } from '../src/edit/text-edits.js';
import { descriptor } from './registry.js';
import { findConnections, servedCall, type Connection } from '../src/analysis/entry-points.js';
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
  // A server a framework or SDK v1 builds keeps its own way of serving.
  if (context.holdBack) return unchanged();
  const connections = findConnections(sourceFile);
  if (connections.length === 0) return unchanged();
  const names = new NameAllocator(sourceFile);
  const serveStdio = names.imported('serveStdio');
  const edits: TextEdit[] = [];
  const diagnostics: PendingDiagnostic[] = [];
  for (const connection of connections) {
    const plan = connection.kind === 'stdio' && v2Stdio(sourceFile) ? planStdio(connection, serveStdio) : undefined;
    if (plan && 'edits' in plan) {
      edits.push(...plan.edits);
      diagnostics.push(served(connection, plan.factory));
    } else {
      diagnostics.push(left(connection, plan?.refused));
    }
  }
  if (edits.length === 0) return unchanged(diagnostics);
  const imports = importEdits(sourceFile, edits, serveStdio, context);
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

const STEPS: Readonly<Record<Connection['kind'], string>> = {
  stdio: 'serve it with `serveStdio(() => server)` from `@modelcontextprotocol/server/stdio`',
  'streamable-http':
    'serve it with `createMcpHandler(() => createServer())`, adapted for Node with `toNodeHandler` from ' +
    '`@modelcontextprotocol/node`, keeping the route, auth, CORS and host checks (mrtr-migrate does not rewrite HTTP ' +
    'entry points yet)',
  sse:
    'the SSE transport is deprecated and has no 2026-07-28 form; serve Streamable HTTP with ' +
    '`createMcpHandler(() => createServer())` instead',
  other:
    'a custom transport cannot serve 2026-07-28 through `connect()`; serve with `serveStdio` or `createMcpHandler`',
};

function left(connection: Connection, refused: string | undefined): PendingDiagnostic {
  const steps = refused ? `not rewritten, because ${refused}; ${STEPS[connection.kind]}` : STEPS[connection.kind];
  return pending(
    'mrtr/served-2025-only',
    { call: servedCall(connection), steps },
    {
      start: connection.call.getStart(),
      end: connection.call.getEnd(),
      anchor: enclosingStatementOf(connection.call).getStart(),
    },
  );
}
