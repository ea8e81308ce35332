/**
 * registration: every handler is registered when the server is built, because a 2026-07-28 client
 * sends no `initialize`.
 *
 *   server.server.oninitialized = () => { registerConditionalTools(server); syncRoots(…); }
 *     ⇒ registerConditionalTools(server) runs before the assignment; the roots sync stays (2025 only)
 *   if (clientSupportsSampling) { server.registerTool(name, config, handler) }
 *     ⇒ server.registerTool(name, config, handler'), where handler' first checks the capabilities of
 *       the request being served and answers a client without them with an error result
 */
import { Node, SyntaxKind, type PropertyAccessExpression, type SourceFile, type Statement } from '../src/ts-morph.js';
import {
  gatedRegistrations,
  initializedCallbacks,
  type GatedRegistration,
  type InitializedCallback,
} from '../src/analysis/registration-timing.js';
import { taskUse } from '../src/analysis/tasks.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { indentUnit, quote, type CodeStyle } from '../src/edit/code-style.js';
import { generatedRegion } from '../src/edit/generated.js';
import { planImports } from '../src/edit/imports.js';
import { NameAllocator } from '../src/edit/naming.js';
import { applyEdits, identityOffsets, lineStartOf, type TextEdit } from '../src/edit/text-edits.js';
import { contextParameter, contextUnavailable } from './handlers/context-parameter.js';
import { handlerLabel } from './handlers/plan.js';
import { runtimeModule } from './handlers/runtime-module.js';
import { descriptor } from './registry.js';
import type { Transform, TransformContext, TransformResult } from './types.js';

export const registration: Transform = { ...descriptor('registration'), apply };

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const unchanged: TransformResult = { changed: false, diagnostics: [], handlers: [], mapOffset: identityOffsets };
  if (context.holdBack) return unchanged;
  const callbacks = initializedCallbacks(sourceFile);
  const gates = gatedRegistrations(sourceFile).filter((g) =>
    g.registrations.every((r) => !taskUse(r.fn) && contextUnavailable(r) === undefined && inline(r.fn)),
  );
  if (callbacks.length === 0 && gates.length === 0) return unchanged;
  const text = sourceFile.getFullText();
  const names = new NameAllocator(sourceFile);
  const edits: TextEdit[] = [];
  const placed: { edit: TextEdit; within: number; diagnostic: PendingDiagnostic }[] = [];
  const diagnostics: PendingDiagnostic[] = [];
  for (const callback of callbacks) moveOutOfInitialized(callback, text, edits, placed, diagnostics);
  const capabilities = gates.length > 0 ? names.imported('clientCapabilities') : '';
  for (const gate of gates) ungate(gate, text, names, capabilities, context.style, edits, diagnostics);
  if (edits.length === 0) return { ...unchanged, diagnostics };
  const runtime = gates.length > 0 ? runtimeModule(sourceFile, context.options.runtimeDir, false) : undefined;
  if (runtime)
    edits.push(
      ...planImports(
        sourceFile,
        runtime.specifier,
        { values: ['clientCapabilities'], types: [] },
        context.style,
        new Set(),
        (n) => names.localOf(n),
      ),
    );
  const applied = applyEdits(text, edits);
  return {
    changed: true,
    text: applied.text,
    diagnostics: [
      ...diagnostics.map((d) => ({
        ...d,
        offset: applied.mapOffset(d.offset),
        endOffset: applied.mapOffset(d.endOffset),
        anchorOffset: d.anchorOffset === undefined ? undefined : applied.mapOffset(d.anchorOffset),
      })),
      ...placed.map(({ edit, within, diagnostic }) => {
        const at = applied.outputStartOf(edit) + within;
        return { ...diagnostic, offset: at, endOffset: at, anchorOffset: at };
      }),
    ],
    handlers: [],
    mapOffset: applied.mapOffset,
    newFiles: runtime?.files ?? [],
  };
}

function inline(fn: Node): boolean {
  return Node.isCallExpression(fn.getParent());
}

