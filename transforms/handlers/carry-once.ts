/**
 * Above a guard: run once, or say why not (option F). An effect, or a varying value used after the
 * guard, is wrapped where it is made, so it runs in the first round only and later rounds take its
 * result from the signed requestState:
 *
 *   await mailer.send(note)          ⇒ await onceEffect(ctx, 'send', () => mailer.send(note))
 *   const orderId = randomUUID()     ⇒ const orderId = await once(ctx, 'orderId', () => randomUUID())
 *
 * Only plain JSON can be carried, and nothing the handler itself keeps using may be skipped with
 * it (a local it assigns, an object of its own it hands over); whatever cannot be carried keeps
 * its before-guard flag, with the reason.
 */
import { Node, SyntaxKind } from '../../src/ts-morph.js';
import type { EffectAnalyzer, EffectFinding } from '../../src/analysis/effects.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { isFunctionLike, type FunctionLikeNode } from '../../src/analysis/functions.js';
import { knownResultOf, notPlainJson } from '../../src/analysis/json-type.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { quote, type CodeStyle } from '../../src/edit/code-style.js';
import { KeyAllocator, type NameAllocator } from '../../src/edit/naming.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import { BEFORE_GUARD_RULES, enclosingStatement, isLoop, type BeforeGuardFlag } from './before-guard.js';
import { rootIdentifier, skipsHandlerState } from './carry-safety.js';
import { handlerLabel } from './plan.js';
import { SECRET_NAME } from './secrets.js';

export interface CarriedRun {
  readonly finding: EffectFinding;
  /** The code that now runs once: what the edit wraps. */
  readonly target: Node;
  readonly key: string;
  /** The statement its marker goes above. */
  readonly statement: Node;
  readonly edit: TextEdit;
  /** The runtime function it calls. */
  readonly runtimeName: 'once' | 'onceEffect';
}

/** A flag that stays, and why its code could not be carried (none when carrying was not tried). */
export interface KeptFlag {
  readonly flag: BeforeGuardFlag;
  readonly notCarried?: string;
}

export interface Carrying {
  readonly carried: readonly CarriedRun[];
  readonly kept: readonly KeptFlag[];
}

interface CarrierInput {
  readonly fn: FunctionLikeNode;
  readonly analyzer: EffectAnalyzer;
  readonly ctxName: string;
  readonly names: NameAllocator;
  readonly style: CodeStyle;
  /** Code that is never carried: calls that ask, which must run in every round. */
  readonly ignored?: ReadonlySet<Node>;
  /** `once` counts passes: code in a loop carries one value per pass. */
  readonly perPass?: boolean;
}

const MAX_FINDINGS_PER_STATEMENT = 12;

/** Decides, once per statement on the paths above a handler's guards, what is carried. */
/** The carrier for a handler's statements above its guards, unless `--no-carry-effects` turned carrying off. */
export function carrierFor(
  fn: FunctionLikeNode,
  ctxName: string,
  names: NameAllocator,
  context: {
    readonly options: { readonly carryEffects?: boolean };
    readonly effects: EffectAnalyzer;
    readonly style: CodeStyle;
  },
  native: Pick<CarrierInput, 'ignored' | 'perPass'> = {},
): EffectCarrier | undefined {
  if (context.options.carryEffects === false) return undefined;
  return new EffectCarrier({ fn, analyzer: context.effects, ctxName, names, style: context.style, ...native });
}

export class EffectCarrier {
  private readonly decided = new Map<Node, Carrying>();
  private readonly keys = new KeyAllocator();

  constructor(private readonly input: CarrierInput) {}

