import { readFileSync } from 'node:fs';

/** The package version, read once from the manifest beside the sources or the build. */
function readVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // Try the next layout (sources run by tsx, or the compiled dist/ tree).
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
