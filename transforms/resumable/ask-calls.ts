/**
 * The pieces of a resumable rewrite inside a function: an ask call becomes a call of the runtime
 * (`askElicit('site', params)`), and every catch on the way lets the end of a round through.
 */
import { Node, SyntaxKind, type Statement } from '../../src/ts-morph.js';
import { isFunctionLike, type FunctionLikeNode } from '../../src/analysis/functions.js';
import { urlParams, type InputPoint } from '../../src/analysis/input-points.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { indentUnit, quote, type CodeStyle } from '../../src/edit/code-style.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';
import { isTypeScriptFile } from '../../src/edit/imports.js';
import { removeStatement } from '../handlers/round.js';
import { hasUntypedResult } from '../handlers/untyped-asks.js';
import type { NameAllocator } from '../../src/edit/naming.js';

export interface AskCallRewrite {
  /** The call replaced, and the `const request = …` it alone sent removed. */
  readonly edits: TextEdit[];
  readonly runtimeName: string;
  readonly diagnostics: PendingDiagnostic[];
}

/** `server.server.elicitInput(params, options)` ⇒ `askElicit('site', params)`; the `await` stays. */
export function askCall(
  point: InputPoint,
  site: string,
  style: CodeStyle,
  statement: Node,
  names: NameAllocator,
  outside = false,
  /** The context's name in a native helper: the ask reads its answer there, or returns the request. */
  native?: string,
): AskCallRewrite {
  const diagnostics: PendingDiagnostic[] = [];
  const range = {
    start: statement.getStart(),
    end: statement.getEnd(),
    anchor: statement.getStart(),
  };
  if (point.options)
    diagnostics.push(
      pending(
        'mrtr/request-options-dropped',
        {
          kind: point.kind,
          options: point.options.getText().replace(/\s+/g, ' ').slice(0, 60),
        },
        range,
      ),
    );
  const key = quote(style, site);
  const params = point.params ? reindented(point.params, point.call) : '{}';
  const fallback = outside ? `, ${outsideCall(point, style)}` : '';
  const named =
    RUNTIME_NAMES[
      point.form === 'roots' || point.form === 'sampling' ? point.form : point.form === 'elicit-url' ? 'url' : 'elicit'
    ];
  const runtimeName = native ? named.native : named.held;
  const head = `${names.imported(runtimeName)}(${native ? `${native}, ` : ''}${key}`;
  const text = point.form === 'roots' ? `${head}${fallback})` : `${head}, ${params}${fallback})`;
  if (point.form === 'elicit-url' && point.params && urlParams(point.params)?.elicitationId)
    diagnostics.push(pending('mrtr/elicitation-id-dropped', {}, range));
  // An ask reached through `as any` gave the code an untyped result; the typed call must not take that away.
  const untyped = isTypeScriptFile(point.call.getSourceFile()) && hasUntypedResult(point.call);
  const call = resultParsed(point, untyped ? `(${text} as Promise<any>)` : text, untyped);
  return {
    edits: [call, ...(point.requestDeclaration ? [removeStatement(point.requestDeclaration)] : [])],
    runtimeName,
    diagnostics,
  };
}

const RUNTIME_NAMES = {
  roots: { held: 'askRoots', native: 'rootsAnswer' },
  sampling: { held: 'askSampling', native: 'samplingAnswer' },
  url: { held: 'askUrl', native: 'urlAnswer' },
  elicit: { held: 'askElicit', native: 'elicitAnswer' },
} as const;

const METHODS = {
  elicitation: 'elicitation/create',
  sampling: 'sampling/createMessage',
  roots: 'roots/list',
} as const;

/**
 * The ask as it was written, for when no request is being served (a 2025 session's timer or
 * notification handler, a test's stub): `(params) => server.server.elicitInput(params)`.
 */
