/**
 * Input points: the SSE-era calls that ask the client for input mid-request. Recognised by
 * syntax so that a tree without node_modules still works; the shapes are those of sdk-surface §1.
 */
import {
  Node,
  SyntaxKind,
  ts,
  type CallExpression,
  type Expression,
  type ObjectLiteralExpression,
  type SourceFile,
  type VariableStatement,
} from '../ts-morph.js';
import { boundAsk, isFollowedBinding } from './bound-asks.js';
import { declarationOf, importOf } from './resolve.js';
import { askedOutsideRequests } from './outside-asks.js';
import { isTestFile } from './test-files.js';
import { definedByObjectLiteral, withoutTypeWrappers } from './stub-receivers.js';

export { withoutTypeWrappers };

export { askedOutsideRequests } from './outside-asks.js';

export type AskKind = 'elicitation' | 'sampling' | 'roots';
export type AskForm = 'elicit-form' | 'elicit-url' | 'sampling' | 'roots';

export interface InputPoint {
  readonly call: CallExpression;
  readonly kind: AskKind;
  readonly form: AskForm;
  /** The request params as written, when there are any. */
  readonly params: Expression | undefined;
  /** Per-request options (timeout, signal, relatedRequestId): no MRTR equivalent. */
  readonly options: Expression | undefined;
  /** Result-schema constants the call consumed (`ElicitResultSchema`), pruned from imports when unused. */
  readonly consumedNames: readonly string[];
  /** `const request = { method, params }` sent by this call alone: removed when the ask is rewritten. */
  readonly requestDeclaration?: VariableStatement;
  /** The project's own result schema (`send(request, z.object({…}))`): it still parses, and types, the answer. */
  readonly resultSchema?: Expression;
}

export { INPUT_POINT_TEXT } from './input-point-text.js';

const METHOD_KINDS: Readonly<Record<string, AskKind>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

export function findInputPoints(sourceFile: SourceFile): InputPoint[] {
  const points: InputPoint[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const point = classifyCall(call);
    if (point && declaredBy(call) !== 'elsewhere' && !askedOutsideRequests(call)) points.push(point);
  }
  return points;
}

/** An ask method taken as a value (`.bind(...)`, `a ?? b`, destructured, passed along): its calls cannot be found. */
export interface AskReference {
  readonly node: Node;
  readonly method: string;
}

const ASK_METHODS = new Set(['elicitInput', 'requestSampling', 'createMessage', 'listRoots']);

/** In a test file, what it reads of an ask method is a mock it set up, not an ask. */
export function findAskReferences(sourceFile: SourceFile): AskReference[] {
  if (isTestFile(sourceFile)) return [];
  const found: AskReference[] = [];
  for (const access of sourceFile.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const method = access.getName();
    if (!ASK_METHODS.has(method) || !isAskReceiver(method, access.getExpression().getText())) continue;
    if (askedOutsideRequests(access)) continue;
    const parent = access.getParentOrThrow();
    if (Node.isCallExpression(parent) && parent.getExpression() === access) continue;
    // Held in a `const` and called once: that call is found and rewritten, and the `const` removed.
    if (isFollowedBinding(access, ASK_METHODS)) continue;
    // `server.server.elicitInput = vi.fn()` replaces the method: a mock, found by findAskMocks.
    if (!assignmentOver(access)) found.push({ node: access, method });
  }
  for (const element of sourceFile.getDescendantsOfKind(SyntaxKind.BindingElement)) {
    const method = (element.getPropertyNameNode() ?? element.getNameNode()).getText();
    const pattern = element.getParentOrThrow();
    const declaration = pattern.getParentOrThrow();
    const source = Node.isVariableDeclaration(declaration) ? declaration.getInitializer()?.getText() : undefined;
    if (ASK_METHODS.has(method) && source !== undefined && isAskReceiver(method, source))
      found.push({ node: element, method });
  }
  return found;
}

/**
 * Tests that stand in for an ask: `vi.spyOn(server.server, 'elicitInput')`, `sinon.stub(...)`, or
 * the method assigned over. Migrated handlers no longer call it, so the stand-in never answers.
 */
