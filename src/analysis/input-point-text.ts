import { escapeRegExp } from '../text/regexp.js';

/**
 * Words at least one of which a file must contain to ask: the ask methods, the generic senders a
 * request may go through, and the asks' method names. Searched in a file's bytes before it is
 * decoded, and as a text test that rules a file out before parsing (kept apart so light code can use it).
 */
export const INPUT_POINT_NEEDLES: readonly string[] = [
  'elicitInput',
  'createMessage',
  'listRoots',
  'requestSampling',
  'sendRequest',
  'mcpReq.send',
  'server.request',
  'elicitation/create',
  'sampling/createMessage',
  'roots/list',
];

export const INPUT_POINT_TEXT = new RegExp(INPUT_POINT_NEEDLES.map(escapeRegExp).join('|'));

/** SDK v1 loaded with require(): the official v1-to-v2 codemod upgrades import declarations only. */
export const V1_REQUIRE = /\brequire\s*\(\s*['"]@modelcontextprotocol\/sdk\b/;

/** A CommonJS file (require(), module.exports, exports.x =), as helpers of a v1 CommonJS server are. */
export const COMMONJS = /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[\w$]+\s*=/;

/** A server a framework builds and serves on its own copy of SDK v1 (FastMCP): out of the codemod's reach. */
export const FRAMEWORK_SERVER = /\bnew\s+FastMCP\s*\(/;
export const FRAMEWORK_IMPORT = /(\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"]fastmcp['"]/;

/** A server built in the file (`new McpServer(…)`, `new Server(…)`): where the runtime is wired in. */
export const SERVER_CONSTRUCTION = /\bnew\s+(McpServer|Server)\s*\(/;

/** An `McpAgent` (Cloudflare agents) or its `serve('/mcp')`, `serveSSE('/sse')`, `mount('/sse')`. */
export const AGENT_TEXT = /\bMcpAgent\b|\.(serve|serveSSE|mount)\(\s*['"`]\//;

/** FastMCP's `server.start({ transportType: 'stdio' })`. */
export const FRAMEWORK_START = /\.start\(\s*\{\s*transportType\b/;

/** Text that may serve a server: a transport connected by hand, FastMCP, or an `McpAgent`. */
export function servesText(text: string): boolean {
  return (
    (text.includes('ServerTransport') && text.includes('.connect(')) ||
    FRAMEWORK_SERVER.test(text) ||
    FRAMEWORK_START.test(text) ||
    AGENT_TEXT.test(text)
  );
}
