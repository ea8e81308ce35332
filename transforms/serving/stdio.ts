/**
 * A stdio entry point moved to `serveStdio`, which negotiates the era per connection:
 *
 *   const transport = new StdioServerTransport();     ⇒ (gone)
 *   await server.connect(transport);                  ⇒ serveStdio(() => server);
 *
 * A transport variable the shutdown hooks close becomes the handle (`transport.close()` keeps
 * working); a connect whose promise is used (`.catch(...)`, `return`) gets a resolved promise of
 * the handle. `() => server` shares the one instance: stdio serves one connection per process,
 * and the installed SDK builds an instance only when it pins the era.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type Identifier,
  type VariableDeclaration,
} from '../../src/ts-morph.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import { isPropertyName } from '../../src/analysis/resolve.js';
import { removeStatement } from '../handlers/round.js';
import type { Connection } from '../../src/analysis/entry-points.js';

export type StdioPlan = { readonly edits: TextEdit[]; readonly factory: string } | { readonly refused: string };

export function planStdio(connection: Connection, serveStdio: string): StdioPlan {
  const { call, server, variable } = connection;
  const factory = `() => ${server.getText()}`;
  const serve = `${serveStdio}(${factory})`;
  const statement = call.getFirstAncestor((n) => Node.isStatement(n));
  const awaited = call.getParent();
  const value = Node.isAwaitExpression(awaited) ? awaited : call;
  const statementLevel = Node.isExpressionStatement(value.getParent());
  const edits: TextEdit[] = [];
  if (variable) {
    const uses = otherUses(variable, call);
    const declarationStatement = variable.getVariableStatement();
    if (!declarationStatement || declarationStatement.getDeclarations().length !== 1)
      return { refused: 'the transport is declared together with other variables' };
    if (uses.length > 0) {
      // The handle stands in for the transport: it has `close()`, and nothing else the code may use.
      const other = uses.find((use) => !isCloseCall(use));
      if (other)
        return { refused: `the transport is used for more than \`close()\` (\`${other.getParent()?.getText()}\`)` };
      if (!statementLevel || statement?.getParent() !== declarationStatement.getParent())
        return { refused: 'the transport is closed elsewhere, and the connect call is not beside its declaration' };
      edits.push(removeStatement(declarationStatement));
      const keyword = declarationStatement.getDeclarationKind();
      edits.push({ start: value.getStart(), end: value.getEnd(), text: `${keyword} ${variable.getName()} = ${serve}` });
      return { edits, factory };
    }
    edits.push(removeStatement(declarationStatement));
  }
  edits.push({
    start: value.getStart(),
    end: value.getEnd(),
    text: statementLevel
      ? serve
      : Node.isAwaitExpression(value)
        ? `await Promise.resolve(${serve})`
        : `Promise.resolve(${serve})`,
  });
  return { edits, factory };
}

/** References to the transport variable besides its declaration and the connect call. */
function otherUses(variable: VariableDeclaration, call: CallExpression): Identifier[] {
  const name = variable.getName();
  const scope = variable.getVariableStatement()?.getParent() ?? variable.getSourceFile();
  return scope
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter(
      (id) =>
        id.getText() === name &&
        id !== variable.getNameNode() &&
        !call.getArguments().includes(id) &&
        !isPropertyName(id),
    );
}

function isCloseCall(id: Identifier): boolean {
  const access = id.getParent();
  return (
    Node.isPropertyAccessExpression(access) &&
    access.getName() === 'close' &&
    Node.isCallExpression(access.getParent()) &&
    access.getParent()?.getChildAtIndex(0) === access
  );
}
