/** The reports for people: ready to paste into a pull request. */
import { structuredPatch } from 'diff';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { getRule } from '../diagnostics/rules.js';
import { toDisplayPath, type MigrationResult } from '../engine/migrate.js';
import type { FileMigration, HandlerReport } from '../engine/migrate-file.js';
import type { ReviewResult } from '../engine/review.js';
import { formatterCommand } from './formatter.js';
import { allDiagnostics, allHandlers, summarize, type RunSummary } from './summary.js';

const EXCERPT_LINES = 24;

export function markdownReport(result: MigrationResult, mode: { dryRun: boolean }): string {
  const summary = summarize(result);
  const diagnostics = allDiagnostics(result);
  const handlers = allHandlers(result);
  const lines: string[] = ['# mrtr-migrate report', ''];
  if (mode.dryRun) lines.push('_Dry run: nothing was written._', '');
  lines.push('## Summary', '', '| | count |', '|---|---:|');
  lines.push(
    `| files scanned | ${summary.filesScanned} |`,
    `| files changed | ${summary.filesChanged} |`,
    `| files errored | ${summary.filesErrored} |`,
  );
  for (const [reason, count] of Object.entries(summary.skipped))
    if (count > 0) lines.push(`| skipped: ${reason} | ${count} |`);
  for (const [strategy, count] of Object.entries(summary.handlersByStrategy))
    lines.push(`| handlers: ${strategy} | ${count} |`);
  for (const [risk, count] of Object.entries(summary.handlersByRisk)) lines.push(`| risk: ${risk} | ${count} |`);
  lines.push('', asksSentence(summary.asksByForm), '');
  if (Object.keys(summary.diagnosticsByRule).length > 0) {
    lines.push('### Flags by rule', '', '| rule | severity | count |', '|---|---|---:|');
    for (const [rule, count] of Object.entries(summary.diagnosticsByRule))
      lines.push(`| \`${rule}\` | ${getRule(rule as never).severity} | ${count} |`);
    lines.push('');
  }
  if (handlers.length > 0) {
    lines.push('## Handlers', '');
    for (const h of handlers) {
      lines.push(`### ${h.handler} (\`${h.file}:${h.line}:${h.column}\`)`, '');
      lines.push(`- strategy: **${h.strategy}**, risk: **${h.risk}**`);
      if (h.keys.length > 0) lines.push(`- input request keys: ${h.keys.map((k) => `\`${k}\``).join(', ')}`);
      for (const reason of h.reasons) lines.push(`- ${reason}`);
      for (const d of diagnostics.filter((d) => d.handler === h.handler && d.file === h.file)) lines.push(flagLine(d));
      const excerpt = handlerExcerpt(
        result.files.find((f) => toDisplayPath(result.root, f.path) === h.file),
        h,
      );
      if (excerpt) lines.push('', '```diff', excerpt, '```');
      lines.push('');
    }
  }
  const loose = diagnostics.filter((d) => !handlers.some((h) => h.handler === d.handler && h.file === d.file));
  if (loose.length > 0) {
    lines.push('## Other findings', '');
    for (const d of loose) lines.push(flagLine(d));
    lines.push('');
  }
  if (result.manifests.length > 0) {
    lines.push('## package.json', '');
    for (const m of result.manifests) {
      const where = toDisplayPath(result.root, m.path);
      if (m.added.length > 0) lines.push(`- \`${where}\`: added ${m.added.map((p) => `\`${p}\``).join(', ')}`);
      for (const note of m.notes) lines.push(`- \`${where}\`: ${note}`);
    }
    lines.push('');
  }
  const changed = result.files.filter((f) => f.status === 'changed').map((f) => toDisplayPath(result.root, f.path));
  // Every strategy that carries state between rounds needs the signing key, and so does `once`.
  const carriesState =
    handlers.some((h) => h.strategy === 'multi-round' || h.strategy === 'steps' || h.strategy === 'resumable') ||
    diagnostics.some((d) => d.ruleId === 'mrtr/carried-once');
  if (result.created.length > 0) {
    lines.push('## New files', '');
    for (const file of result.created)
      lines.push(
        `- \`${toDisplayPath(result.root, file.path)}\`: signs what multi-round, steps and resumable handlers ` +
          `and \`once\` carry in requestState; it is yours to keep`,
      );
    lines.push('');
  }
  lines.push('## Next steps', '');
  if (carriesState)
    lines.push(
      '- Set `MCP_REQUEST_STATE_KEY` to the same secret of at least 32 bytes on every instance: it signs ' +
        'requestState, and tools that carry state (multi-round, steps, resumable, `once`) refuse to run without it.',
    );
  lines.push(...servingSteps(diagnostics));
  lines.push(
    '- Resolve every `/* @mrtr-migrate … */` marker (`npx mrtr-migrate explain <rule-id>` explains each), then ' +
      'run `npx mrtr-migrate review` until it passes.',
  );
  if (changed.length > 0)
    lines.push(`- Format the changed files: \`${formatterCommand(result.root)} ${changed.join(' ')}\``);
  lines.push('');
  return lines.join('\n');
}