export function findAskMocks(sourceFile: SourceFile): AskReference[] {
  const found: AskReference[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !['spyOn', 'stub', 'replace'].includes(callee.getName())) continue;
    const [target, name] = call.getArguments();
    if (!target || !name || !Node.isStringLiteral(name)) continue;
    const method = name.getLiteralValue();
    if (ASK_METHODS.has(method) && isAskReceiver(method, target.getText())) found.push({ node: call, method });
  }
  for (const access of sourceFile.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const method = access.getName();
    const assignment = assignmentOver(access);
    if (assignment && ASK_METHODS.has(method) && isAskReceiver(method, access.getExpression().getText()))
      found.push({ node: assignment, method });
  }
  return found;
}

/** `access = value`: the assignment that replaces what `access` names. */
function assignmentOver(access: Node): Node | undefined {
  const parent = access.getParentOrThrow();
  return Node.isBinaryExpression(parent) &&
    parent.getLeft() === access &&
    parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken
    ? parent
    : undefined;
}

function isAskReceiver(method: string, receiverText: string): boolean {
  if (receiverText === 'inputRequired') return false;
  return method === 'elicitInput' || method === 'requestSampling' || looksLikeServer(receiverText);
}

/** Method names common enough that another library may have them; these are checked by type. */
const AMBIGUOUS_METHODS = new Set(['createMessage', 'listRoots', 'send', 'request', 'sendRequest']);

/**
 * Where the called method comes from, when the code says so: a receiver built from a class of
 * the project or imported from another package is a look-alike (a user's own `createMessage`);
 * one imported from, or typed as, the MCP SDK is the real thing. Anything else is left to the
 * syntactic test, so a tree without node_modules still works.
 */
function declaredBy(call: CallExpression): 'mcp' | 'elsewhere' | 'unknown' {
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee) && definedByObjectLiteral(callee)) return 'elsewhere';
  if (!Node.isPropertyAccessExpression(callee) || !AMBIGUOUS_METHODS.has(callee.getName())) return 'unknown';
  let root: Node = callee.getExpression();
  while (Node.isPropertyAccessExpression(root)) root = root.getExpression();
  if (!Node.isIdentifier(root)) return 'unknown';
  const imported = importOf(root);
  if (imported)
    return imported.specifier.startsWith('@modelcontextprotocol/')
      ? 'mcp'
      : imported.specifier.startsWith('.')
        ? 'unknown'
        : 'elsewhere';
  const declaration = declarationOf(root);
  if (declaration && Node.isParameterDeclaration(declaration)) {
    return /\b(McpServer|Server|ServerContext|RequestHandlerExtra)\b/.test(declaration.getTypeNode()?.getText() ?? '')
      ? 'mcp'
      : 'unknown';
  }
  const init = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  if (init && Node.isNewExpression(init)) {
    const className = init.getExpression();
    if (!Node.isIdentifier(className)) return 'unknown';
    const source = importOf(className);
    if (source) return source.specifier.startsWith('@modelcontextprotocol/') ? 'mcp' : 'elsewhere';
    return declarationOf(className) ? 'elsewhere' : 'unknown';
  }
  return 'unknown';
}

export function classifyCall(call: CallExpression): InputPoint | undefined {
  const callee = call.getExpression();
  // Called more than once, the bound method stays flagged as taken by value (findAskReferences).
  const bound = Node.isIdentifier(callee) ? boundAsk(callee, ASK_METHODS) : undefined;
  if (bound?.only) {
    const point = classifyMethod(call, bound.method, bound.receiverText);
    return point && { ...point, requestDeclaration: bound.only };
  }
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  return classifyMethod(call, callee.getName(), callee.getExpression().getText());
}

