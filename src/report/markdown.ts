/** The report for people: ready to paste into a pull request. */
import path from 'node:path';
import { getRule } from '../diagnostics/rules.js';
import type { MigrationResult } from '../engine/migrate.js';
import { allDiagnostics, allHandlers, summarize } from './summary.js';

export function markdownReport(result: MigrationResult, mode: { dryRun: boolean }): string {
  const summary = summarize(result);
  const diagnostics = allDiagnostics(result);
  const handlers = allHandlers(result);
  const lines: string[] = ['# mrtr-migrate report', ''];
  if (mode.dryRun) lines.push('_Dry run: nothing was written._', '');
  lines.push('## Summary', '', '| | count |', '|---|---:|');
  lines.push(`| files scanned | ${summary.filesScanned} |`, `| files changed | ${summary.filesChanged} |`, `| files errored | ${summary.filesErrored} |`);
  for (const [reason, count] of Object.entries(summary.skipped)) if (count > 0) lines.push(`| skipped: ${reason} | ${count} |`);
  for (const [strategy, count] of Object.entries(summary.handlersByStrategy)) lines.push(`| handlers: ${strategy} | ${count} |`);
  for (const [risk, count] of Object.entries(summary.handlersByRisk)) lines.push(`| risk: ${risk} | ${count} |`);
  lines.push('');
  if (Object.keys(summary.diagnosticsByRule).length > 0) {
    lines.push('### Flags by rule', '', '| rule | severity | count |', '|---|---|---:|');
    for (const [rule, count] of Object.entries(summary.diagnosticsByRule)) lines.push(`| \`${rule}\` | ${getRule(rule as never).severity} | ${count} |`);
    lines.push('');
  }
  if (handlers.length > 0) {
    lines.push('## Handlers', '');
    for (const h of handlers) {
      lines.push(`### ${h.handler} (\`${h.file}:${h.line}:${h.column}\`)`, '');
      lines.push(`- strategy: **${h.strategy}**, risk: **${h.risk}**`);
      if (h.keys.length > 0) lines.push(`- input request keys: ${h.keys.map((k) => `\`${k}\``).join(', ')}`);
      for (const reason of h.reasons) lines.push(`- ${reason}`);
      for (const d of diagnostics.filter((d) => d.handler === h.handler && d.file === h.file)) {
        lines.push(`- \`${d.ruleId}\` at \`${d.file}:${d.line}:${d.column}\`: ${d.message}. Fix: ${getRule(d.ruleId).fix}`);
      }
      lines.push('');
    }
  }
  const loose = diagnostics.filter((d) => !handlers.some((h) => h.handler === d.handler && h.file === d.file));
  if (loose.length > 0) {
    lines.push('## Other findings', '');
    for (const d of loose) lines.push(`- \`${d.file}:${d.line}:${d.column}\` \`${d.ruleId}\`: ${d.message}`);
    lines.push('');
  }
  if (result.manifests.length > 0) {
    lines.push('## package.json', '');
    for (const m of result.manifests) {
      const where = path.relative(result.root, m.path).split(path.sep).join('/');
      if (m.added.length > 0) lines.push(`- \`${where}\`: added ${m.added.map((p) => `\`${p}\``).join(', ')}`);
      for (const note of m.notes) lines.push(`- \`${where}\`: ${note}`);
    }
    lines.push('');
  }
  const changed = result.files.filter((f) => f.status === 'changed').map((f) => path.relative(result.root, f.path).split(path.sep).join('/'));
  lines.push('## Next steps', '');
  lines.push('- Serve protocol 2026-07-28: stdio servers use `serveStdio(() => createServer())` from `@modelcontextprotocol/server/stdio`; HTTP servers use `createMcpHandler(() => createServer())`.');
  lines.push('- Resolve every `/* @mrtr-migrate … */` marker, then run `npx mrtr-migrate review` until it passes.');
  if (changed.length > 0) lines.push(`- Format the changed files with your formatter, e.g. \`npx prettier --write ${changed.join(' ')}\`.`);
  lines.push('');
  return lines.join('\n');
}
