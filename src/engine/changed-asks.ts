/**
 * Statements the run rewrote around a runtime ask (`const r = await askElicit('site', {…},
 * server.server.elicitInput.bind(server.server));`) or a test's driven call or stub server
 * (`callWithV1Extra(…)`, `v1StubServer(…)`): their lines are the run's, so prettier prints them as
 * it prints generated code. Only a simple statement (a declaration, an expression, a `return`) on
 * lines of its own, not found as written in the original.
 */
import { ts } from '../ts-morph.js';
import { lineStartOf } from '../edit/text-edits.js';

const GUARD = /\bisInputRequiredResult\d*\(/;
const RUNTIME_ASK =
  /\b(ask(Elicit|Url|Sampling|Roots)|(elicit|url|sampling|roots)Answer|callWithV1Extra|v1StubServer)\d*\(/;

export interface ChangedStatement {
  readonly start: number;
  readonly end: number;
  readonly indent: string;
  readonly text: string;
}

export function changedAskStatements(text: string, original: string, filePath: string): ChangedStatement[] {
  if (!RUNTIME_ASK.test(text) && !GUARD.test(text)) return [];
  const kind = /\.[cm]?tsx?$/.test(filePath) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sourceFile = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, kind);
  const found = new Map<number, ChangedStatement>();
  const visit = (node: ts.Node): void => {
    // The statement a native helper's guard follows: the call in it now passes the context.
    const guarded = guardedStatement(node);
    const runtimeCall =
      ts.isCallExpression(node) && ts.isIdentifier(node.expression) && RUNTIME_ASK.test(`${node.expression.text}(`);
    if (runtimeCall || guarded) {
      const statement = guarded ?? simpleStatementOf(node);
      if (statement) {
        const start = lineStartOf(text, statement.getStart(sourceFile));
        const end = statement.getEnd();
        const whole = text.slice(start, end);
        const indent = /^[ \t]*/.exec(whole)?.[0] ?? '';
        const ownLines =
          whole.slice(indent.length) === statement.getText(sourceFile) && /^[ \t]*(\r?\n|$)/.test(text.slice(end));
        if (ownLines && !original.includes(statement.getText(sourceFile)))
          found.set(start, { start, end, indent, text: statement.getText(sourceFile) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  // A statement inside another found one is printed with it.
  const all = [...found.values()].sort((a, b) => a.start - b.start);
  return all.filter((s, i) => !all.slice(0, i).some((outer) => outer.start <= s.start && s.end <= outer.end));
}

/** `if (isInputRequiredResult(x)) return x;`: the simple statement just before it. */
function guardedStatement(node: ts.Node): ts.Statement | undefined {
  if (!ts.isIfStatement(node) || !ts.isCallExpression(node.expression)) return undefined;
  const callee = node.expression.expression;
  if (!ts.isIdentifier(callee) || !/^isInputRequiredResult\d*$/.test(callee.text)) return undefined;
  const list = node.parent;
  if (!ts.isBlock(list) && !ts.isSourceFile(list) && !ts.isCaseOrDefaultClause(list)) return undefined;
  const previous = list.statements[list.statements.indexOf(node) - 1];
  return previous && (ts.isVariableStatement(previous) || ts.isExpressionStatement(previous)) ? previous : undefined;
}

function simpleStatementOf(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return undefined;
    if (ts.isVariableStatement(current) || ts.isExpressionStatement(current) || ts.isReturnStatement(current)) {
      const parent = current.parent;
      return ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseOrDefaultClause(parent) ? current : undefined;
    }
    if (ts.isStatement(current)) return undefined;
  }
  return undefined;
}
