/**
 * guard-first: an ask awaited directly in a tools/call, prompts/get or resources/read handler
 * becomes a guard at the same spot. The handler reads this round's answer with `inputResponse`;
 * when there is none it returns `inputRequired(...)`, and the client retries with the answer.
 *
 *   const r = await server.server.elicitInput(params)
 *     ⇒ const r = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
 *       if (r.kind !== 'elicit' || …invalid content…) return inputRequired({ inputRequests: { confirm: inputRequired.elicit(params) } });
 *
 * Only a missing answer asks again: decline and cancel reach the original branches unchanged.
 * Shapes it cannot rewrite safely (helpers, loops, try blocks, dependent sequences) keep their
 * code and get a marker naming the rule.
 */
import { Node, SyntaxKind, type SourceFile, type Statement } from 'ts-morph';
import { findAskSites, skipParens, type AskSite, type BlockedAsk, type RewritableAsk } from '../src/analysis/ask-sites.js';
import type { HandlerRegistration } from '../src/analysis/handlers.js';
import { describeKind, INPUT_POINT_TEXT, propertyInitializer } from '../src/analysis/input-points.js';
import { isPureStatement } from '../src/analysis/purity.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { indentUnit, quote, type CodeStyle } from '../src/engine/code-style.js';
import { applyEdits, composeOffsets, identityOffsets, type OffsetMap, type TextEdit } from '../src/engine/text-edits.js';
import { generatedRegion } from './lib/generated.js';
import { isTypeScriptFile, planImports, planPrunes } from './lib/imports.js';
import { isGenericName, KeyAllocator, NameAllocator, toIdentifier } from './lib/naming.js';
import type { HandlerOutcome, Risk, Transform, TransformContext, TransformResult } from './types.js';

const SERVER_MODULE = '@modelcontextprotocol/server';
const RESULT_TYPES = new Set(['CallToolResult', 'GetPromptResult', 'ReadResourceResult', 'CompatibilityCallToolResult']);

export const guardFirst: Transform = {
  id: 'guard-first',
  title: 'Guard-first handlers',
  description: 'Rewrites asks awaited directly in a handler into guards that return inputRequired(...) when the answer is missing.',
  runsAfter: ['v1-to-v2'],
  appliesTo: (text) => INPUT_POINT_TEXT.test(text),
  apply,
};

interface HandlerPlan {
  readonly edits: TextEdit[];
  readonly diagnostics: PendingDiagnostic[];
  readonly outcome: Omit<HandlerOutcome, 'offset'>;
  readonly needs: Set<string>;
  readonly typeNeeds: Set<string>;
  readonly consumed: string[];
}

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const { sites } = findAskSites(sourceFile);
  if (sites.length === 0) return { changed: false, diagnostics: [], handlers: [], mapOffset: identityOffsets };

  const diagnostics: PendingDiagnostic[] = [];
  const byHandler = new Map<HandlerRegistration, AskSite[]>();
  for (const site of sites) {
    if (site.status === 'blocked' && !site.handler) diagnostics.push(blockedDiagnostic(site));
    else if (site.handler) byHandler.set(site.handler, [...(byHandler.get(site.handler) ?? []), site]);
  }

  const names = new NameAllocator(sourceFile);
  const edits: TextEdit[] = [];
  const outcomes: { outcome: Omit<HandlerOutcome, 'offset'>; at: number }[] = [];
  const needs = new Set<string>();
  const typeNeeds = new Set<string>();
  const consumed: string[] = [];
  for (const [handler, handlerSites] of byHandler) {
    const plan = planHandler(handler, handlerSites, names, context);
    edits.push(...plan.edits);
    diagnostics.push(...plan.diagnostics);
    plan.needs.forEach((n) => needs.add(n));
    plan.typeNeeds.forEach((n) => typeNeeds.add(n));
    consumed.push(...plan.consumed);
    outcomes.push({ outcome: plan.outcome, at: handler.registration.getStart() });
  }

  let mapOffset: OffsetMap = identityOffsets;
  if (edits.length > 0) {
    const first = applyEdits(sourceFile.getFullText(), edits);
    sourceFile.replaceWithText(first.text);
    const importEdits = [
      ...planPrunes(sourceFile, consumed),
      ...planImports(sourceFile, SERVER_MODULE, { values: [...needs], types: [...typeNeeds] }, context.style),
    ];
    const second = applyEdits(sourceFile.getFullText(), importEdits);
    sourceFile.replaceWithText(second.text);
    mapOffset = composeOffsets(first.mapOffset, second.mapOffset);
  }
  return {
    changed: edits.length > 0,
    diagnostics: diagnostics.map((d) => ({
      ...d,
      offset: mapOffset(d.offset),
      endOffset: mapOffset(d.endOffset),
      anchorOffset: d.anchorOffset === undefined ? undefined : mapOffset(d.anchorOffset),
    })),
    handlers: outcomes.map(({ outcome, at }) => ({ ...outcome, offset: mapOffset(at) })),
    mapOffset,
  };
}

