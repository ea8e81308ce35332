/**
 * `review`: what is left to do after a migration. Remaining `@mrtr-migrate` markers (each with
 * its rule and message), and asks that still push to the client, ask methods taken as values, test
 * mocks of asks and requests whose method cannot be read, that carry no marker.
 */
import { readFileSync } from 'node:fs';
import { findConnections, servedCall } from '../analysis/entry-points.js';
import { findFrameworkServing } from '../analysis/framework-serving.js';
import { servesText } from '../analysis/input-point-text.js';
import { hasModernLeg } from '../analysis/http-route.js';
import {
  findAskMocks,
  findAskReferences,
  findInputPoints,
  findUnknownRequests,
  INPUT_POINT_TEXT,
} from '../analysis/input-points.js';
import type { Node } from '../ts-morph.js';
import { severityOf, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderMessage } from '../diagnostics/rules.js';
import { discoverFiles, type Discovery } from './discover.js';
import { carriesMarker, readMarkers, type FoundInCode } from './markers.js';
import { toDisplayPath } from './migrate.js';
import { createProject, scriptKindFor } from './migrate-file.js';
import { lineColumn } from '../edit/text-edits.js';

export interface ReviewResult {
  readonly root: string;
  readonly discovery: Discovery;
  readonly findings: readonly Diagnostic[];
  /** File texts by display path, for fingerprints. */
  readonly texts: ReadonlyMap<string, string>;
}

const SERVING_STEPS =
  'serve stdio with `serveStdio(() => server)` (`npx mrtr-migrate -t serving` does it) and HTTP with ' +
  '`createMcpHandler`';

export function review(options: { paths: readonly string[]; cwd: string; ignore?: readonly string[] }): ReviewResult {
  const discovery = discoverFiles(options.paths, options.cwd, options.ignore ?? []);
  const project = createProject();
  const findings: Diagnostic[] = [];
  const texts = new Map<string, string>();
  for (const file of discovery.files) {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const display = toDisplayPath(discovery.root, file);
    texts.set(display, text);
    for (const marker of readMarkers(text, /\.[jt]sx$/.test(file))) {
      const at = lineColumn(text, marker.start);
      const end = lineColumn(text, marker.end);
      for (const entry of marker.entries) {
        findings.push({
          ruleId: entry.ruleId,
          severity: severityOf(entry.ruleId),
          message: entry.message,
          file: display,
          line: at.line,
          column: at.column,
          endLine: end.line,
          endColumn: end.column,
        });
      }
    }
    const serves = servesText(text);
    if (!INPUT_POINT_TEXT.test(text) && !serves) continue;
    const sourceFile = project.createSourceFile(file, text, { overwrite: true, scriptKind: scriptKindFor(file) });
    const unmarked = (node: Node) => !carriesMarker(node);
    const left = (node: Node, ruleId: FoundInCode, data: Record<string, string>): Diagnostic => {
      const at = lineColumn(text, node.getStart());
      const end = lineColumn(text, node.getEnd());
      return {
        ruleId,
        severity: severityOf(ruleId),
        message: renderMessage(ruleId, data),
        file: display,
        line: at.line,
        column: at.column,
        endLine: end.line,
        endColumn: end.column,
      };
    };
    // An ask (or a method taken as a value) whose statement carries a marker is already reported through the marker.
    for (const point of findInputPoints(sourceFile))
      if (unmarked(point.call)) findings.push(left(point.call, 'mrtr/unmigrated-ask', { kind: point.kind }));
    for (const reference of findAskReferences(sourceFile))
      if (unmarked(reference.node))
        findings.push(left(reference.node, 'mrtr/ask-by-reference', { method: reference.method }));
    for (const mock of findAskMocks(sourceFile))
      if (unmarked(mock.node)) findings.push(left(mock.node, 'mrtr/mocked-ask', { method: mock.method }));
    for (const call of findUnknownRequests(sourceFile))
      if (unmarked(call)) findings.push(left(call, 'mrtr/unknown-request', {}));
    // A server still connected to a transport by hand speaks only the 2025 era.
    for (const connection of serves ? findConnections(sourceFile) : [])
      if (unmarked(connection.call) && !(connection.kind === 'streamable-http' && hasModernLeg(connection)))
        findings.push(
          left(connection.call, 'mrtr/served-2025-only', { call: servedCall(connection), steps: SERVING_STEPS }),
        );
    for (const serving of serves ? findFrameworkServing(sourceFile) : [])
      if (unmarked(serving.call))
        findings.push(
          left(serving.call, 'mrtr/served-2025-only', {
            call: `${serving.call.getExpression().getText()}(…)`,
            steps: SERVING_STEPS,
          }),
        );
    project.removeSourceFile(sourceFile);
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { root: discovery.root, discovery, findings, texts };
}
