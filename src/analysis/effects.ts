/**
 * Side-effect analysis: what a statement does when it runs again on every round. Calls into the
 * project are followed (bounded depth, cached); well-known clients are judged by the catalogue;
 * anything unseen is `unknown`, never silently pure.
 */
import { Node, SyntaxKind, type CallExpression, type Expression, type NewExpression } from '../ts-morph.js';
import {
  classifySql,
  EFFECT_METHODS,
  HTTP_CLIENTS,
  HTTP_READ_VERBS,
  HTTP_WRITE_VERBS,
  KNOWN_CALLEES,
  KNOWN_CONSTRUCTORS,
  MUTATING_METHODS,
  PURE_METHODS,
  PURE_NAMESPACES,
  READ_METHODS,
  SEVERITY,
  type EffectCategory,
} from './effect-catalogue.js';
import type { EffectConfig } from './effect-config.js';
import { askedOutsideRequests, classifyCall } from './input-points.js';
import { isFunctionLike, type FunctionLikeNode } from './functions.js';
import { isOwnedBy } from './ownership.js';
import { declarationOf, importOf, isDeclaredOutside, resolveCallee } from './resolve.js';

export interface EffectFinding {
  readonly category: EffectCategory;
  /** The expression responsible, in the code being analysed (not inside a followed callee). */
  readonly node: Node;
  /** What it is, for messages: `db.insert(...)`, `counter++`, `Date.now()`. */
  readonly what: string;
  /** Why, in a few words: `writes through insert`, `assigns module variable counter`. */
  readonly why: string;
}

const MAX_DEPTH = 3;

interface Summary {
  readonly category: EffectCategory;
  readonly why: string;
  /** Project functions between the summarised one and the innermost cause. */
  readonly via: readonly string[];
}
const PURE_MARKER = '@mrtr-migrate-pure';

export class EffectAnalyzer {
  private readonly summaries = new Map<Node, Summary>();
  private readonly inProgress = new Set<Node>();

  constructor(private readonly config: EffectConfig) {}

  /**
   * The worst thing `node` does when run inside `scope` (calls into project code followed);
   * `ignored` subtrees are left out (code already taken care of, such as a call carried by `once`).
   */
  classify(node: Node, scope: FunctionLikeNode, ignored?: ReadonlySet<Node>): EffectFinding | undefined {
    if (hasPureMarker(node)) return undefined;
    return this.walk(node, scope, 0, ignored);
  }

  private walk(node: Node, scope: Node, depth: number, ignored?: ReadonlySet<Node>): EffectFinding | undefined {
    let found: EffectFinding | undefined;
    const consider = (finding: EffectFinding | undefined) => {
      if (finding && finding.category !== 'pure' && (!found || SEVERITY[finding.category] > SEVERITY[found.category]))
        found = finding;
    };
    const visit = (current: Node): void => {
      if (ignored?.has(current)) return;
      // What a migrated helper asks where no request is served runs only there, never in a round.
      if (isOutsideAsk(current)) return;
      if (isFunctionLike(current) || Node.isClassDeclaration(current) || Node.isClassExpression(current)) {
        // A function written here runs only if it is called: as a callback argument or immediately.
        const parent = current.getParent();
        const called =
          parent &&
          Node.isCallExpression(parent) &&
          (parent.getArguments().includes(current) || parent.getExpression() === current);
        if (called && isFunctionLike(current)) {
          const body = current.getBody();
          if (body) consider(this.walk(body, scope, depth, ignored));
        }
        return;
      }
      if (Node.isCallExpression(current)) consider(this.call(current, scope, depth));
      else if (Node.isNewExpression(current)) consider(this.construct(current));
      else if (Node.isTaggedTemplateExpression(current) && /(^|\.)sql$/i.test(current.getTag().getText())) {
        const category = classifySql(current.getTemplate().getText().slice(1));
        consider({
          category,
          node: current,
          what: short(current),
          why: category === 'effect' ? 'runs a writing SQL statement' : 'runs a SQL query',
        });
      } else if (Node.isBinaryExpression(current) && isAssignment(current.getOperatorToken().getKind())) {
        consider(this.mutation(current.getLeft(), scope, current));
      } else if (
        (Node.isPrefixUnaryExpression(current) || Node.isPostfixUnaryExpression(current)) &&
        isIncrement(current.getOperatorToken())
      ) {
        consider(this.mutation(current.getOperand(), scope, current));
      } else if (Node.isDeleteExpression(current)) {
        consider(this.mutation(current.getExpression(), scope, current));
      }
      current.forEachChild(visit);
    };
    visit(node);
    return found;
  }