function blockedDiagnostic(site: BlockedAsk): PendingDiagnostic {
  const call = site.point.call;
  return pending(site.ruleId, site.data, { start: call.getStart(), end: call.getEnd(), anchor: site.anchor.getStart() }, site.handler && label(site.handler));
}

function label(handler: HandlerRegistration): string {
  return `${handler.family ?? 'handler'} ${handler.name}`;
}

function leftUnchanged(handler: HandlerRegistration, diagnostics: PendingDiagnostic[], reason: string): HandlerPlan {
  return {
    edits: [],
    diagnostics,
    outcome: { handler: label(handler), family: handler.family!, name: handler.name, strategy: 'left-unchanged', risk: 'manual', keys: [], reasons: [reason] },
    needs: new Set(),
    typeNeeds: new Set(),
    consumed: [],
  };
}

function planHandler(handler: HandlerRegistration, sites: AskSite[], names: NameAllocator, context: TransformContext): HandlerPlan {
  const blocked = sites.filter((s): s is BlockedAsk => s.status === 'blocked');
  if (blocked.length > 0) {
    return leftUnchanged(handler, blocked.map(blockedDiagnostic), 'an ask in this handler sits where a guard cannot replace it');
  }
  const asks = (sites as RewritableAsk[]).sort((a, b) => a.point.call.getStart() - b.point.call.getStart());
  const groups = groupIntoRounds(asks);
  if (!groups) {
    const dependents = asks.slice(1).map((ask) =>
      pending('mrtr/dependent-asks', { kind: describeKind(ask.point.kind) }, { start: ask.point.call.getStart(), end: ask.point.call.getEnd(), anchor: ask.statement.getStart() }, label(handler)),
    );
    return leftUnchanged(handler, dependents, 'later questions depend on earlier answers');
  }
  const ctx = contextParameter(handler, names);
  if ('how' in ctx) {
    const d = pending('mrtr/context-param-unavailable', { handler: handler.name, how: ctx.how }, rangeOf(handler.fn.getParameters()[handler.contextIndex] ?? handler.fn));
    return leftUnchanged(handler, [d], 'the handler context cannot be reached');
  }

  const plan: HandlerPlan = {
    edits: [...ctx.edits],
    diagnostics: [],
    outcome: { handler: label(handler), family: handler.family!, name: handler.name, strategy: groups.some((g) => g.length > 1) ? 'one-round' : 'guard-first', risk: 'safe', keys: [], reasons: [] },
    needs: new Set(['inputRequired', 'inputResponse']),
    typeNeeds: new Set(ctx.typed ? ['ServerContext'] : []),
    consumed: [],
  };
  const keys = new KeyAllocator();
  const allKeys: string[] = [];
  const reasons: string[] = [];
  for (const group of groups) {
    const built = buildRound(group, ctx.name, keys, names, context, plan);
    allKeys.push(...built.keys);
    if (built.impureBefore) reasons.push(`code before the \`${built.keys.join('`, `')}\` guard runs again on every round`);
  }
  const widened = widenReturnType(handler);
  if (widened) {
    plan.edits.push(widened);
    plan.typeNeeds.add('InputRequiredResult');
  }
  const risk: Risk = reasons.length > 0 ? 'review' : 'safe';
  return { ...plan, outcome: { ...plan.outcome, risk, keys: allKeys, reasons: reasons.length > 0 ? reasons : ['nothing runs before the guard but code that is safe to repeat'] } };
}

/**
 * Asks that can never both run (opposite branches, or an earlier branch that always returns)
 * each get their own guard. Otherwise every ask must be an independent sibling statement, and
 * then they share one round; anything else is a dependent sequence.
 */