export function markdownReview(result: ReviewResult): string {
  const lines = ['# mrtr-migrate review', ''];
  if (result.findings.length === 0) {
    lines.push('Nothing left to migrate: no markers and no SSE-era asks.', '');
    return lines.join('\n');
  }
  lines.push(
    `${result.findings.length} spot${result.findings.length === 1 ? '' : 's'} left to migrate.`,
    '',
    '| where | rule | message |',
    '|---|---|---|',
  );
  for (const d of result.findings)
    lines.push(`| \`${d.file}:${d.line}:${d.column}\` | \`${d.ruleId}\` | ${d.message.replaceAll('|', '\\|')} |`);
  lines.push('');
  return lines.join('\n');
}

function flagLine(d: Diagnostic): string {
  return (
    `- \`${d.ruleId}\` at \`${d.file}:${d.line}:${d.column}\`: ${d.message.replace(/\.$/, '')}. Fix: ` +
    `${getRule(d.ruleId).fix}`
  );
}

/** The diff hunks of the handler's own lines, trimmed to a readable size. */
function handlerExcerpt(file: FileMigration | undefined, handler: HandlerReport): string | undefined {
  if (!file || file.status !== 'changed') return undefined;
  const patch = structuredPatch('before', 'after', file.original, file.output, undefined, undefined, { context: 1 });
  const hunks = patch.hunks.filter((h) => h.newStart <= handler.endLine && h.newStart + h.newLines >= handler.line);
  const body = hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]);
  if (body.length === 0) return undefined;
  return body.length > EXCERPT_LINES
    ? [...body.slice(0, EXCERPT_LINES), `… ${body.length - EXCERPT_LINES} more lines`].join('\n')
    : body.join('\n');
}

/** What serving still needs: the entry points left on the 2025 era, or the general step when the run saw none. */
function servingSteps(diagnostics: readonly Diagnostic[]): string[] {
  const left = diagnostics.filter((d) => d.ruleId === 'mrtr/served-2025-only');
  if (left.length > 0) {
    const where = left.map((d) => `\`${d.file}:${d.line}\``).join(', ');
    return [
      `- Serve protocol 2026-07-28 where the server is still served only on the 2025 era (${where}): each marker ` +
        'says why mrtr-migrate left it and what to write; HTTP servers use `createMcpHandler(() => createServer())`, ' +
        'with `toNodeHandler` from `@modelcontextprotocol/node` on Node. `mrtr-migrate review` fails until they do.',
    ];
  }
  if (diagnostics.some((d) => d.ruleId === 'mrtr/served-stdio' || d.ruleId === 'mrtr/served-http')) return [];
  return [
    '- Serve protocol 2026-07-28: stdio servers use `serveStdio(() => createServer())` from ' +
      '`@modelcontextprotocol/server/stdio` (mrtr-migrate does it when the run includes the entry file); HTTP ' +
      'servers use ' +
      "`createMcpHandler(() => createServer())`. Older clients keep working through the SDK's legacy shim.",
  ];
}

/** The asks by the form they end in, in words. */
function asksSentence(asks: RunSummary['asksByForm']): string {
  const count = (n: number) => `${n} ask${n === 1 ? '' : 's'}`;
  return (
    `Asks: ${count(asks.nativeInHandler)} native in their handlers, ${asks.nativeHelper} native in helpers, ` +
    `${asks.held} held (the call waits in one process between rounds; another instance replays it), ` +
    `${asks.leftUnchanged} left as SSE-era pushes.`
  );
}
