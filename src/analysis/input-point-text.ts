/** A cheap text test that rules a file out before parsing (kept apart so light code can use it). */
export const INPUT_POINT_TEXT =
  /elicitInput|createMessage|listRoots|requestSampling|elicitation\/create|sampling\/createMessage|roots\/list/;

/** The same words as plain strings, searched in a file's bytes before it is decoded. */
export const INPUT_POINT_NEEDLES: readonly string[] = INPUT_POINT_TEXT.source
  .split('|')
  .map((alternative) => alternative.replaceAll('\\/', '/'));

/** SDK v1 loaded with require(): the official v1-to-v2 codemod upgrades import declarations only. */
export const V1_REQUIRE = /\brequire\s*\(\s*['"]@modelcontextprotocol\/sdk\b/;

/** A CommonJS file (require(), module.exports, exports.x =), as helpers of a v1 CommonJS server are. */
export const COMMONJS = /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[\w$]+\s*=/;