  private call(call: CallExpression, scope: Node, depth: number): EffectFinding | undefined {
    const callee = call.getExpression();
    const text = callee.getText();
    const what = `${text}(...)`;
    const finding = (category: EffectCategory, why: string): EffectFinding => ({ category, node: call, what, why });

    const configured = this.config.categoryOf(text, importSpecifierOf(callee));
    if (configured) return finding(configured, `marked ${configured} in the mrtr-migrate config`);
    const known = KNOWN_CALLEES[text];
    if (known === 'read' && text === 'fetch') return this.fetch(call);
    if (known) return finding(known, known === 'nondeterministic' ? 'gives a different value every round' : 'built in');
    if (Node.isPropertyAccessExpression(callee) && callee.getExpression().getText() === 'inputRequired')
      return undefined;
    // An earlier ask on the path becomes a guard of its own: it is not an effect of this one. So is
    // an ask already migrated, through the runtime module (whose round bookkeeping is no effect).
    if (classifyCall(call)) return undefined;
    if (RUNTIME_MODULES.test(importSpecifierOf(callee) ?? '')) return undefined;

    const method = Node.isPropertyAccessExpression(callee)
      ? callee.getName()
      : Node.isIdentifier(callee)
        ? callee.getText()
        : undefined;
    const root = rootIdentifier(callee);

    // Project code: what its body does decides, a descriptive verb can only make it worse.
    const target = resolveCallee(callee);
    if (target && depth < MAX_DEPTH) {
      const summary = this.summarize(target, depth + 1);
      const named =
        method && EFFECT_METHODS.has(method) && SEVERITY[summary.category] >= SEVERITY.unknown
          ? 'effect'
          : summary.category;
      if (named === 'pure') return undefined;
      const why = named === summary.category ? summary.why : `writes through ${method}`;
      return finding(named, `${why} (through ${[functionLabel(target), ...summary.via].join(' → ')})`);
    }
    if (target) return finding('unknown', 'calls deeper than the analysis follows');

    if (Node.isPropertyAccessExpression(callee) && method) {
      const receiver = callee.getExpression();
      if (root && PURE_NAMESPACES.test(root.getText())) return undefined;
      if (root && HTTP_CLIENTS.test(root.getText())) {
        if (HTTP_WRITE_VERBS.has(method)) return finding('effect', `sends an HTTP ${method.toUpperCase()}`);
        if (HTTP_READ_VERBS.has(method)) return finding('read', `sends an HTTP ${method.toUpperCase()}`);
      }
      if ((method === 'query' || method === 'execute' || method === 'raw') && call.getArguments()[0]) {
        const sql = literalText(call.getArguments()[0] as Expression);
        if (sql !== undefined) {
          const category = classifySql(sql);
          return finding(category, category === 'effect' ? 'runs a writing SQL statement' : 'runs a SQL query');
        }
      }
      if (MUTATING_METHODS.has(method) && isCollection(receiver)) {
        return root && !isOwnedBy(root, scope) ? finding('outer-mutation', changes(root, scope)) : undefined;
      }
      if (EFFECT_METHODS.has(method)) return finding('effect', `writes through ${method}`);
      if (READ_METHODS.has(method)) return finding('read', `reads through ${method}`);
      if (PURE_METHODS.has(method) || method === 'forEach') return undefined;
      if (MUTATING_METHODS.has(method)) {
        return root && !isOwnedBy(root, scope) ? finding('outer-mutation', changes(root, scope)) : undefined;
      }
    } else if (method) {
      if (EFFECT_METHODS.has(method)) return finding('effect', `writes through ${method}`);
      if (READ_METHODS.has(method)) return finding('read', `reads through ${method}`);
    }
    return finding('unknown', 'calls code the analysis cannot see');
  }

  private fetch(call: CallExpression): EffectFinding {
    const init = call.getArguments()[1];
    const what = 'fetch(...)';
    if (!init) return { category: 'read', node: call, what, why: 'sends an HTTP GET' };
    if (!Node.isObjectLiteralExpression(init))
      return { category: 'unknown', node: call, what, why: 'sends an HTTP request whose method is not written out' };
    const method = init.getProperty('method');
    const value =
      method && Node.isPropertyAssignment(method)
        ? literalText(method.getInitializerOrThrow())
        : method
          ? undefined
          : 'GET';
    if (value === undefined)
      return { category: 'unknown', node: call, what, why: 'sends an HTTP request whose method is not written out' };
    const verb = value.toUpperCase();
    return verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS'
      ? { category: 'read', node: call, what, why: `sends an HTTP ${verb}` }
      : { category: 'effect', node: call, what, why: `sends an HTTP ${verb}` };
  }

  private construct(expression: NewExpression): EffectFinding | undefined {
    const name = expression.getExpression().getText();
    const known = KNOWN_CONSTRUCTORS[name];
    if (known === 'pure') return undefined;
    if (known === 'nondeterministic' && expression.getArguments().length > 0) return undefined;
    const category = known ?? 'unknown';
    return {
      category,
      node: expression,
      what: `new ${name}(...)`,
      why:
        category === 'nondeterministic'
          ? 'gives a different value every round'
          : 'constructs something the analysis cannot see',
    };
  }

  private mutation(target: Node, scope: Node, node: Node): EffectFinding | undefined {
    const root = rootIdentifier(target);
    if (target.getKind() === SyntaxKind.ThisKeyword || rootIsThis(target))
      return { category: 'outer-mutation', node, what: short(node), why: 'changes `this`, which outlives the round' };
    if (!root || isOwnedBy(root, scope)) return undefined;
    return { category: 'outer-mutation', node, what: short(node), why: changes(root, scope) };
  }

