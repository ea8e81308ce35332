/**
 * The handler's signature as a guard needs it: a context parameter to read `ctx.mcpReq` from
 * (added when the handler never took one), and a declared result type that admits
 * `InputRequiredResult`.
 */
import { Node, SyntaxKind } from '../../src/ts-morph.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { isTypeScriptFile } from '../../src/edit/imports.js';
import type { NameAllocator } from '../../src/edit/naming.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import { checksLoosely } from './runtime-placement.js';

export interface ContextParameter {
  readonly name: string;
  readonly edits: TextEdit[];
  /** The parameter was added with a `ServerContext` annotation, which needs importing. */
  readonly typed?: boolean;
}

/** Why the context cannot be reached as a plain name, or undefined when it can. */
export function contextUnavailable(handler: HandlerRegistration): string | undefined {
  const params = handler.fn.getParameters();
  const existing = params[handler.contextIndex];
  if (existing) return Node.isIdentifier(existing.getNameNode()) ? undefined : 'a destructuring pattern';
  return params.some((p) => p.isRestParameter()) ? 'a rest parameter' : undefined;
}

/** The handler's context parameter, added to the signature when the handler never took it. */
export function contextParameter(handler: HandlerRegistration, names: NameAllocator): ContextParameter {
  const fn = handler.fn;
  const params = fn.getParameters();
  const index = handler.contextIndex;
  const existing = params[index];
  if (existing) return { name: existing.getNameNode().getText(), edits: [] };
  const name = names.parameter('ctx', fn);
  const fillers = FILLERS[handler.family!].slice(params.length, index).map((base) => names.fresh(base));
  // A function declared apart from its registration gets no contextual type, nor one inline in a
  // project that checks loosely: annotate it.
  const file = fn.getSourceFile();
  const annotate =
    isTypeScriptFile(file) && (!Node.isCallExpression(fn.getParent()) || checksLoosely(file.getFilePath()));
  const added = [
    ...fillers.map((f) => (annotate ? `${f}: unknown` : f)),
    annotate ? `${name}: ${names.imported('ServerContext')}` : name,
  ];
  const last = params.at(-1);
  if (last) {
    const open = fn.getFirstChildByKind(SyntaxKind.OpenParenToken);
    if (!open)
      return {
        name,
        typed: annotate,
        edits: [{ start: last.getStart(), end: last.getEnd(), text: `(${[last.getText(), ...added].join(', ')})` }],
      };
    return {
      name,
      typed: annotate,
      edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, ${added.join(', ')}` }],
    };
  }
  const open = fn.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
  return { name, typed: annotate, edits: [{ start: open.getEnd(), end: open.getEnd(), text: added.join(', ') }] };
}

/** The parameters before the context in each family's signature, named when they must be added. */
const FILLERS: Readonly<Record<string, readonly string[]>> = {
  tool: ['_args'],
  prompt: ['_args'],
  resource: ['_uri', '_variables'],
};

const RESULT_TYPES = new Set([
  'CallToolResult',
  'GetPromptResult',
  'ReadResourceResult',
  'CompatibilityCallToolResult',
]);

/** `Promise<CallToolResult>` ⇒ `Promise<CallToolResult | InputRequiredResult>`. */
export function widenReturnType(handler: HandlerRegistration): TextEdit | undefined {
  const returnType = handler.fn.getReturnTypeNode();
  if (!returnType || /\bInputRequiredResult\b/.test(returnType.getText())) return undefined;
  const references = [returnType, ...returnType.getDescendants()].filter(
    (n) => Node.isTypeReference(n) && RESULT_TYPES.has(n.getTypeName().getText().split('.').at(-1) ?? ''),
  );
  const first = references[0];
  if (!first) return undefined;
  return { start: first.getEnd(), end: first.getEnd(), text: ' | InputRequiredResult' };
}