function classifyMethod(call: CallExpression, method: string, receiver: string): InputPoint | undefined {
  // Our own output: `inputRequired.createMessage(...)` builds a request, it does not send one.
  if (receiver === 'inputRequired') return undefined;
  const args = call.getArguments() as Expression[];
  switch (method) {
    // server.server.elicitInput(params, options) / server.elicitInput / ctx.mcpReq.elicitInput
    case 'elicitInput':
      return {
        call,
        kind: 'elicitation',
        form: elicitForm(args[0]),
        params: args[0],
        options: args[1],
        consumedNames: [],
      };
    // ctx.mcpReq.requestSampling(params, options) (v2, deprecated)
    case 'requestSampling':
      return { call, kind: 'sampling', form: 'sampling', params: args[0], options: args[1], consumedNames: [] };
    // server.server.createMessage(params, options); the name is common, so the receiver or params must look like MCP
    case 'createMessage':
      if (!looksLikeServer(receiver) && !hasProperties(args[0], ['messages', 'maxTokens'])) return undefined;
      return { call, kind: 'sampling', form: 'sampling', params: args[0], options: args[1], consumedNames: [] };
    // server.server.listRoots(params, options)
    case 'listRoots':
      if (!looksLikeServer(receiver)) return undefined;
      return { call, kind: 'roots', form: 'roots', params: undefined, options: args[1], consumedNames: [] };
    // extra.sendRequest({ method, params }, ResultSchema, options) / ctx.mcpReq.send(...) / server.request(...)
    case 'sendRequest':
    case 'send':
    case 'request':
      return classifyGenericRequest(call, method, args);
    default:
      return undefined;
  }
}

function classifyGenericRequest(call: CallExpression, method: string, args: Expression[]): InputPoint | undefined {
  const held = heldRequest(args[0]);
  const request = held?.request ?? args[0];
  if (!request || !Node.isObjectLiteralExpression(request)) return undefined;
  const methodName = stringProperty(request, 'method');
  const kind = methodName === undefined ? undefined : METHOD_KINDS[methodName];
  if (!kind) return undefined;
  const params = propertyInitializer(request, 'params');
  // v1 sendRequest and request take (request, schema, options); v2 send takes (request, options) or
  // (request, schema, options).
  const second = args[1];
  const secondIsSchema = second !== undefined && isResultSchema(second, method);
  const options = method === 'send' && !secondIsSchema ? second : args[2];
  // `ElicitResultSchema`, or `types.ElicitResultSchema` through a namespace import: the SDK's own.
  const schemaName = second && Node.isPropertyAccessExpression(second) ? second.getName() : second?.getText();
  const sdkSchema = secondIsSchema && schemaName !== undefined && SDK_RESULT_SCHEMAS.has(schemaName);
  const consumedNames = sdkSchema && Node.isIdentifier(second) ? [second.getText()] : [];
  const form: AskForm = kind === 'elicitation' ? elicitForm(params) : kind === 'sampling' ? 'sampling' : 'roots';
  const point: InputPoint = {
    call,
    kind,
    form,
    params: kind === 'roots' ? undefined : params,
    options,
    consumedNames,
    ...(secondIsSchema && !sdkSchema ? { resultSchema: second } : {}),
  };
  return held?.only ? { ...point, requestDeclaration: held.only } : point;
}

const SDK_RESULT_SCHEMAS = new Set([
  'ElicitResultSchema',
  'CreateMessageResultSchema',
  'CreateMessageResultWithToolsSchema',
  'ListRootsResultSchema',
]);

/** v1 `sendRequest`/`request` always take a schema second; v2 `send` takes options there unless it is one. */
function isResultSchema(argument: Expression, method: string): boolean {
  if (Node.isIdentifier(argument) && /Schema$/.test(argument.getText())) return true;
  if (method !== 'send') return !Node.isObjectLiteralExpression(argument);
  const declaration = Node.isIdentifier(argument) ? declarationOf(argument) : undefined;
  const value = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : argument;
  return value !== undefined && ZOD_SCHEMA.test(value.getText());
}

