/**
 * The nearest package.json gains the v2 packages the migrated code imports, by inserting one
 * line in its dependency block (alphabetical place, the manifest's own indentation). The rest
 * of the file keeps its bytes: it is never parsed and printed again.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const V2_VERSIONS: Readonly<Record<string, string>> = {
  '@modelcontextprotocol/core': '^2.4.0',
  '@modelcontextprotocol/node': '^2.1.2',
  '@modelcontextprotocol/server': '^2.4.0',
  '@modelcontextprotocol/server-legacy': '^2.3.1',
  zod: '^4.2.0',
};

export interface ManifestEdit {
  readonly path: string;
  readonly original: string;
  readonly output: string;
  readonly added: readonly string[];
  readonly notes: readonly string[];
}

export function nearestManifest(file: string, stopAt: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dir === stopAt || path.dirname(dir) === dir || !dir.startsWith(stopAt)) return undefined;
  }
}

/** Packages the migrated text imports that a manifest must declare. */
export function requiredPackages(text: string): string[] {
  const needed: string[] = [];
  if (
    /from\s+['"]@modelcontextprotocol\/server(\/[\w-]+)?['"]|require\(['"]@modelcontextprotocol\/server['"]\)/.test(
      text,
    )
  )
    needed.push('@modelcontextprotocol/server');
  if (/from\s+['"]@modelcontextprotocol\/node['"]|require\(['"]@modelcontextprotocol\/node['"]\)/.test(text))
    needed.push('@modelcontextprotocol/node');
  // The official transforms import the spec's schemas (`ElicitResultSchema`) from there.
  if (/from\s+['"]@modelcontextprotocol\/core['"]|require\(['"]@modelcontextprotocol\/core['"]\)/.test(text))
    needed.push('@modelcontextprotocol/core');
  // The official transforms move the SSE transport and v1 auth there.
  if (/from\s+['"]@modelcontextprotocol\/server-legacy(\/[\w-]+)?['"]/.test(text))
    needed.push('@modelcontextprotocol/server-legacy');
  if (/from\s+['"]zod(\/v4)?['"]/.test(text)) needed.push('zod');
  return needed;
}

export function planManifestEdit(manifestPath: string, packages: readonly string[]): ManifestEdit | undefined {
  const original = readFileSync(manifestPath, 'utf8');
  let manifest: Record<string, Record<string, string> | undefined>;
  try {
    manifest = JSON.parse(original) as typeof manifest;
  } catch {
    return undefined;
  }
  const declared = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
  const notes: string[] = [];
  const zodRange = declared.zod;
  if (zodRange && /^[~^]?[0-3]\./.test(zodRange))
    notes.push(`zod ${zodRange} is older than the 4.2 that @modelcontextprotocol/server needs; upgrade it`);
  const missing = packages.filter((name) => declared[name] === undefined);
  if (missing.length === 0)
    return notes.length > 0 ? { path: manifestPath, original, output: original, added: [], notes } : undefined;
  // Runtime imports belong where the v1 SDK was declared.
  const block =
    manifest.devDependencies?.['@modelcontextprotocol/sdk'] && !manifest.dependencies?.['@modelcontextprotocol/sdk']
      ? 'devDependencies'
      : 'dependencies';
  let output = original;
  for (const name of missing) output = insertDependency(output, block, name, V2_VERSIONS[name] ?? 'latest');
  return { path: manifestPath, original, output, added: missing, notes };
}

function insertDependency(text: string, block: string, name: string, version: string): string {
  const unit = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const entry = `"${name}": "${version}"`;
  const keyAt = text.search(new RegExp(`"${block}"\\s*:\\s*\\{`));
  if (keyAt === -1) {
    const close = text.lastIndexOf('}');
    const before = text.slice(0, close).trimEnd();
    const comma = before.endsWith('{') ? '' : ',';
    // A manifest written on one line stays on one line.
    if (!before.includes('\n')) return `${before}${comma} "${block}": { ${entry} } ${text.slice(close)}`;
    return (
      `${before}${comma}${eol}${unit}"${block}": ` +
      `{${eol}${unit}${unit}${entry}${eol}${unit}}${eol}${text.slice(close)}`
    );
  }
  const open = text.indexOf('{', keyAt);
  const close = matchingBrace(text, open);
  const body = text.slice(open + 1, close);
  const oneLine = !body.includes('\n');
  const entries = [...body.matchAll(/([ \t]*)"([^"]+)"\s*:\s*"[^"]*"/g)].map((m) => ({
    name: m[2],
    indent: m[1],
    at: open + 1 + m.index,
    end: open + 1 + m.index + m[0].length,
  }));
  if (entries.length === 0)
    return oneLine
      ? `${text.slice(0, open + 1)} ${entry} ${text.slice(close)}`
      : `${text.slice(0, open + 1)}${eol}${unit}${unit}${entry}${eol}${unit}${text.slice(close)}`;
  const next = entries.find((e) => e.name.localeCompare(name) > 0);
  if (oneLine) {
    if (next) {
      const at = next.at + next.indent.length;
      return `${text.slice(0, at)}${entry}, ${text.slice(at)}`;
    }
    const last = entries.at(-1)!;
    return `${text.slice(0, last.end)}, ${entry}${text.slice(last.end)}`;
  }
  const indent = entries[0].indent || unit + unit;
  if (next) return `${text.slice(0, next.at)}${indent}${entry},${eol}${text.slice(next.at)}`;
  const last = entries.at(-1)!;
  return `${text.slice(0, last.end)},${eol}${indent}${entry}${text.slice(last.end)}`;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}