function groupIntoRounds(asks: RewritableAsk[]): RewritableAsk[][] | undefined {
  const allExclusive = asks.every((a, i) => asks.slice(i + 1).every((b) => exclusive(a, b)));
  if (allExclusive) return asks.map((a) => [a]);
  return canShareRound(asks) ? [asks] : undefined;
}

function exclusive(first: RewritableAsk, second: RewritableAsk): boolean {
  const a = first.statement;
  const b = second.statement;
  for (let node: Node | undefined = a.getParent(); node && !node.containsRange(b.getPos(), b.getEnd()); node = node.getParent()) {
    if (Node.isBlock(node) || Node.isCaseClause(node) || Node.isDefaultClause(node)) {
      if (endsInExit(node.getStatements())) return true;
    }
    const parent = node.getParent();
    if (parent && Node.isIfStatement(parent)) {
      const other = parent.getThenStatement() === node ? parent.getElseStatement() : parent.getThenStatement();
      if (other?.containsRange(b.getPos(), b.getEnd())) return true;
    }
  }
  return false;
}

function endsInExit(statements: Statement[]): boolean {
  const last = statements.at(-1);
  if (!last) return false;
  if (Node.isReturnStatement(last) || Node.isThrowStatement(last)) return true;
  if (Node.isBlock(last)) return endsInExit(last.getStatements());
  return false;
}

function canShareRound(asks: RewritableAsk[]): boolean {
  const parent = asks[0].statement.getParent();
  if (!asks.every((a) => a.statement.getParent() === parent)) return false;
  if (!asks.slice(0, -1).every((a) => a.binding !== undefined || a.bare)) return false;
  if (!Node.isBlock(parent) && !Node.isCaseClause(parent) && !Node.isDefaultClause(parent)) return false;
  const statements = parent.getStatements();
  const from = statements.indexOf(asks[0].statement);
  const to = statements.indexOf(asks.at(-1)!.statement);
  const askStatements = new Set<Statement>(asks.map((a) => a.statement));
  const bound = new Set<string>();
  for (const statement of statements.slice(from, to + 1)) {
    if (referencesAny(statement, bound)) return false;
    if (!askStatements.has(statement) && !isPureStatement(statement)) return false;
    const ask = asks.find((a) => a.statement === statement);
    if (ask?.binding) boundNames(ask.binding.nameNode).forEach((n) => bound.add(n));
  }
  return true;
}

function boundNames(nameNode: Node): string[] {
  if (Node.isIdentifier(nameNode)) return [nameNode.getText()];
  return nameNode.getDescendantsOfKind(SyntaxKind.BindingElement).map((e) => e.getName());
}

function referencesAny(node: Node, names: Set<string>): boolean {
  if (names.size === 0) return false;
  return node.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => names.has(id.getText()) && !isPropertyName(id));
}

function isPropertyName(id: Node): boolean {
  const parent = id.getParent();
  return (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) || (Node.isPropertyAssignment(parent) && parent.getNameNode() === id);
}

interface ContextParameter {
  readonly name: string;
  readonly edits: TextEdit[];
  /** The parameter was added with a `ServerContext` annotation, which needs importing. */
  readonly typed?: boolean;
}