const ZOD_SCHEMA = /^z\.|\.(object|extend|passthrough|strict|merge)\(/;

/**
 * `const request = { method: 'elicitation/create', params }; await extra.sendRequest(request, …)`:
 * the object literal a `const` holds, and its statement when this is the one use of the name.
 */
function heldRequest(
  argument: Expression | undefined,
): { request: ObjectLiteralExpression; only: VariableStatement | undefined } | undefined {
  if (!argument || !Node.isIdentifier(argument)) return undefined;
  const declaration = declarationOf(argument);
  if (!declaration || !Node.isVariableDeclaration(declaration) || !Node.isIdentifier(declaration.getNameNode()))
    return undefined;
  const statement = declaration.getVariableStatement();
  const initializer = declaration.getInitializer();
  const object = initializer && withoutTypeWrappers(initializer);
  if (
    !statement ||
    (statement.getDeclarationList().getFlags() & ts.NodeFlags.Const) === 0 ||
    !object ||
    !Node.isObjectLiteralExpression(object)
  )
    return undefined;
  const scope = statement.getParentOrThrow();
  const uses = scope
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter(
      (id) =>
        id.getText() === argument.getText() && id !== declaration.getNameNode() && declarationOf(id) === declaration,
    );
  const only = uses.length === 1 && statement.getDeclarations().length === 1 ? statement : undefined;
  return { request: object, only };
}

/**
 * `extra.sendRequest(request, …)`, `ctx.mcpReq.send(request)`, `server.request(request, …)` whose
 * method cannot be read: it may be an ask, and it fails on 2026-07-28 if it is.
 */
export function findUnknownRequests(sourceFile: SourceFile): CallExpression[] {
  return sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return false;
    const name = callee.getName();
    const receiver = callee.getExpression().getText();
    const sends =
      name === 'sendRequest' ||
      (name === 'send' && /\.mcpReq$/.test(receiver)) ||
      (name === 'request' && looksLikeServer(receiver));
    if (!sends || classifyCall(call)) return false;
    const argument = call.getArguments()[0] as Expression | undefined;
    const request = heldRequest(argument)?.request ?? argument;
    // A request whose method is written down and is not an ask is none of ours.
    return !(request && Node.isObjectLiteralExpression(request) && stringProperty(request, 'method') !== undefined);
  });
}

function elicitForm(params: Expression | undefined): AskForm {
  return params && urlParams(params) ? 'elicit-url' : 'elicit-form';
}

const URL_PARAMS_TYPE = /\bElicitRequestURLParams\b/;

/**
 * URL-mode params, wherever that is visible: `mode: 'url'` written in the object, a cast or declared
 * type (`ElicitRequestURLParams`, in TypeScript or JSDoc), or a `const` holding such an object.
 */
export function urlParams(params: Expression): { readonly elicitationId: boolean } | undefined {
  if ((Node.isAsExpression(params) || Node.isSatisfiesExpression(params)) && typeNamesUrl(params.getTypeNode()))
    return { elicitationId: true };
  const value = withoutTypeWrappers(params);
  if (Node.isObjectLiteralExpression(value))
    return stringProperty(value, 'mode') === 'url'
      ? { elicitationId: value.getProperty('elicitationId') !== undefined }
      : undefined;
  if (!Node.isIdentifier(value)) return undefined;
  const declaration = declarationOf(value);
  if (!Node.isVariableDeclaration(declaration) && !Node.isParameterDeclaration(declaration)) return undefined;
  if (typeNamesUrl(declaration.getTypeNode()) || jsDocNamesUrl(declaration)) return { elicitationId: true };
  const init = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  return init && (Node.isObjectLiteralExpression(withoutTypeWrappers(init)) || Node.isAsExpression(init))
    ? urlParams(init)
    : undefined;
}

function typeNamesUrl(type: Node | undefined): boolean {
  return type !== undefined && URL_PARAMS_TYPE.test(type.getText());
}

/** `/** @type {ElicitRequestURLParams} *\/ const params = …` in JavaScript that checks its types. */
function jsDocNamesUrl(declaration: Node): boolean {
  const statement = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
  const docs = statement && Node.isJSDocable(statement) ? statement.getJsDocs() : [];
  return docs.some((doc) => /@type\s*\{[^}]*\bElicitRequestURLParams\b/.test(doc.getText()));
}

function looksLikeServer(receiverText: string): boolean {
  return /server|mcp|\.mcpReq$/i.test(receiverText);
}

function hasProperties(expr: Expression | undefined, names: readonly string[]): boolean {
  if (!expr || !Node.isObjectLiteralExpression(expr)) return false;
  return names.every((name) => expr.getProperty(name) !== undefined);
}

/** The initializer of `name: value` or the identifier of shorthand `name`. */
export function propertyInitializer(object: ObjectLiteralExpression, name: string): Expression | undefined {
  const property = object.getProperty(name);
  if (!property) return undefined;
  if (Node.isPropertyAssignment(property)) return property.getInitializer();
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}

export function stringProperty(object: ObjectLiteralExpression, name: string): string | undefined {
  const written = propertyInitializer(object, name);
  // `method: 'elicitation/create' as const` is still the literal.
  const value = written && withoutTypeWrappers(written);
  if (value && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)))
    return value.getLiteralValue();
  return undefined;
}
