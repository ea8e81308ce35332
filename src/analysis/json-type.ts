/**
 * Whether a value's static type is plain JSON, so that it comes back from requestState as it went
 * in. Dates, maps, class instances, functions and values of unknown type are not. The type
 * checker is asked only here, and only for values the syntax cannot settle.
 */
import { Node, ts, type Type } from '../ts-morph.js';

/** Callees whose result is known without types. */
/** `'json'`, or what the value is. */
const KNOWN_RESULTS: Readonly<Record<string, string>> = {
  randomUUID: 'json',
  'crypto.randomUUID': 'json',
  uuid: 'json',
  uuidv4: 'json',
  v4: 'json',
  nanoid: 'json',
  ulid: 'json',
  'Math.random': 'json',
  'Date.now': 'json',
  'performance.now': 'json',
  randomBytes: 'a `Buffer`',
  'crypto.randomBytes': 'a `Buffer`',
  'crypto.getRandomValues': 'a typed array',
};

const NOT_JSON_CLASSES = new Set([
  'Date',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'RegExp',
  'Promise',
  'Error',
  'Buffer',
  'URL',
  'ArrayBuffer',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/**
 * Why the value of `node` might not be plain JSON; undefined when it is. `settled`: what is carried
 * is what the promise `node` gives (the value of an `await`, or a promise handed on unawaited).
 */
export function notPlainJson(node: Node, settled: boolean): string | undefined {
  const known = knownResultOf(Node.isAwaitExpression(node) ? node.getExpression() : node);
  if (known) return known === 'json' ? undefined : `its value is ${known}`;
  let type = node.getType();
  if (settled) type = promisedValue(type) ?? type;
  const problem = typeProblem(type, node, new Set(), 0);
  return problem && `its value is ${problem}`;
}

/** `'json'`, or what the value is, for calls whose result is known without types. */
export function knownResultOf(node: Node): string | undefined {
  if (Node.isNewExpression(node)) {
    const name = node.getExpression().getText();
    return NOT_JSON_CLASSES.has(name) ? `a \`${name}\`` : undefined;
  }
  return Node.isCallExpression(node) ? KNOWN_RESULTS[node.getExpression().getText()] : undefined;
}

function promisedValue(type: Type): Type | undefined {
  const name = type.getSymbol()?.getName();
  return name === 'Promise' || name === 'PromiseLike' ? type.getTypeArguments()[0] : undefined;
}

function typeProblem(type: Type, at: Node, seen: Set<Type>, depth: number): string | undefined {
  if (seen.has(type)) return undefined;
  if (depth > 6) return `\`${shortText(type)}\`, nested too deep to check`;
  const flags = type.getFlags();
  if (type.isAny() || type.isUnknown()) return 'of a type the analysis cannot see (`any`)';
  if (flags & (ts.TypeFlags.BigIntLike | ts.TypeFlags.ESSymbolLike)) return `a \`${shortText(type)}\``;
  const primitive =
    ts.TypeFlags.StringLike |
    ts.TypeFlags.NumberLike |
    ts.TypeFlags.BooleanLike |
    ts.TypeFlags.Null |
    ts.TypeFlags.Undefined |
    ts.TypeFlags.Void |
    ts.TypeFlags.Never;
  if (flags & primitive) return undefined;
  if (type.isTypeParameter()) {
    const constraint = type.getConstraint();
    return constraint ? typeProblem(constraint, at, seen, depth + 1) : 'of a type the analysis cannot see';
  }
  seen.add(type);
  if (type.isUnion()) return first(type.getUnionTypes(), (t) => typeProblem(t, at, seen, depth + 1));
  if (type.isIntersection()) {
    // A branded primitive (`string & { __brand }`) is still a primitive.
    const members = type.getIntersectionTypes();
    if (members.some((t) => t.getFlags() & primitive)) return undefined;
    return first(members, (t) => typeProblem(t, at, seen, depth + 1));
  }
  if (type.isArray() || type.isReadonlyArray()) {
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
    return element ? typeProblem(element, at, seen, depth + 1) : undefined;
  }
  if (type.isTuple()) return first(type.getTupleElements(), (t) => typeProblem(t, at, seen, depth + 1));
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return 'a function';
  const name = type.getSymbol()?.getName();
  if (name && NOT_JSON_CLASSES.has(name)) return `a \`${name}\``;
  if (
    type
      .getSymbol()
      ?.getDeclarations()
      .some((d) => Node.isClassDeclaration(d) || Node.isClassExpression(d))
  )
    return `an instance of the class \`${name}\``;
  const index = type.getStringIndexType() ?? type.getNumberIndexType();
  const indexed = index && typeProblem(index, at, seen, depth + 1);
  if (indexed) return indexed;
  return first(type.getProperties(), (property) => {
    const declarations = property.getDeclarations();
    if (declarations.some((d) => Node.isMethodDeclaration(d) || Node.isMethodSignature(d)))
      return `an object with a method (\`${property.getName()}\`)`;
    const problem = typeProblem(property.getTypeAtLocation(at), at, seen, depth + 1);
    return problem && `an object whose \`${property.getName()}\` is ${problem}`;
  });
}

function first<T>(items: readonly T[], problem: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const found = problem(item);
    if (found) return found;
  }
  return undefined;
}

function shortText(type: Type): string {
  const text = type.getText(undefined, ts.TypeFormatFlags.None);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