  /** A project function's worst category, computed once. */
  private summarize(fn: FunctionLikeNode, depth: number): Summary {
    const cached = this.summaries.get(fn);
    if (cached) return cached;
    if (this.inProgress.has(fn) || hasPureMarker(fn)) return { category: 'pure', why: '', via: [] };
    this.inProgress.add(fn);
    const body = fn.getBody();
    // Resolved functions have bodies; one without (`declare`, abstract) says nothing of what runs.
    const finding = body
      ? this.walk(body, fn, depth)
      : { category: 'unknown' as const, node: fn, what: functionLabel(fn), why: 'has no body the analysis can see' };
    this.inProgress.delete(fn);
    // The innermost reason, and the project functions it was reached through.
    const nested = finding?.why.match(/^(.*) \(through (.*)\)$/);
    const summary: Summary = finding
      ? { category: finding.category, why: nested?.[1] ?? finding.why, via: nested ? nested[2].split(' → ') : [] }
      : { category: 'pure', why: '', via: [] };
    this.summaries.set(fn, summary);
    return summary;
  }
}

/** The last argument of a runtime ask that is the ask as written: `() => server.server.listRoots()`. */
function isOutsideAsk(node: Node): boolean {
  const parent = node.getParent();
  return (
    (Node.isArrowFunction(node) || Node.isCallExpression(node)) &&
    parent !== undefined &&
    Node.isCallExpression(parent) &&
    parent.getArguments().at(-1) === node &&
    Node.isIdentifier(parent.getExpression()) &&
    askedOutsideRequests(node)
  );
}

/** The modules mrtr-migrate writes into projects (`./mrtr-request-state.js`, `../mrtr-steps`). */
const RUNTIME_MODULES = /(^|\/)mrtr-(request-state|steps)(\.[cm]?[jt]s)?$/;

function hasPureMarker(node: Node): boolean {
  const statement = Node.isStatement(node) || isFunctionLike(node) ? node : undefined;
  if (!statement) return false;
  const holder = Node.isVariableDeclaration(node.getParent())
    ? node.getParentOrThrow().getParentOrThrow().getParentOrThrow()
    : statement;
  return holder.getLeadingCommentRanges().some((c) => c.getText().includes(PURE_MARKER));
}

function rootIdentifier(node: Node): Node | undefined {
  let current: Node = node;
  for (;;) {
    if (Node.isIdentifier(current)) return current;
    if (
      Node.isPropertyAccessExpression(current) ||
      Node.isElementAccessExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isParenthesizedExpression(current)
    ) {
      current = current.getExpression();
    } else if (Node.isCallExpression(current)) {
      current = current.getExpression();
    } else {
      return undefined;
    }
  }
}

function rootIsThis(node: Node): boolean {
  let current: Node = node;
  while (Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current))
    current = current.getExpression();
  return current.getKind() === SyntaxKind.ThisKeyword;
}

/** Why changing what `root` names matters: it is outer, or it came from somewhere that may share it. */
function changes(root: Node, scope: Node): string {
  return Node.isIdentifier(root) && !isDeclaredOutside(root, scope)
    ? `changes \`${root.getText()}\`, which this function did not create and may be shared beyond the round`
    : `changes \`${root.getText()}\`, which outlives the round`;
}

/** Arrays, maps and sets, by how the receiver was declared. */
function isCollection(receiver: Node): boolean {
  const root = rootIdentifier(receiver);
  if (!root || !Node.isIdentifier(root) || root !== receiver) return false;
  const declaration = declarationOf(root);
  if (!declaration || !Node.isVariableDeclaration(declaration)) return false;
  const type = declaration.getTypeNode()?.getText() ?? '';
  if (/^(Readonly)?(Map|Set|WeakMap|WeakSet|Array|ReadonlyArray)<|\[\]$/.test(type)) return true;
  const init = declaration.getInitializer();
  return Boolean(
    init &&
    (Node.isArrayLiteralExpression(init) ||
      (Node.isNewExpression(init) && /^(Map|Set|WeakMap|WeakSet|Array)$/.test(init.getExpression().getText()))),
  );
}

function importSpecifierOf(callee: Node): string | undefined {
  const root = rootIdentifier(callee);
  return root && Node.isIdentifier(root) ? importOf(root)?.specifier : undefined;
}

function literalText(expression: Expression): string | undefined {
  if (Node.isStringLiteral(expression) || Node.isNoSubstitutionTemplateLiteral(expression))
    return expression.getLiteralValue();
  if (Node.isTemplateExpression(expression)) return expression.getHead().getLiteralText();
  return undefined;
}

function functionLabel(fn: FunctionLikeNode): string {
  if ((Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) && fn.getName()) return `${fn.getName()}()`;
  const parent = fn.getParent();
  if (parent && (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent)))
    return `${parent.getName()}()`;
  return 'a function';
}

function short(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

export function isAssignment(kind: SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

export function isIncrement(kind: SyntaxKind): boolean {
  return kind === SyntaxKind.PlusPlusToken || kind === SyntaxKind.MinusMinusToken;
}