/** Registering statements go just above the assignment, with their comments; the rest stays for 2025 clients. */
function moveOutOfInitialized(
  callback: InitializedCallback,
  text: string,
  edits: TextEdit[],
  placed: { edit: TextEdit; within: number; diagnostic: PendingDiagnostic }[],
  diagnostics: PendingDiagnostic[],
): void {
  const movable = callback.registering.filter((r) => r.movable).map((r) => r.statement);
  for (const stuck of callback.registering.filter((r) => !r.movable)) {
    diagnostics.push(
      pending(
        'mrtr/registration-waits-for-initialize',
        { what: firstLine(stuck.statement.getText()) },
        { start: stuck.statement.getStart(), end: stuck.statement.getEnd(), anchor: stuck.statement.getStart() },
      ),
    );
  }
  if (movable.length === 0) return;
  const assignment = callback.statement;
  const at = lineStartOf(text, withLeadingComments(text, assignment));
  const indent = indentAt(text, assignment.getStart());
  const pieces: string[] = [];
  for (const statement of movable) {
    const lines = wholeLines(text, statement);
    const from = indentAt(text, statement.getStart());
    pieces.push(reindent(text.slice(lines.start, lines.end), from, indent));
  }
  const everything = movable.length === callback.body.length;
  const insert: TextEdit = { start: at, end: at, text: pieces.join('') };
  edits.push(insert);
  let before = 0;
  for (const [i, statement] of movable.entries()) {
    placed.push({
      edit: insert,
      within: before + Math.max(0, pieces[i].indexOf(statement.getText().split('\n')[0])),
      diagnostic: pending(
        'mrtr/registered-at-construction',
        { what: firstLine(statement.getText()) },
        { start: 0, end: 0, anchor: 0 },
      ),
    });
    before += pieces[i].length;
  }
  if (everything) {
    // Nothing is left for the 2025 handshake: the assignment goes, with its comments.
    const lines = wholeLines(text, assignment);
    edits.push({ start: lines.start, end: lines.end, text: '' });
    return;
  }
  for (const statement of movable) {
    const lines = wholeLines(text, statement);
    edits.push({ start: lines.start, end: lines.end, text: '' });
  }
}

/**
 * The gate stays for where the client's capabilities are known and lacking, and lets a
 * registration through where they are not known yet (`getClientCapabilities() === undefined`:
 * when the server is built, and always for a 2026-07-28 client). Each handler then starts with
 * the gate's own check, on the capabilities of the request it serves.
 */
function ungate(
  gate: GatedRegistration,
  text: string,
  names: NameAllocator,
  capabilities: string,
  style: CodeStyle,
  edits: TextEdit[],
  diagnostics: PendingDiagnostic[],
): void {
  const condition = gate.gate.getExpression();
  const read = [...gate.declarations, condition]
    .flatMap((node) => node.getDescendantsOfKind(SyntaxKind.CallExpression))
    .find((call) => call.getExpression().getText().endsWith('.getClientCapabilities'));
  const receiver = read?.getExpression().getText() ?? 'server.server.getClientCapabilities';
  const simple =
    Node.isIdentifier(condition) || Node.isPropertyAccessExpression(condition) || Node.isCallExpression(condition);
  const written = simple ? condition.getText() : `(${condition.getText()})`;
  edits.push({
    start: condition.getStart(),
    end: condition.getEnd(),
    text: `${receiver}() === undefined || ${written}`,
  });
  const unit = indentUnit(style);
  const refusal = refusalText(gate, style);
  for (const registration of gate.registrations) {
    const ctx = contextParameter(registration, names);
    edits.push(...ctx.edits);
    const body = registration.fn.getBody();
    if (!body) continue;
    const fnIndent = indentAt(text, registration.fn.getStart());
    const firstStatement = Node.isBlock(body) ? body.getStatements()[0] : undefined;
    const bodyIndent = firstStatement ? indentAt(text, firstStatement.getStart()) : fnIndent + unit;
    const copied = gate.declarations.map((d) =>
      reindent(capabilityReadsPerRequest(text, d, capabilities, ctx.name), indentAt(text, d.getStart()), bodyIndent),
    );
    const negated = Node.isIdentifier(condition) ? `!${condition.getText()}` : `!(${condition.getText()})`;
    const check = [`if (${negated}) {`, `  ${refusal(registration.family, registration.name)}`, '}'];
    const head = copied.join('').replace(/\n$/, '');
    const lead = head === '' ? '' : `\n${head}`;
    if (Node.isBlock(body)) {
      const open = body.getStart() + 1;
      edits.push({ start: open, end: open, text: `${lead}\n${generatedRegion(check, bodyIndent)}` });
    } else {
      // `async () => ({ … })`: the value becomes the block's return.
      const value = Node.isParenthesizedExpression(body) ? body.getExpression().getText() : body.getText();
      const semi = style.semi ? ';' : '';
      edits.push({
        start: body.getStart(),
        end: body.getEnd(),
        text: `{${lead}\n${generatedRegion([...check, `return ${value}${semi}`], bodyIndent)}\n${fnIndent}}`,
      });
    }
    const at = registration.registration.getStart();
    diagnostics.push(
      pending(
        'mrtr/capability-checked-per-request',
        { handler: handlerLabel(registration), capabilities: describe(gate.capabilities) },
        { start: at, end: at, anchor: at },
        handlerLabel(registration),
      ),
    );
  }
}

