/**
 * Calls in a project's tests that hand a function an SDK v1 request `extra` stub
 * (`handler(args, { sendRequest: mockSendRequest })`): the stub stands for a v1 request, and the
 * migrated handler expects a v2 context and answers its questions by returning them.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type Expression,
  type ObjectLiteralExpression,
  type SourceFile,
} from '../ts-morph.js';
import { withoutTypeWrappers } from './input-points.js';
import { isTestFile } from './test-files.js';

/** What only a v1 `extra` has: pushing requests and notifications to the client of this request. */
const PUSHES = new Set(['sendRequest', 'sendNotification']);
/** The rest of a v1 `extra`, which a stub holding two or more of and nothing else stands for. */
const EXTRA_MEMBERS = new Set([
  ...PUSHES,
  'signal',
  '_meta',
  'sessionId',
  'requestId',
  'authInfo',
  'requestInfo',
  'taskStore',
  'taskId',
  'taskRequestedTtl',
]);
/** Assertions and mock set-up take stubs as values; they call no handler. */
const NOT_A_HANDLER = new RegExp(
  '^(expect|assert)\\b|^callWithV1Extra$|\\.(toHaveBeen\\w*CalledWith|toEqual|toStrictEqual|toMatchObject|' +
    'mockResolvedValue\\w*|mockReturnValue\\w*|mockImplementation\\w*)$',
);

export interface StubbedCall {
  readonly call: CallExpression;
  /** The stub, as the last argument. */
  readonly extra: Expression;
  /** The object literal the stub is, there or in the `const` it names. */
  readonly stub: ObjectLiteralExpression;
}

/** Awaited (or handed to an assertion or returned) calls whose last argument is a v1 `extra` stub. */
export function stubbedHandlerCalls(sourceFile: SourceFile): StubbedCall[] {
  if (!isTestFile(sourceFile)) return [];
  const found: StubbedCall[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const extra = call.getArguments().at(-1);
    if (!extra || !Node.isExpression(extra) || NOT_A_HANDLER.test(call.getExpression().getText())) continue;
    const stub = stubObject(extra);
    if (!stub || !isV1Extra(stub) || !resultAwaited(call)) continue;
    found.push({ call, extra, stub });
  }
  return found;
}

function isV1Extra(stub: ObjectLiteralExpression): boolean {
  const names = memberNames(stub);
  if (names.includes('mcpReq') || names.some((n) => n === undefined)) return false;
  return names.some((n) => PUSHES.has(n!)) || (names.length >= 2 && names.every((n) => EXTRA_MEMBERS.has(n!)));
}

/** What a stub server's connection (`server.server`) scripts in a test: the asks of a v1 server. */
const CONNECTION_ASKS = new Set(['elicitInput', 'createMessage', 'listRoots']);
/** How handlers reach a stub server, and through it the test. */
const REGISTRARS = new Set(['registerTool', 'tool']);

/**
 * Object literals in a test that stand for a v1 `McpServer`: tools are registered on them
 * (`registerTool` or `tool`), and their `server` scripts what the client answers
 * (`{ server: { elicitInput: vi.fn() }, registerTool: vi.fn() }`).
 */
export function stubServers(sourceFile: SourceFile): ObjectLiteralExpression[] {
  if (!isTestFile(sourceFile)) return [];
  return sourceFile.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression).filter((object) => {
    const members = memberNames(object);
    if (!members.some((n) => n !== undefined && REGISTRARS.has(n))) return false;
    const connection = object.getProperty('server');
    const value = Node.isPropertyAssignment(connection)
      ? connection.getInitializer()
      : Node.isShorthandPropertyAssignment(connection)
        ? connection.getNameNode()
        : undefined;
    const inner = value && stubObject(value);
    return inner !== undefined && memberNames(inner).some((n) => n !== undefined && CONNECTION_ASKS.has(n));
  });
}

function memberNames(object: ObjectLiteralExpression): (string | undefined)[] {
  return object
    .getProperties()
    .map((p) =>
      Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) || Node.isMethodDeclaration(p)
        ? p.getName()
        : undefined,
    );
}

/** The object literal the argument is, or a `const` in an enclosing block holds. */
function stubObject(argument: Expression): ObjectLiteralExpression | undefined {
  const value = withoutTypeWrappers(argument);
  if (Node.isObjectLiteralExpression(value)) return value;
  if (!Node.isIdentifier(value)) return undefined;
  const name = value.getText();
  for (const scope of value.getAncestors()) {
    if (!Node.isBlock(scope) && !Node.isSourceFile(scope)) continue;
    for (const statement of scope.getStatements()) {
      if (!Node.isVariableStatement(statement) || statement.getStart() > value.getStart()) continue;
      const declaration = statement.getDeclarations().find((d) => d.getName() === name);
      const initializer = declaration?.getInitializer();
      if (initializer) {
        const object = withoutTypeWrappers(initializer);
        return Node.isObjectLiteralExpression(object) ? object : undefined;
      }
    }
  }
  return undefined;
}

/** The call's promise is waited for, so a driver returning a promise changes nothing for the test. */
function resultAwaited(call: CallExpression): boolean {
  for (let parent = call.getParent(); parent; parent = parent.getParent()) {
    if (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isNonNullExpression(parent))
      continue;
    if (Node.isAwaitExpression(parent) || Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) return true;
    return Node.isCallExpression(parent) && /^expect$/.test(parent.getExpression().getText());
  }
  return false;
}