  /** What becomes of `flag`'s statement: its findings one by one, until nothing is left but pure code. */
  carry(flag: BeforeGuardFlag, usedLater: (node: Node) => boolean): Carrying {
    const known = this.decided.get(flag.pathNode);
    if (known) return known;
    const carried: CarriedRun[] = [];
    let kept: KeptFlag[] = [];
    const ignored = new Set<Node>(this.input.ignored);
    let finding: EffectFinding | undefined = flag.finding;
    for (let i = 0; finding && i < MAX_FINDINGS_PER_STATEMENT; i++) {
      ignored.add(finding.node);
      if (finding.category === 'read') kept.push({ flag: this.flagFor(finding, flag) });
      else if (finding.category !== 'nondeterministic' || usedLater(flag.pathNode)) {
        const run = this.plan(finding, flag.pathStatement);
        if (typeof run === 'string') kept.push({ flag: this.flagFor(finding, flag), notCarried: run });
        else {
          // Code inside what now runs once runs once with it.
          const inside = (node: Node) => run.target.containsRange(node.getPos(), node.getEnd());
          for (let c = carried.length - 1; c >= 0; c--) if (inside(carried[c].target)) carried.splice(c, 1);
          kept = kept.filter((k) => !inside(k.flag.finding.node));
          carried.push(run);
          ignored.add(run.target);
        }
      }
      finding = this.input.analyzer.classify(flag.pathNode, this.input.fn, ignored);
    }
    const carrying = { carried, kept };
    this.decided.set(flag.pathNode, carrying);
    return carrying;
  }

  private flagFor(finding: EffectFinding, like: BeforeGuardFlag): BeforeGuardFlag {
    if (finding === like.finding) return like;
    return {
      ...like,
      ruleId: BEFORE_GUARD_RULES[finding.category]!,
      finding,
      statement: enclosingStatement(finding.node, like.pathStatement),
    };
  }

  /** The edit that makes `finding` run once, or why it cannot. */
  private plan(finding: EffectFinding, pathStatement: Node): CarriedRun | string {
    const target = runsOnceAt(finding.node, this.input.fn, this.input.perPass === true);
    if (typeof target === 'string') return target;
    const why = skipsHandlerState(target, this.input.fn) ?? unsupported(target, this.input.fn);
    if (why) return why;
    const parent = target.getParent()!;
    const awaited = Node.isAwaitExpression(parent) ? parent : undefined;
    const outer = awaited ?? target;
    const key = keyFor(target);
    if (SECRET_NAME.test(key)) return 'it looks like a secret, and the client can read requestState';
    const statementLevel = Node.isExpressionStatement(outer.getParent());
    let replaced = outer;
    let build: (key: string) => string;
    let runtimeName: CarriedRun['runtimeName'] = 'once';
    if (statementLevel) {
      // Nothing reads the result, so only the fact that it ran travels; an unawaited call stays unawaited.
      runtimeName = 'onceEffect';
      const fnText = awaited ? arrowFor(target) : `${asyncPrefix(target)}() => { ${target.getText()}; }`;
      build = (k) => `await ${this.call('onceEffect', k, fnText)}`;
    } else if (awaited) {
      const problem = notPlainJson(awaited, false);
      if (problem) return problem;
      build = (k) => `await ${this.call('once', k, arrowFor(target))}`;
    } else if (isPromise(target)) {
      // Handed on unawaited (to `Promise.all`, say): it stays a promise, of the carried value.
      const problem = notPlainJson(target, true);
      if (problem) return problem;
      replaced = target;
      build = (k) => this.call('once', k, arrowFor(target));
    } else {
      const problem = notPlainJson(target, false);
      if (problem) return problem;
      build = (k) => {
        const call = `await ${this.call('once', k, arrowFor(target))}`;
        return needsParentheses(target) ? `(${call})` : call;
      };
    }
    const carriedKey = this.keys.fresh(key);
    return {
      finding,
      target,
      key: carriedKey,
      statement: enclosingStatement(target, pathStatement),
      edit: { start: replaced.getStart(), end: replaced.getEnd(), text: build(carriedKey) },
      runtimeName,
    };
  }

  private call(name: CarriedRun['runtimeName'], key: string, fnText: string): string {
    return `${this.input.names.imported(name)}(${this.input.ctxName}, ${this.quoted(key)}, ${fnText})`;
  }

  private quoted(key: string): string {
    return quote(this.input.style, key);
  }
}

/**
 * Where the finding runs once per round: the finding itself, or the call a callback holding it is
 * handed to. A finding in a loop runs once per pass, so no one carried value stands for it.
 */
