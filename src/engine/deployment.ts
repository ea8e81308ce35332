/**
 * Where a project is served decides whether a call can wait in memory between rounds. A Worker, a
 * serverless function and a stateless HTTP route give each request a fresh instance (or any of
 * several): a held call is not there when the retry comes, so such a project's run writes none.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface StatelessDeployment {
  /** What was seen, as the report says it. */
  readonly how: string;
  /** The file that shows it, and where: the report's finding goes there. */
  readonly file: string;
  readonly offset: number;
}

const SIGNS: readonly { readonly pattern: RegExp; readonly how: string }[] = [
  { pattern: /\bexport\s+default\s*\{[\s\S]{0,600}?\bfetch\b/, how: "a Worker's `export default { fetch }`" },
  { pattern: /\bsessionIdGenerator\s*:\s*undefined\b/, how: 'a stateless Streamable HTTP route' },
  { pattern: /\bcreateMcpHandler\s*\(/, how: 'a `createMcpHandler` route' },
  {
    pattern: /\bexport\s+(?:const\s+handler\s*=|(?:async\s+)?function\s+handler\s*\()[\s\S]{0,200}?\b(event|req)\b/,
    how: 'a serverless function handler',
  },
];

const WRANGLER = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];

/** The first sign, in file order, that the project is served without a process that outlives a request. */
export function statelessDeployment(root: string, texts: ReadonlyMap<string, string>): StatelessDeployment | undefined {
  const files = [...texts.keys()].sort();
  for (const file of files) {
    const text = texts.get(file)!;
    for (const sign of SIGNS) {
      const match = sign.pattern.exec(text);
      if (match) return { how: sign.how, file, offset: match.index };
    }
  }
  const wrangler = WRANGLER.find((name) => existsSync(path.join(root, name)));
  // A Worker whose entry the run did not read: the finding goes on the first file the run read.
  if (wrangler && files[0]) return { how: `a Cloudflare Worker (\`${wrangler}\`)`, file: files[0], offset: 0 };
  return undefined;
}