function outsideCall(point: InputPoint, style: CodeStyle): string {
  const call = point.call;
  const [first, ...rest] = call.getArguments();
  const text = call.getSourceFile().getFullText();
  // v1's `extra.sendRequest(…)` is `ctx.mcpReq.send(…)` on v2's context.
  const callee = call
    .getExpression()
    .getText()
    .replace(/\.sendRequest$/, '.mcpReq.send');
  // `params` unless the call names something else so (the replaced `params:` property aside).
  const property = point.params?.getParent();
  const replacedRange =
    property && Node.isPropertyAssignment(property) && property.getName() === 'params' ? property : point.params;
  const others = replacedRange
    ? text.slice(call.getStart(), replacedRange.getStart()) + text.slice(replacedRange.getEnd(), call.getEnd())
    : call.getText();
  const name = /\bparams\b/.test(others) ? 'askedParams' : 'params';
  const takes = point.form === 'roots' ? '' : name;
  let request: string;
  if (!first) request = '';
  else if (point.requestDeclaration) {
    const method = quote(style, METHODS[point.kind]);
    request = point.form === 'roots' ? `{ method: ${method} }` : `{ method: ${method}, params: ${name} }`;
  } else if (point.params && point.params === first) request = name;
  else if (point.params && first.containsRange(point.params.getPos(), point.params.getEnd())) {
    // `params: { … }` becomes the shorthand `params` when the closure's parameter has that name.
    const property = point.params.getParent();
    const replaced =
      name === 'params' && Node.isPropertyAssignment(property) && property.getName() === 'params'
        ? property
        : point.params;
    request = text.slice(first.getStart(), replaced.getStart()) + name + text.slice(replaced.getEnd(), first.getEnd());
  } else request = first.getText();
  const args = [request, ...rest.map((arg) => arg.getText())].filter((arg) => arg !== '');
  // `server.server.elicitInput(params)` alone: the method itself, bound where the call was, so the
  // receiver is read where the code's own checks narrowed it (`if (!elicitor) return;`).
  const expression = call.getExpression();
  if (Node.isPropertyAccessExpression(expression) && args.length === (takes ? 1 : 0) && args[0] === takes)
    return `${callee}.bind(${expression.getExpression().getText()})`;
  return `(${takes}) => ${callee}(${args.join(', ')})`;
}

/** The project's own result schema parsed the answer before; it still does, and still gives its type. */
function resultParsed(point: InputPoint, text: string, untyped: boolean): TextEdit {
  const awaited = point.call.getParent();
  if (!point.resultSchema || untyped) return { start: point.call.getStart(), end: point.call.getEnd(), text };
  const schema = point.resultSchema.getText();
  return Node.isAwaitExpression(awaited)
    ? {
        start: awaited.getStart(),
        end: awaited.getEnd(),
        text: `${schema}.parse(await ${text})`,
      }
    : {
        start: point.call.getStart(),
        end: point.call.getEnd(),
        text: `${text}.then((r) => ${schema}.parse(r))`,
      };
}

/** Params moved out of a request object keep their shape: later lines shift with the call's indentation. */
function reindented(params: Node, call: Node): string {
  const text = params.getSourceFile().getFullText();
  const indentAt = (pos: number) => /^[ \t]*/.exec(text.slice(lineStartOf(text, pos)))?.[0] ?? '';
  const from = indentAt(params.getStart());
  const to = indentAt(call.getStart());
  if (from === to) return params.getText();
  return params
    .getText()
    .split('\n')
    .map((line, i) => (i > 0 && line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

/**
 * A `catch` whose `try` block contains `node` would swallow the end of a round: its first
 * statement now rethrows it. A catch without a binding gets one.
 */
export function rethrowEdits(
  node: Node,
  boundary: Node,
  names: NameAllocator,
  style: CodeStyle,
  done: Set<Node>,
): TextEdit[] {
  const edits: TextEdit[] = [];
  const text = node.getSourceFile().getFullText();
  for (
    let current: Node | undefined = node.getParent();
    current && current !== boundary;
    current = current.getParent()
  ) {
    if (!Node.isTryStatement(current) || !current.getTryBlock().containsRange(node.getPos(), node.getEnd())) continue;
    const clause = current.getCatchClause();
    if (!clause || done.has(clause)) continue;
    done.add(clause);
    const block = clause.getBlock();
    const variable = clause.getVariableDeclaration();
    let name = variable && Node.isIdentifier(variable.getNameNode()) ? variable.getName() : undefined;
    if (!variable) {
      name = names.fresh('error');
      edits.push({
        start: clause.getFirstChildByKindOrThrow(SyntaxKind.CatchKeyword).getEnd(),
        end: block.getStart(),
        text: ` (${name}) `,
      });
    }
    if (!name) continue;
    const lineStart = lineStartOf(text, clause.getStart());
    const indent = (/^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '') + indentUnit(style);
    const semi = style.semi ? ';' : '';
    edits.push({
      start: block.getStart() + 1,
      end: block.getStart() + 1,
      text: `\n${indent}if (${names.imported('isRoundEnd')}(${name})) throw ${name}${semi}`,
    });
  }
  return edits;
}

/** The statement of `fn`'s body (any depth) that contains `node`. */
export function statementIn(node: Node, fn: FunctionLikeNode): Statement | undefined {
  for (let current: Node | undefined = node; current && current !== fn; current = current.getParent()) {
    const parent = current.getParent();
    if (
      parent &&
      (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) &&
      isFunctionLikeOrInside(parent, fn)
    )
      return current as Statement;
  }
  return undefined;
}

function isFunctionLikeOrInside(node: Node, fn: FunctionLikeNode): boolean {
  for (let current: Node | undefined = node; current; current = current.getParent()) {
    if (current === fn) return true;
    if (isFunctionLike(current)) return false;
  }
  return false;
}
