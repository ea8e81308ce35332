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

/** Hands out names that clash with nothing already written in the scope it was built from. */
export class NameAllocator {
  private readonly taken: Set<string>;

  constructor(scope: Node) {
    this.taken = identifiersIn(scope);
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
