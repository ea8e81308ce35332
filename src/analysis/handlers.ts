/**
 * Handler registrations: which functions serve tools/call, prompts/get or resources/read (the
 * only methods that may return input_required), and where their context parameter sits.
 */
import { Node, SyntaxKind, type CallExpression, type Expression, type SourceFile } from '../ts-morph.js';
import type { FunctionLikeNode } from './functions.js';
import { declarationOf, resolveCallee, valueOf } from './resolve.js';

export type HandlerFamily = 'tool' | 'prompt' | 'resource';

export interface HandlerRegistration {
  readonly fn: FunctionLikeNode;
  /** `undefined` for registrations that cannot return input_required (notifications, tools/list…). */
  readonly family: HandlerFamily | undefined;
  /** Tool, prompt or resource name, or the request method for low-level handlers. */
  readonly name: string;
  readonly registration: CallExpression;
  /** Index of the context parameter in the callback's signature. */
  readonly contextIndex: number;
}

const SCHEMA_FAMILIES: Readonly<Record<string, HandlerFamily>> = {
  CallToolRequestSchema: 'tool',
  'tools/call': 'tool',
  GetPromptRequestSchema: 'prompt',
  'prompts/get': 'prompt',
  ReadResourceRequestSchema: 'resource',
  'resources/read': 'resource',
};

/** `server.setRequestHandler(Schema, fn)`: the handler returns the whole result union of its method. */
export function isLowLevelRegistration(handler: HandlerRegistration): boolean {
  return /\.setRequestHandler$/.test(handler.registration.getExpression().getText());
}

export function findHandlerRegistrations(sourceFile: SourceFile): Map<FunctionLikeNode, HandlerRegistration> {
  const found = new Map<FunctionLikeNode, HandlerRegistration>();
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const registration = classifyRegistration(call);
    if (registration && !found.has(registration.fn)) found.set(registration.fn, registration);
  }
  return found;
}

function classifyRegistration(call: CallExpression): HandlerRegistration | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.getName();
  const args = call.getArguments() as Expression[];
  const last = args.at(-1);
  switch (method) {
    // server.registerTool(name, { inputSchema? }, cb) / server.tool(name, [description], [shape], [annotations], cb)
    case 'registerTool':
    case 'tool': {
      const fn = resolveFunction(last);
      if (!fn) return undefined;
      const hasArgs =
        method === 'registerTool' ? configHas(args[1], 'inputSchema', fn) : middleHasShape(args.slice(1, -1), fn);
      return { fn, family: 'tool', name: literalName(args[0]), registration: call, contextIndex: hasArgs ? 1 : 0 };
    }
    case 'registerPrompt':
    case 'prompt': {
      const fn = resolveFunction(last);
      if (!fn) return undefined;
      const hasArgs =
        method === 'registerPrompt' ? configHas(args[1], 'argsSchema', fn) : middleHasShape(args.slice(1, -1), fn);
      return { fn, family: 'prompt', name: literalName(args[0]), registration: call, contextIndex: hasArgs ? 1 : 0 };
    }
    // server.registerResource(name, uriOrTemplate, config, cb): (uri, ctx) or (uri, variables, ctx)
    case 'registerResource':
    case 'resource': {
      const fn = resolveFunction(last);
      if (!fn) return undefined;
      const template =
        args[1] !== undefined &&
        Node.isNewExpression(args[1]) &&
        args[1].getExpression().getText().endsWith('ResourceTemplate');
      return { fn, family: 'resource', name: literalName(args[0]), registration: call, contextIndex: template ? 2 : 1 };
    }
    // server.setRequestHandler(CallToolRequestSchema | 'tools/call', (request, ctx) => …)
    case 'setRequestHandler':
    case 'setNotificationHandler': {
      const fn = resolveFunction(args[1]);
      if (!fn || !args[0]) return undefined;
      const schema = Node.isStringLiteral(args[0])
        ? args[0].getLiteralValue()
        : (args[0].getText().split('.').at(-1) ?? '');
      const family = method === 'setRequestHandler' ? SCHEMA_FAMILIES[schema] : undefined;
      return { fn, family, name: schema, registration: call, contextIndex: 1 };
    }
    default:
      return undefined;
  }
}

/** The function a registration argument denotes: inline, a declaration by name, or a member, bound or not. */
function resolveFunction(expr: Expression | undefined): FunctionLikeNode | undefined {
  if (!expr) return undefined;
  if (Node.isArrowFunction(expr) || Node.isFunctionExpression(expr)) return expr;
  // `this.clear.bind(this)`, `handle.bind(null)`: the bound function is the handler.
  if (Node.isCallExpression(expr)) {
    const callee = expr.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'bind'
      ? resolveFunction(callee.getExpression())
      : undefined;
  }
  // `this.clear`, `handlers.wipe`: a member of a class or object literal of the project.
  if (Node.isPropertyAccessExpression(expr)) return resolveCallee(expr);
  if (!Node.isIdentifier(expr)) return undefined;
  const definition = declarationOf(expr);
  if (definition && Node.isFunctionDeclaration(definition)) return definition;
  if (definition && Node.isVariableDeclaration(definition)) {
    const init = definition.getInitializer();
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return init;
  }
  // A handler function exported from another file of the project.
  return resolveCallee(expr);
}

function configHas(config: Expression | undefined, property: string, fn: FunctionLikeNode): boolean {
  if (config && Node.isObjectLiteralExpression(config)) return config.getProperty(property) !== undefined;
  return fn.getParameters().length >= 2;
}

/** In the deprecated positional overloads, a zod raw shape is an object literal of `z.…` values. */
function middleHasShape(middle: Expression[], fn: FunctionLikeNode): boolean {
  const shape = middle.some(
    (arg) =>
      (Node.isObjectLiteralExpression(arg) &&
        arg
          .getProperties()
          .some((p) => Node.isPropertyAssignment(p) && /^z\.|\bz\./.test(p.getInitializer()?.getText() ?? ''))) ||
      (!Node.isObjectLiteralExpression(arg) &&
        !Node.isStringLiteral(arg) &&
        !Node.isNoSubstitutionTemplateLiteral(arg)),
  );
  return shape || fn.getParameters().length >= 2;
}

/** The registered name: a literal, or a `const` holding one (in this file or imported); else the code as written. */
function literalName(expr: Expression | undefined): string {
  return (expr && constantString(expr)) ?? expr?.getText() ?? '<unnamed>';
}

function constantString(expr: Node, depth = 0): string | undefined {
  if (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr)) return expr.getLiteralValue();
  if (Node.isAsExpression(expr) || Node.isParenthesizedExpression(expr) || Node.isSatisfiesExpression(expr))
    return constantString(expr.getExpression(), depth);
  if (!Node.isIdentifier(expr) || depth > 3) return undefined;
  const declaration = valueOf(expr);
  if (!declaration || !Node.isVariableDeclaration(declaration)) return undefined;
  const list = declaration.getParent();
  if (!Node.isVariableDeclarationList(list) || `${list.getDeclarationKind()}` !== 'const') return undefined;
  const init = declaration.getInitializer();
  return init ? constantString(init, depth + 1) : undefined;
}
