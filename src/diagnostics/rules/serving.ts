/** How the server is served: an entry point moved to the 2026-07-28 serving API, or one left on the 2025 era. */
import type { RuleDefinition } from '../rule-definition.js';

export const SERVING_RULES = [
  {
    id: 'mrtr/served-stdio',
    severity: 'info',
    marker: false,
    title: 'Served with serveStdio, on both eras',
    message:
      'now served with `serveStdio(() => {{server}})`: a 2026-07-28 client gets input_required on the wire, and a ' +
      "2025 client is served by the SDK's legacy shim, which asks it over the open connection{{shared}}",
    why:
      'The v2 SDK serves `server.connect(new StdioServerTransport())` only on the 2025 era. `serveStdio` ' +
      'negotiates the era per connection, so the migrated handlers reach clients of both.',
    fix: 'Nothing to do; check that the shutdown hooks still close what they should (`handle.close()`).',
    example: {
      before: 'await server.connect(new StdioServerTransport());',
      after: 'serveStdio(() => server);',
    },
  },
  {
    id: 'mrtr/served-http',
    severity: 'info',
    marker: false,
    title: 'Served over Streamable HTTP on both eras',
    message:
      'now served on both eras: a 2026-07-28 request goes to `createMcpHandler({{factory}})`{{adapter}}, a server ' +
      'per request with input_required on the wire; a 2025-era request still reaches the route as written, so ' +
      'those clients keep {{legacy}}',
    why:
      'The v2 SDK serves a transport connected by hand only on the 2025 era. `isLegacyRequest` sorts each request ' +
      "into its era the way `createMcpHandler` does; the SDK's own `legacy: 'stateless'` fallback could not ask a " +
      '2025 client anything, so 2025 requests keep the code that served them.',
    fix:
      'Nothing to do. `createMcpHandler` calls the factory per 2026-07-28 request: keep state that must outlive a ' +
      'request out of the server instance.',
    example: {
      before: "app.post('/mcp', async (req, res) => { /* sessions */ });",
      after:
        "const modernMcp = toNodeHandler(createMcpHandler(() => createServer(), { legacy: 'reject' }));\n" +
        "app.post('/mcp', async (req, res) => {\n" +
        '  if (!(await isLegacyRequest(await toWebRequest(req, req.body)))) return modernMcp(req, res, req.body);\n' +
        '  /* sessions */\n});',
    },
  },
  {
    id: 'mrtr/served-2025-only',
    severity: 'error',
    marker: true,
    title: 'Served only on the 2025 era',
    message:
      '`{{call}}` serves this server only on the 2025 era, so a client pinned to 2026-07-28 cannot use it and ' +
      'input_required never reaches a client: {{steps}}',
    why:
      'Under the v2 SDK a server connected to a transport by hand speaks only the 2025 protocol. The migrated ' +
      "handlers still work for 2025 clients through the SDK's legacy shim, but the 2026-07-28 revision needs " +
      '`serveStdio` or `createMcpHandler`.',
    fix:
      'stdio: `serveStdio(() => createServer())` from `@modelcontextprotocol/server/stdio`. HTTP: ' +
      '`createMcpHandler(() => createServer())` from `@modelcontextprotocol/server`, adapted for Node with ' +
      '`toNodeHandler` from `@modelcontextprotocol/node`; keep the route, auth, CORS and host checks around it.',
  },
] as const satisfies readonly RuleDefinition[];
