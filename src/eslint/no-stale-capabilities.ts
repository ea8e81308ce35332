/**
 * `no-stale-capabilities`: `getClientCapabilities()` reads the connection's capabilities, which on
 * 2026-07-28 belong to no one request. In a handler whose context is at hand, the fix is the
 * per-request form the handler pass writes, `clientCapabilities(server, ctx)`.
 */
import type { Rule } from 'eslint';
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../ts-morph.js';
import { NameAllocator } from '../edit/naming.js';
import { findHandlerRegistrations } from '../analysis/handlers.js';
import { getRule } from '../diagnostics/rules.js';
import type { TextEdit } from '../edit/text-edits.js';
import { carriesMarker } from '../engine/markers.js';
import { capabilityEdit, staleCapabilityChecks } from '../../transforms/handlers/capabilities.js';
import { isSkipped, locOf, parsedFile } from './parsed.js';
import { runtimeImportOf } from './runtime-import.js';

const RUNTIME_NAME = 'clientCapabilities';

export const noStaleCapabilities: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow reading client capabilities outside the request being served' },
    fixable: 'code',
    schema: [],
    messages: { stale: getRule('mrtr/stale-capability-check').message },
  },
  create(context) {
    const code = context.sourceCode;
    if (isSkipped(context.filename) || !code.text.includes('getClientCapabilities')) return {};
    return {
      Program() {
        const file = parsedFile(context);
        for (const stale of staleCapabilityChecks(file, [], RUNTIME_NAME)) {
          const call = file
            .getDescendantsOfKind(SyntaxKind.CallExpression)
            .find((c) => c.getStart() === stale.offset && c.getEnd() === stale.endOffset);
          if (!call || carriesMarker(call)) continue;
          const edits = perRequestEdits(file, call);
          context.report({
            loc: locOf(code, stale.offset, stale.endOffset),
            messageId: 'stale',
            data: stale.data,
            fix: edits ? (fixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text)) : null,
          });
        }
      },
    };
  },
};

/** The per-request read, where a handler's context is in reach and the project's runtime module has it. */
function perRequestEdits(file: SourceFile, call: CallExpression): TextEdit[] | undefined {
  if (call.getArguments().length > 0) return undefined;
  const handler = [...findHandlerRegistrations(file).values()].find((h) =>
    h.fn.containsRange(call.getPos(), call.getEnd()),
  );
  const ctx = handler?.fn.getParameters()[handler.contextIndex]?.getNameNode();
  if (!ctx || !Node.isIdentifier(ctx)) return undefined;
  const runtime = runtimeImportOf(file);
  if (!runtime?.has(RUNTIME_NAME)) return undefined;
  const names = new NameAllocator(file);
  const local = names.imported(RUNTIME_NAME);
  return [capabilityEdit(call, local, ctx.getText()), ...runtime.importing([RUNTIME_NAME], (n) => names.localOf(n))];
}