function runsOnceAt(node: Node, fn: FunctionLikeNode, perPass: boolean): Node | string {
  const body = fn.getBody()!;
  let target = node;
  for (let current = node.getParent(); current && current !== body; current = current.getParent()) {
    if (isFunctionLike(current)) {
      const call = current.getParent();
      if (!call || !Node.isCallExpression(call)) return 'it runs inside a function the handler defines';
      target = call;
    } else if (isLoop(current) && !perPass && !isLoopSource(current, target)) {
      return 'it runs in a loop, once per pass, and one carried value cannot stand for every pass';
    }
  }
  return target;
}

/** The list a `for…of`/`for…in` walks, or a `for`'s initializer: evaluated once. */
function isLoopSource(loop: Node, target: Node): boolean {
  const source =
    Node.isForOfStatement(loop) || Node.isForInStatement(loop)
      ? loop.getExpression()
      : Node.isForStatement(loop)
        ? loop.getInitializer()
        : undefined;
  return source !== undefined && source.containsRange(target.getPos(), target.getEnd());
}

function unsupported(target: Node, fn: FunctionLikeNode): string | undefined {
  if (!fn.isAsync()) return 'the handler is not async, so it cannot wait for the carried value';
  if (target.getFirstDescendantByKind(SyntaxKind.YieldExpression)) return 'it yields';
  return undefined;
}

/** The function `once` runs: the code as written, async when it awaits. */
function arrowFor(target: Node): string {
  const text = target.getText();
  const body = Node.isObjectLiteralExpression(target) ? `(${text})` : text;
  return `${asyncPrefix(target)}() => ${body}`;
}

function asyncPrefix(target: Node): string {
  const awaitsHere = target.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((a) => !insideFunction(a, target));
  return awaitsHere ? 'async ' : '';
}

function insideFunction(node: Node, within: Node): boolean {
  for (let current = node.getParent(); current && current !== within; current = current.getParent())
    if (isFunctionLike(current)) return true;
  return false;
}

/** `orderId` for `const orderId = …`, `sendMail` for `mailer.sendMail(…)`. */
function keyFor(target: Node): string {
  for (let node: Node | undefined = target; node; node = node.getParent()) {
    if (Node.isVariableDeclaration(node)) {
      const name = node.getNameNode();
      if (Node.isIdentifier(name)) return name.getText();
      break;
    }
    if (Node.isStatement(node) || isFunctionLike(node)) break;
  }
  const callee = Node.isCallExpression(target) || Node.isNewExpression(target) ? target.getExpression() : target;
  const name = Node.isPropertyAccessExpression(callee)
    ? callee.getName()
    : Node.isIdentifier(callee)
      ? callee.getText()
      : '';
  if (name) return name;
  const assigned = Node.isBinaryExpression(target)
    ? target.getLeft()
    : Node.isPrefixUnaryExpression(target) || Node.isPostfixUnaryExpression(target)
      ? target.getOperand()
      : undefined;
  const root = assigned && rootIdentifier(assigned);
  return root?.getText() ?? 'value';
}

function isPromise(target: Node): boolean {
  if (knownResultOf(target) !== undefined) return false;
  const name = target.getType().getSymbol()?.getName();
  return name === 'Promise' || name === 'PromiseLike';
}

/** `(await once(…)).slice(0, 8)`: bare where an expression stands on its own, parenthesized elsewhere. */
function needsParentheses(target: Node): boolean {
  const parent = target.getParent();
  if (!parent) return true;
  if (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent) || Node.isParenthesizedExpression(parent))
    return false;
  if (Node.isCallExpression(parent) || Node.isNewExpression(parent))
    return !(parent.getArguments() as Node[]).includes(target);
  return !(Node.isArrayLiteralExpression(parent) || Node.isTemplateSpan(parent) || Node.isReturnStatement(parent));
}

/** The marker above code that `once` now runs in the first round only. */
export function carriedDiagnostic(run: CarriedRun, key: string, handler: HandlerRegistration): PendingDiagnostic {
  return pending(
    'mrtr/carried-once',
    {
      what: run.finding.what,
      key,
      later:
        run.runtimeName === 'once'
          ? `take its result from the signed requestState (\`${run.key}\`)`
          : `skip it: the signed requestState records that it ran (\`${run.key}\`)`,
    },
    { start: run.target.getStart(), end: run.target.getEnd(), anchor: run.statement.getStart() },
    handlerLabel(handler),
  );
}