/** `x.getClientCapabilities()` in a moved declaration ⇒ `clientCapabilities(x, ctx)`: this request's. */
function capabilityReadsPerRequest(text: string, statement: Statement, local: string, ctx: string): string {
  // The statement's own lines: its comments stay with the original above the gate.
  const lines = { start: lineStartOf(text, statement.getStart()), end: wholeLines(text, statement).end };
  const edits = statement
    .getDescendants()
    .filter(Node.isCallExpression)
    .filter((call) => {
      const callee = call.getExpression();
      return (
        Node.isPropertyAccessExpression(callee) &&
        callee.getName() === 'getClientCapabilities' &&
        call.getArguments().length === 0
      );
    })
    .map((call) => {
      const receiver = (call.getExpression() as PropertyAccessExpression).getExpression();
      return {
        start: call.getStart() - lines.start,
        end: call.getEnd() - lines.start,
        text: `${local}(${receiver.getText()}, ${ctx})`,
      };
    });
  return applyEdits(text.slice(lines.start, lines.end), edits).text;
}

function refusalText(gate: GatedRegistration, style: CodeStyle) {
  return (family: string | undefined, label: string): string => {
    const message = quote(style, `${label} needs a client that supports ${describe(gate.capabilities)}.`);
    return family === 'tool'
      ? `return { content: [{ type: ${quote(style, 'text')}, text: ${message} }], isError: true };`
      : `throw new Error(${message});`;
  };
}

function describe(capabilities: readonly string[]): string {
  const url = capabilities.includes('url');
  const words = capabilities
    .filter((c) => !(url && (c === 'elicitation' || c === 'form')))
    .map((c) => (c === 'url' ? 'URL-mode elicitation' : c === 'form' ? 'form elicitation' : c));
  return words.length > 0 ? words.join(' and ') : 'the capabilities it checks';
}

/** The full lines a statement and the comments written against it take, line break included. */
function wholeLines(text: string, statement: Node): { start: number; end: number } {
  const start = lineStartOf(text, withLeadingComments(text, statement));
  const newline = text.indexOf('\n', statement.getEnd());
  return { start, end: newline === -1 ? text.length : newline + 1 };
}

/** The start of the comment lines directly above a statement (no blank line between). */
function withLeadingComments(text: string, statement: Node): number {
  let at = statement.getStart();
  for (const range of [...statement.getLeadingCommentRanges()].reverse()) {
    if (/\n[ \t]*\r?\n/.test(text.slice(range.getEnd(), at))) break;
    at = range.getPos();
  }
  return at;
}

function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))?.[0] ?? '';
}

function reindent(block: string, from: string, to: string): string {
  if (from === to) return block;
  return block
    .split('\n')
    .map((line) => (line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

function firstLine(code: string): string {
  const line = code.split('\n')[0].trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
