/**
 * SARIF 2.1.0 for GitHub code scanning and the VS Code SARIF viewer: every rule of the catalogue
 * with its descriptions and help, results with repo-relative URIs under a `SRCROOT` base, full
 * regions, and fingerprints that survive line shifts (rule, file and the flagged line's text).
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { allRules, type RuleDefinition } from '../diagnostics/rules.js';
import { VERSION } from '../version.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://www.npmjs.com/package/mrtr-migrate';

/** The text of a line of a file as the diagnostics see it (the migrated text). */
export type LineText = (file: string, line: number) => string;

export function sarifReport(diagnostics: readonly Diagnostic[], root: string, lineText: LineText): object {
  const index = new Map(allRules.map((rule, i) => [rule.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mrtr-migrate',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: INFORMATION_URI,
            rules: allRules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: baseUri(root) } },
        results: diagnostics.map((d) => ({
          ruleId: d.ruleId,
          ruleIndex: index.get(d.ruleId),
          level: d.severity === 'info' ? 'note' : d.severity,
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file, uriBaseId: 'SRCROOT' },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
          partialFingerprints: { 'mrtrMigrate/v1': fingerprint(d, lineText(d.file, d.line)) },
        })),
      },
    ],
  };
}

function ruleDescriptor(rule: RuleDefinition): object {
  return {
    id: rule.id,
    name: rule.id.replace(/^mrtr\//, '').replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: rule.severity === 'info' ? 'note' : rule.severity },
    properties: { tags: ['mrtr', 'mcp'] },
  };
}

export function helpText(rule: RuleDefinition): string {
  const example = rule.example ? `\n\nBefore:\n${rule.example.before}\n\nAfter:\n${rule.example.after}` : '';
  return `${rule.why}\n\nFix: ${rule.fix}${example}`;
}

export function helpMarkdown(rule: RuleDefinition): string {
  const example = rule.example
    ? `\n\nBefore:\n\n\`\`\`ts\n${rule.example.before}\n\`\`\`\n\nAfter:\n\n\`\`\`ts\n${rule.example.after}\n\`\`\``
    : '';
  return `${rule.why}\n\n**Fix:** ${rule.fix}${example}`;
}

function fingerprint(d: Diagnostic, line: string): string {
  return createHash('sha256')
    .update(`${d.ruleId}\0${d.file}\0${line.trim().replace(/\s+/g, ' ')}`)
    .digest('hex')
    .slice(0, 32);
}

function baseUri(root: string): string {
  const uri = pathToFileURL(root).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}
