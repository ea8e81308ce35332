/** Names for generated variables and input request keys: readable, and unique where they must be. */
import { ts, type Node } from '../ts-morph.js';

const GENERIC_NAMES = new Set([
  'result',
  'res',
  'r',
  'response',
  'resp',
  'answer',
  'reply',
  'ret',
  'out',
  'output',
  'data',
  'value',
  'val',
  'x',
  'elicitation',
  'elicitResult',
  'elicitationResult',
  'elicitResponse',
  'userResponse',
  'userInput',
  'input',
  'message',
  'msg',
  'samplingResult',
  'sampling',
  'llmResult',
  'llmResponse',
  'modelResponse',
  'completion',
  'rootsResult',
  'rootsResponse',
  'roots',
  'listRootsResult',
]);

export function isGenericName(name: string): boolean {
  return GENERIC_NAMES.has(name);
}

export function toIdentifier(text: string): string {
  const words = text.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const joined = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[A-Za-z_$]/.test(joined) ? joined : `_${joined}`;
}

/** Every identifier written under `scope`. */
function identifiersIn(scope: Node): Set<string> {
  // Walks the compiler's nodes directly: wrapping every identifier in ts-morph costs more than the rest of
  // the transform.
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(scope.compilerNode);
  return found;
}

/** Modules whose bindings generated code imports: a binding of the same name from them is ours. */
const OWN_MODULES = /^@modelcontextprotocol\/server$|(^|\/)mrtr-(request-state|steps)(\.[cm]?[jt]s)?$/;

/** Names the file declares for something of its own (an import from one of our modules is not). */
function declaredIn(scope: Node): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const from = ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : '';
      const clause = node.importClause;
      if (clause?.name) found.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) found.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          if (!OWN_MODULES.test(from) || imported !== element.name.text) found.add(element.name.text);
        }
      }
      return;
    }
    const named =
      ts.isVariableDeclaration(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isParameter(node) ||
      ts.isBindingElement(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node);
    if (named && node.name && ts.isIdentifier(node.name)) found.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(scope.compilerNode);
  return found;
}

/** Hands out names that clash with nothing already written in the scope it was built from. */
export class NameAllocator {
  private readonly taken: Set<string>;
  private readonly scope: Node;
  private declared: Set<string> | undefined;
  private readonly locals = new Map<string, string>();

  constructor(scope: Node) {
    this.scope = scope;
    this.taken = identifiersIn(scope);
  }

  /**
   * The local name generated code uses for a binding it imports: the name itself, unless the file
   * declares that name for something of its own (`const clientCapabilities = …`, its own
   * `ServerContext` class), in which case the import is aliased.
   */
  imported(name: string): string {
    let local = this.locals.get(name);
    if (local === undefined) {
      this.declared ??= declaredIn(this.scope);
      local = this.declared.has(name) ? this.fresh(name) : name;
      this.taken.add(local);
      this.locals.set(name, local);
    }
    return local;
  }

  /** The local name `imported` gave `name`, or `name` when generated code never asked. */
  localOf(name: string): string {
    return this.locals.get(name) ?? name;
  }

  /**
   * A name for a new parameter of `fn`: the base itself unless `fn` already mentions it, since a
   * parameter shadows only inside its own function. Claimed, so no other generated name takes it.
   */
  parameter(base: string, fn: Node): string {
    if (identifiersIn(fn).has(base)) return this.fresh(base);
    this.taken.add(base);
    return base;
  }

  isTaken(name: string): boolean {
    return this.taken.has(name);
  }

  /** Claims a name the caller already owns (the user's own binding reused as-is). */
  claim(name: string): void {
    this.taken.add(name);
  }

  fresh(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}

/** Input request keys are unique per handler; the client echoes them back on retry. */
export class KeyAllocator {
  private readonly used = new Set<string>();

  fresh(base: string): string {
    let key = base;
    for (let n = 2; this.used.has(key); n++) key = `${base}${n}`;
    this.used.add(key);
    return key;
  }
}
