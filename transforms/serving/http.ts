/**
 * A Streamable HTTP route served on both eras. A 2026-07-28 request goes to `createMcpHandler`
 * (a server per request, from the route's own factory); a 2025-era request, as `isLegacyRequest`
 * classifies it, falls through to the route's code as written:
 *
 *   const modernMcp = toNodeHandler(createMcpHandler(() => createServer(), { legacy: 'reject' }));
 *   app.post('/mcp', auth, async (req, res) => {
 *     if (!(await isLegacyRequest(await toWebRequest(req, req.body)))) return modernMcp(req, res, req.body);
 *     …the sessions, unchanged…
 *
 * The SDK's own `legacy: 'stateless'` answers 2025 clients with a server per request, which cannot
 * ask them anything; routing keeps what those clients had (sessions, and asks over them through
 * the SDK's legacy shim). Middleware, CORS, host and auth checks run before the route as before.
 */
import { Node, type Statement } from '../../src/ts-morph.js';
import type { Connection } from '../../src/analysis/entry-points.js';
import { findHttpRoute, type HttpRoute } from '../../src/analysis/http-route.js';
import { serverFactory } from '../../src/analysis/server-factory.js';
import { generatedRegion } from '../../src/edit/generated.js';
import type { NameAllocator } from '../../src/edit/naming.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';
import type { CodeStyle } from '../../src/edit/code-style.js';
import { isTypeScriptFile } from '../../src/edit/imports.js';

/** Marks a binding in `HttpPlan.imports` that is imported as a type. */
export const TYPE_ONLY = 'type ';

export interface HttpPlan {
  readonly edits: TextEdit[];
  readonly factory: string;
  readonly route: HttpRoute;
  /** The bindings the edits use, by module. */
  readonly imports: Readonly<Record<string, readonly string[]>>;
}

export function planHttp(
  connection: Connection,
  names: NameAllocator,
  style: CodeStyle,
): HttpPlan | { readonly refused: string } {
  const route = findHttpRoute(connection);
  if ('refused' in route) return route;
  const made = serverFactory(connection, route.fn);
  if ('refused' in made) return made;
  // The module-level statement the route is in (or is: `async function handleMcp(req, res) {…}`).
  const topLevel = Node.isSourceFile(route.fn.getParent())
    ? route.fn
    : route.fn.getFirstAncestor((n) => Node.isSourceFile(n.getParent()));
  if (!topLevel || !Node.isStatement(topLevel)) return { refused: 'the route is not inside a module-level statement' };
  const semi = style.semi ? ';' : '';
  const q = style.singleQuote ? "'" : '"';
  const local = (name: string) => names.imported(name);
  const modern = names.fresh('modernMcp');
  const handler = `${local('createMcpHandler')}(${made.factory}, { legacy: ${q}reject${q} })`;
  const kept = route.stateless ? "the route's stateless serving" : "the route's sessions";
  const from = made.source ?? made.factory.replace(/^\(\) => /, '');
  const declaration = [
    `// 2026-07-28 requests: a server per request from ${from}.`,
    `// 2025-era requests fall through to ${kept}, as before.`,
    `const ${modern} = ${route.face === 'node' ? `${local('toNodeHandler')}(${handler})` : handler}${semi}`,
  ];
  // A raw Node request (no body parser) is not the SDK's request type under exactOptionalPropertyTypes.
  const rawNode = route.face === 'node' && !route.body && isTypeScriptFile(route.fn.getSourceFile());
  const guard =
    route.face === 'node'
      ? nodeGuard(route, modern, names, semi, rawNode ? ` as ${local('NodeIncomingMessageLike')}` : '')
      : webGuard(route, modern, names, semi);
  const edits: TextEdit[] = [
    insertBefore(topLevel, [...declaration, '']),
    insertBefore(route.before, guard.lines),
    ...guard.edits,
  ];
  const imports = {
    '@modelcontextprotocol/server': ['createMcpHandler', 'isLegacyRequest'],
    ...(route.face === 'node'
      ? {
          '@modelcontextprotocol/node': [
            'toNodeHandler',
            'toWebRequest',
            ...(rawNode ? [`${TYPE_ONLY}NodeIncomingMessageLike`] : []),
          ],
        }
      : {}),
  };
  // Said in the report: a factory written out as a block is named by the call it wraps.
  const factory = made.source && made.factory.includes('\n') ? `a factory around ${made.source}` : made.factory;
  return { edits, factory, route, imports };
}

function nodeGuard(route: HttpRoute, modern: string, names: NameAllocator, semi: string, cast: string) {
  const { response } = route;
  const request = cast ? `${route.request}${cast}` : route.request;
  const toWebRequest = names.imported('toWebRequest');
  const isLegacyRequest = names.imported('isLegacyRequest');
  // A framework that wants an answer back (Hono's RESPONSE_ALREADY_SENT) gets the route's own.
  const serve = (body: string) => {
    const call = `${modern}(${request}, ${response}, ${body})`;
    return route.answer ? `{ await ${call}${semi} ${route.answer} }` : `return ${call}${semi}`;
  };
  if (route.body) {
    const classified = `await ${isLegacyRequest}(await ${toWebRequest}(${request}, ${route.body}))`;
    return { lines: [`if (!(${classified})) ${serve(route.body)}`], edits: [] };
  }
  // Nothing parsed the body: reading it to classify drains the stream, so the 2025 leg is handed it.
  const webRequest = names.fresh('mcpRequest');
  const body = names.fresh('mcpBody');
  const lines = [
    `const ${webRequest} = await ${toWebRequest}(${request})${semi}`,
    `const ${body} = await ${webRequest}.clone().json().catch(() => undefined)${semi}`,
    `if (!(await ${isLegacyRequest}(${webRequest}))) ${serve(body)}`,
  ];
  const edits = route.unparsed.map((call) => {
    const last = call.getArguments()[1];
    return { start: last.getEnd(), end: last.getEnd(), text: `, ${body}` };
  });
  return { lines, edits };
}

function webGuard(route: HttpRoute, modern: string, names: NameAllocator, semi: string) {
  const isLegacyRequest = names.imported('isLegacyRequest');
  const classified = `await ${isLegacyRequest}(${route.request}${route.body ? `, ${route.body}` : ''})`;
  const served = `${modern}.fetch(${route.request}${route.options ? `, ${route.options}` : ''})`;
  return { lines: [`if (!(${classified})) return ${served}${semi}`], edits: [] };
}

/** Generated lines at the start of `statement`'s line, above its leading comments, in its indentation. */
function insertBefore(statement: Statement, lines: readonly string[]): TextEdit {
  const text = statement.getSourceFile().getFullText();
  const comments = statement.getLeadingCommentRanges();
  const first = comments[0]?.getPos() ?? statement.getStart();
  const lineStart = lineStartOf(text, first);
  const indent = text.slice(lineStart, first);
  if (indent.trim() !== '') {
    const code = lines.filter((l) => l !== '' && !l.startsWith('//'));
    return { start: statement.getStart(), end: statement.getStart(), text: `${code.join(' ')} ` };
  }
  const region = generatedRegion(
    lines.filter((l) => l !== ''),
    indent,
  );
  return { start: lineStart, end: lineStart, text: `${region}\n${lines.at(-1) === '' ? '\n' : ''}` };
}
