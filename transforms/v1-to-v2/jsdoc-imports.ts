/**
 * Types named by module path: `@typedef {import('@modelcontextprotocol/sdk/server/mcp.js').McpServer}`
 * in JSDoc, and `import('…')` types in TypeScript. The official transforms upgrade import
 * declarations only, so a project that checks its JavaScript would type the v2 server with v1's
 * classes and fail to compile.
 */
import { SyntaxKind, type SourceFile } from '../../src/ts-morph.js';
import { applyEdits, type TextEdit } from '../../src/edit/text-edits.js';

const V1_IMPORT_TYPE =
  /import\(\s*(['"])@modelcontextprotocol\/sdk\/([^'"]+)\1\s*\)(\.RequestHandlerExtra(<[^<>]*>)?)?/g;

/** The package that the official transforms move a v1 module to, for server code. */
function v2Package(v1Path: string): string {
  const module = v1Path.replace(/\.js$/, '');
  if (module === 'server/stdio') return '@modelcontextprotocol/server/stdio';
  if (module === 'server/streamableHttp') return '@modelcontextprotocol/node';
  if (module === 'client/stdio') return '@modelcontextprotocol/client/stdio';
  if (module.startsWith('client/')) return '@modelcontextprotocol/client';
  return '@modelcontextprotocol/server';
}

/** The classes the official transforms rename in import declarations (their `renamedSymbols`). */
const RENAMED: Readonly<Record<string, string>> = {
  StreamableHTTPServerTransport: 'NodeStreamableHTTPServerTransport',
};

/** `{Map<string, StreamableHTTPServerTransport>}` in JSDoc follows the import the official transforms renamed. */
function renamed(comment: string, imported: ReadonlySet<string>): string {
  let text = comment;
  for (const [from, to] of Object.entries(RENAMED))
    if (imported.has(to) && !imported.has(from)) text = text.replace(new RegExp(`(?<![\\w$])${from}\\b`, 'g'), to);
  return text;
}

function upgraded(text: string): string {
  return text.replace(V1_IMPORT_TYPE, (_whole, quote: string, v1Path: string, extra?: string) => {
    const target = `import(${quote}${v2Package(v1Path)}${quote})`;
    // v2 calls the handler's context ServerContext, with no type arguments.
    return extra ? `${target}.ServerContext` : target;
  });
}

/** Returns how many references it upgraded. */
export function upgradeTypeImports(sourceFile: SourceFile): number {
  const text = sourceFile.getFullText();
  const imported = new Set(
    sourceFile
      .getImportDeclarations()
      .flatMap((d) => d.getNamedImports())
      .map((n) => n.getAliasNode()?.getText() ?? n.getName()),
  );
  const renames = Object.values(RENAMED).some((to) => imported.has(to));
  if (!text.includes('@modelcontextprotocol/sdk/') && !renames) return 0;
  const edits: TextEdit[] = [];
  const replace = (start: number, end: number, inJsDoc = false) => {
    const before = text.slice(start, end);
    const after = inJsDoc ? renamed(upgraded(before), imported) : upgraded(before);
    if (after !== before) edits.push({ start, end, text: after });
  };
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g))
    replace(comment.index, comment.index + comment[0].length, true);
  for (const type of sourceFile.getDescendantsOfKind(SyntaxKind.ImportType)) {
    const start = type.getStart();
    if (!edits.some((e) => e.start <= start && start < e.end)) replace(start, type.getEnd());
  }
  if (edits.length === 0) return 0;
  edits.sort((a, b) => a.start - b.start);
  sourceFile.replaceWithText(applyEdits(text, edits).text);
  return edits.length;
}