/** The handler's context parameter, added to the signature when the handler never took it. */
function contextParameter(handler: HandlerRegistration, names: NameAllocator): ContextParameter | { how: string } {
  const fn = handler.fn;
  const params = fn.getParameters();
  const index = handler.contextIndex;
  const existing = params[index];
  if (existing) {
    const nameNode = existing.getNameNode();
    return Node.isIdentifier(nameNode) ? { name: nameNode.getText(), edits: [] } : { how: 'a destructuring pattern' };
  }
  if (params.some((p) => p.isRestParameter())) return { how: 'a rest parameter' };
  const name = names.fresh('ctx');
  const fillers = FILLERS[handler.family!].slice(params.length, index).map((base) => names.fresh(base));
  // A function declared apart from its registration gets no contextual type: annotate it.
  const annotate = isTypeScriptFile(fn.getSourceFile()) && !Node.isCallExpression(fn.getParent());
  const added = [...fillers.map((f) => (annotate ? `${f}: unknown` : f)), annotate ? `${name}: ServerContext` : name];
  const last = params.at(-1);
  if (last) {
    const open = fn.getFirstChildByKind(SyntaxKind.OpenParenToken);
    if (!open) return { name, typed: annotate, edits: [{ start: last.getStart(), end: last.getEnd(), text: `(${[last.getText(), ...added].join(', ')})` }] };
    return { name, typed: annotate, edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, ${added.join(', ')}` }] };
  }
  const open = fn.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
  return { name, typed: annotate, edits: [{ start: open.getEnd(), end: open.getEnd(), text: added.join(', ') }] };
}

const FILLERS: Readonly<Record<string, readonly string[]>> = {
  tool: ['_args'],
  prompt: ['_args'],
  resource: ['_uri', '_variables'],
};

interface BuiltRound {
  readonly keys: string[];
  readonly impureBefore: boolean;
}

/** One round: the views, one guard returning every request of the group, then the bindings. */
function buildRound(group: RewritableAsk[], ctxName: string, keys: KeyAllocator, names: NameAllocator, context: TransformContext, plan: HandlerPlan): BuiltRound {
  const target = group.at(-1)!;
  const fileText = target.statement.getSourceFile().getFullText();
  const indent = /^[ \t]*/.exec(fileText.slice(fileText.lastIndexOf('\n', target.statement.getStart() - 1) + 1))?.[0] ?? '';
  const unit = indentUnit(context.style);
  const typed = isTypeScriptFile(target.statement.getSourceFile());
  const responses = `${ctxName}.mcpReq.inputResponses`;

  const hoisted: string[] = [];
  const views: string[] = [];
  const conditions: string[] = [];
  const requests: string[] = [];
  const bindings: string[] = [];
  const roundKeys: string[] = [];
  let valueForTarget: string | undefined;

  for (const ask of group) {
    const { point } = ask;
    const key = keys.fresh(keyFor(ask));
    roundKeys.push(key);
    const directName = directViewName(ask);
    const view = directName ?? names.fresh(`${toIdentifier(key)}Response`);
    const declaration = directName && ask.binding?.declarationKind === 'let' ? 'let' : 'const';
    views.push(`${declaration} ${view} = inputResponse(${responses}, ${quote(context.style, key)});`);
    plan.consumed.push(...point.consumedNames);
    if (point.options) {
      plan.diagnostics.push(pending('mrtr/request-options-dropped', { kind: describeKind(point.kind), options: summarize(point.options.getText()) }, rangeOf(ask.statement)));
    }

    const request = buildRequest(ask, key, names, typed, context.style, plan);
    hoisted.push(...request.hoisted);
    requests.push(`${propertyKey(key, context.style)}: ${request.builder}`);
    const kindTest = `${view}.kind !== ${quote(context.style, request.viewKind)}`;
    conditions.push(
      request.validate
        ? `${kindTest} || (${view}.action === ${quote(context.style, 'accept')} && !acceptedContent(${responses}, ${quote(context.style, key)}, fromJsonSchema(${request.validate})))`
        : kindTest,
    );
    if (request.validate) plan.needs.add('acceptedContent').add('fromJsonSchema');

    const value = valueExpression(ask, view, directName !== undefined, typed);
    if (typed && value.endsWith(' as CreateMessageResult')) plan.typeNeeds.add('CreateMessageResult');
    if (ask === target && !ask.binding && !ask.bare) valueForTarget = value;
    else if (ask.binding && !directName) {
      const type = ask.binding.typeText ? `: ${ask.binding.typeText}` : '';
      bindings.push(`${ask.binding.declarationKind} ${ask.binding.nameNode.getText()}${type} = ${value};`);
    }
  }

  const lines = [
    ...hoisted,
    ...views,
    `if (${conditions.join(' || ')}) {`,
    `${unit}return inputRequired({ inputRequests: { ${requests.join(', ')} } });`,
    '}',
    ...bindings,
  ];
  const region = generatedRegion(lines, indent);
  const statementStart = target.statement.getStart();
  const lineStart = fileText.lastIndexOf('\n', statementStart - 1) + 1;
  if (valueForTarget !== undefined) {
    plan.edits.push({ start: lineStart, end: lineStart, text: `${region}\n` });
    const replaced = /^[\w$.]+$/.test(valueForTarget) ? skipParensUp(target.awaited) : target.awaited;
    plan.edits.push({ start: replaced.getStart(), end: replaced.getEnd(), text: valueForTarget });
  } else {
    plan.edits.push({ start: lineStart, end: target.statement.getEnd(), text: region });
  }
  for (const ask of group.slice(0, -1)) plan.edits.push(removeStatement(ask.statement));

  return { keys: roundKeys, impureBefore: statementsBefore(group[0].statement, group[0].handler).some((s) => !isPureStatement(s)) };
}

interface BuiltRequest {
  readonly builder: string;
  readonly hoisted: string[];
  readonly viewKind: 'elicit' | 'sampling' | 'roots';
  /** Schema expression that accepted content is validated against, when there is one. */
  readonly validate: string | undefined;
}

function buildRequest(ask: RewritableAsk, key: string, names: NameAllocator, typed: boolean, style: CodeStyle, plan: HandlerPlan): BuiltRequest {
  const { point } = ask;
  const params = point.params;
  const range = rangeOf(ask.statement);
  switch (point.form) {
    case 'roots':
      return { builder: 'inputRequired.listRoots()', hoisted: [], viewKind: 'roots', validate: undefined };
    case 'sampling':
      return { builder: `inputRequired.createMessage(${params?.getText() ?? '{}'})`, hoisted: [], viewKind: 'sampling', validate: undefined };
    case 'elicit-url': {
      const object = params && Node.isObjectLiteralExpression(params) ? params : undefined;
      const kept = (object?.getProperties() ?? []).filter((p) => !/^(mode|elicitationId)$/.test(propertyName(p)));
      if (object?.getProperty('elicitationId')) plan.diagnostics.push(pending('mrtr/elicitation-id-dropped', {}, range));
      return { builder: `inputRequired.elicitUrl({ ${kept.map((p) => p.getText()).join(', ')} })`, hoisted: [], viewKind: 'elicit', validate: undefined };
    }
    case 'elicit-form': {
      if (!params) return { builder: 'inputRequired.elicit({})', hoisted: [], viewKind: 'elicit', validate: undefined };
      const schema = Node.isObjectLiteralExpression(params) ? propertyInitializer(params, 'requestedSchema') : undefined;
      if (!schema || !(Node.isObjectLiteralExpression(schema) || Node.isIdentifier(schema) || Node.isPropertyAccessExpression(schema))) {
        plan.diagnostics.push(pending('mrtr/validation-not-preserved', {}, range));
        return { builder: `inputRequired.elicit(${params.getText()})`, hoisted: [], viewKind: 'elicit', validate: undefined };
      }
      if (!Node.isObjectLiteralExpression(schema)) {
        return { builder: `inputRequired.elicit(${params.getText()})`, hoisted: [], viewKind: 'elicit', validate: schema.getText() };
      }
      // A literal schema is named once so the request and the validation share it.
      const schemaName = names.fresh(`${toIdentifier(key)}Schema`);
      if (typed) plan.typeNeeds.add('ElicitRequestFormParams');
      const annotation = typed ? `: ElicitRequestFormParams[${quote(style, 'requestedSchema')}]` : '';
      const paramsText = params.getText();
      const offset = schema.getStart() - params.getStart();
      const rewritten = paramsText.slice(0, offset) + schemaName + paramsText.slice(offset + schema.getWidth());
      return {
        builder: `inputRequired.elicit(${rewritten})`,
        hoisted: [`const ${schemaName}${annotation} = ${schema.getText()};`],
        viewKind: 'elicit',
        validate: schemaName,
      };
    }
  }
}

function propertyName(property: Node): string {
  if (Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)) return property.getName();
  return '';
}

/** Stable, readable keys: the single field asked for, else the result's name, else the kind. */
function keyFor(ask: RewritableAsk): string {
  const { point } = ask;
  if (point.form === 'elicit-form' && point.params && Node.isObjectLiteralExpression(point.params)) {
    const schema = propertyInitializer(point.params, 'requestedSchema');
    const properties = schema && Node.isObjectLiteralExpression(schema) ? propertyInitializer(schema, 'properties') : undefined;
    if (properties && Node.isObjectLiteralExpression(properties) && properties.getProperties().length === 1) {
      return propertyName(properties.getProperties()[0]).replace(/^['"]|['"]$/g, '');
    }
  }
  const nameNode = ask.binding?.nameNode;
  if (nameNode && Node.isIdentifier(nameNode) && !isGenericName(nameNode.getText())) return nameNode.getText();
  return point.kind === 'elicitation' ? 'elicitation' : point.kind;
}

/**
 * The user's own variable can hold the response view itself when the code only reads the
 * fields the view shares with the old result (`action`/`content`, or `roots`).
 */
function directViewName(ask: RewritableAsk): string | undefined {
  const nameNode = ask.binding?.nameNode;
  if (!nameNode || !Node.isIdentifier(nameNode) || ask.binding?.typeText) return undefined;
  const allowed = ask.point.kind === 'elicitation' ? ['action', 'content'] : ask.point.kind === 'roots' ? ['roots'] : undefined;
  if (!allowed) return undefined;
  const name = nameNode.getText();
  const uses = ask.handler.fn
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id.getText() === name && id !== nameNode && !isPropertyName(id));
  const onlyFields = uses.every((use) => {
    const parent = use.getParent();
    return Node.isPropertyAccessExpression(parent) && parent.getExpression() === use && allowed.includes(parent.getName());
  });
  return onlyFields ? nameNode.getText() : undefined;
}

function valueExpression(ask: RewritableAsk, view: string, direct: boolean, typed: boolean): string {
  if (ask.point.kind === 'sampling') {
    // Without `tools`, the SDK's createMessage overload returned a single-content CreateMessageResult.
    const params = ask.point.params;
    const withTools = !params || !Node.isObjectLiteralExpression(params) || params.getProperty('tools') !== undefined;
    return typed && !withTools ? `${view}.result as CreateMessageResult` : `${view}.result`;
  }
  if (direct) return view;
  if (ask.binding && !Node.isIdentifier(ask.binding.nameNode)) return view;
  if (!ask.binding) {
    const parent = skipParensUp(ask.awaited).getParent();
    const field = Node.isPropertyAccessExpression(parent) ? parent.getName() : undefined;
    const shared = ask.point.kind === 'elicitation' ? ['action', 'content'] : ['roots'];
    if (field && shared.includes(field)) return view;
  }
  return ask.point.kind === 'elicitation' ? `({ action: ${view}.action, content: ${view}.content })` : `({ roots: ${view}.roots })`;
}

function skipParensUp(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current.getParentOrThrow())) current = current.getParentOrThrow();
  return current;
}

/** Statements that run before `statement` on its path from the top of the handler. */
function statementsBefore(statement: Statement, handler: HandlerRegistration): Statement[] {
  const before: Statement[] = [];
  const body = handler.fn.getBody();
  for (let node: Node = statement; node !== body && node.getParent(); node = node.getParentOrThrow()) {
    const parent = node.getParentOrThrow();
    if (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) {
      const siblings = parent.getStatements();
      before.push(...siblings.slice(0, siblings.indexOf(node as Statement)));
    }
    if (Node.isIfStatement(parent) && !isPureCondition(parent.getExpression())) before.push(parent);
  }
  return before;
}

function isPureCondition(expression: Node): boolean {
  return skipParens(expression).getDescendantsOfKind(SyntaxKind.CallExpression).length === 0 && !Node.isCallExpression(skipParens(expression));
}

function removeStatement(statement: Statement): TextEdit {
  const text = statement.getSourceFile().getFullText();
  const start = text.lastIndexOf('\n', statement.getStart() - 1) + 1;
  const onlyOnLine = text.slice(start, statement.getStart()).trim() === '' && /^[ \t]*(\n|$)/.test(text.slice(statement.getEnd()));
  if (!onlyOnLine) return { start: statement.getStart(), end: statement.getEnd(), text: '' };
  const lineEnd = text.indexOf('\n', statement.getEnd());
  return { start, end: lineEnd === -1 ? text.length : lineEnd + 1, text: '' };
}

/** `Promise<CallToolResult>` ⇒ `Promise<CallToolResult | InputRequiredResult>`. */
function widenReturnType(handler: HandlerRegistration): TextEdit | undefined {
  const returnType = handler.fn.getReturnTypeNode();
  if (!returnType || /\bInputRequiredResult\b/.test(returnType.getText())) return undefined;
  const references = [returnType, ...returnType.getDescendants()].filter(
    (n) => Node.isTypeReference(n) && RESULT_TYPES.has(n.getTypeName().getText().split('.').at(-1) ?? ''),
  );
  const first = references[0];
  if (!first) return undefined;
  return { start: first.getEnd(), end: first.getEnd(), text: ' | InputRequiredResult' };
}

function propertyKey(key: string, style: CodeStyle): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(style, key);
}

function rangeOf(node: Node): { start: number; end: number; anchor: number } {
  return { start: node.getStart(), end: node.getEnd(), anchor: node.getStart() };
}

function summarize(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
