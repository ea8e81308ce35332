/**
 * One round of input: the response views, one guard that returns every request of the round
 * when an answer is missing, then the user's own bindings, reading the fields they always read.
 */
import { Node, ts, type Statement } from '../../src/ts-morph.js';
import type { RewritableAsk } from '../../src/analysis/ask-sites.js';
import { propertyInitializer, urlParams, withoutTypeWrappers } from '../../src/analysis/input-points.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { indentUnit, quote, type CodeStyle } from '../../src/edit/code-style.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';
import { generatedRegion } from '../../src/edit/generated.js';
import { isTypeScriptFile } from '../../src/edit/imports.js';
import { hasUntypedResult } from './untyped-asks.js';
import { isGenericName, type KeyAllocator, type NameAllocator, toIdentifier } from '../../src/edit/naming.js';

/** What building rounds adds to the handler's plan. */
export interface RoundSink {
  readonly edits: TextEdit[];
  readonly diagnostics: PendingDiagnostic[];
  readonly needs: Set<string>;
  readonly typeNeeds: Set<string>;
  readonly consumed: string[];
  /** Findings inside text an edit inserts: resolved once the edit's output position is known. */
  readonly inserted: { readonly edit: TextEdit; readonly within: number; readonly diagnostic: PendingDiagnostic }[];
}

export interface RoundInput {
  readonly group: readonly RewritableAsk[];
  readonly ctxName: string;
  readonly keys: KeyAllocator;
  readonly names: NameAllocator;
  readonly style: CodeStyle;
  /** Statements `--fix-effects` moves to just after this round's guard, in order. */
  readonly moved: readonly Statement[];
  /**
   * Multi-round handlers read answers carried across rounds and send them back with each
   * question; a step reads its own answers and the steps runtime adds the state.
   */
  readonly carried?: { readonly answers: string; readonly requestState?: string };
}

/** Builds the round's edits into `sink`; returns the keys it used. */
export function buildRound(input: RoundInput, sink: RoundSink): string[] {
  const { group, ctxName, keys, names, style } = input;
  const target = group.at(-1)!;
  const sourceFile = target.statement.getSourceFile();
  const fileText = sourceFile.getFullText();
  const lineStart = lineStartOf(fileText, target.statement.getStart());
  const indent = /^[ \t]*/.exec(fileText.slice(lineStart))?.[0] ?? '';
  const typed = isTypeScriptFile(sourceFile);
  const responses = input.carried?.answers ?? `${ctxName}.mcpReq.inputResponses`;

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
    if (directName) names.claim(directName);
    const view = directName ?? names.fresh(`${toIdentifier(key)}Response`);
    const declaration = directName && ask.binding?.declarationKind === 'let' ? 'let' : 'const';
    views.push(`${declaration} ${view} = inputResponse(${responses}, ${quote(style, key)});`);
    sink.consumed.push(...point.consumedNames);
    if (point.requestDeclaration) sink.edits.push(removeStatement(point.requestDeclaration));
    if (point.options) {
      sink.diagnostics.push(
        pending(
          'mrtr/request-options-dropped',
          { kind: point.kind, options: summarize(point.options.getText()) },
          rangeOf(ask.statement),
        ),
      );
    }

    const request = buildRequest(ask, key, names, typed, style, sink);
    hoisted.push(...request.hoisted);
    requests.push(`${propertyKey(key, style)}: ${request.builder}`);
    const kindTest = `${view}.kind !== ${quote(style, request.viewKind)}`;
    conditions.push(
      request.validate
        ? `${kindTest} || (${view}.action === ${quote(style, 'accept')} && !acceptedContent(${responses}, ` +
            `${quote(style, key)}, fromJsonSchema(${request.validate}${typed ? ' as JsonSchemaType' : ''})))`
        : kindTest,
    );
    if (request.validate) sink.needs.add('acceptedContent').add('fromJsonSchema');
    // The elicitation schema type has optional fields that exactOptionalPropertyTypes keeps apart from JSON Schema's.
    if (request.validate && typed) sink.typeNeeds.add('JsonSchemaType');

    // An ask reached through `as any` gave the code an untyped result: it stays untyped.
    const untyped = typed && hasUntypedResult(ask.point.call);
    const schema = ask.point.resultSchema?.getText();
    const value = untyped
      ? `${valueExpression(ask, view, directName !== undefined, 'none', style)} as any`
      : schema
        ? `${schema}.parse(${valueExpression(ask, view, false, 'none', style)})`
        : valueExpression(ask, view, directName !== undefined, typed ? 'ts' : 'jsdoc', style);
    if (typed && value.endsWith(' as CreateMessageResult')) sink.typeNeeds.add('CreateMessageResult');
    if (ask === target && !ask.binding && !ask.bare) valueForTarget = value;
    else if (ask.binding && !directName) {
      const type = ask.binding.typeText ? `: ${ask.binding.typeText}` : '';
      bindings.push(`${ask.binding.declarationKind} ${ask.binding.nameNode.getText()}${type} = ${value};`);
    }
  }

  const carriedState = input.carried?.requestState ? `, requestState: ${input.carried.requestState}` : '';
  const region = generatedRegion(
    [
      ...hoisted,
      ...views,
      `if (${conditions.join(' || ')}) {`,
      `${indentUnit(style)}return inputRequired({ inputRequests: { ${requests.join(', ')} }${carriedState} });`,
      '}',
      ...bindings,
    ],
    indent,
  );
  // Moved effects follow the guard as the user wrote them; they are not reformatted.
  const movedTexts = input.moved.map((s) => s.getText());
  let edit: TextEdit;
  let movedStart: number;
  if (valueForTarget !== undefined) {
    edit = {
      start: lineStart,
      end: lineStart,
      text: `${region}\n${movedTexts.map((t) => `${indent}${t}\n`).join('')}`,
    };
    movedStart = region.length + 1;
    const replaced = /^[\w$.]+$/.test(valueForTarget) ? skipParensUp(target.awaited) : target.awaited;
    sink.edits.push(edit, { start: replaced.getStart(), end: replaced.getEnd(), text: valueForTarget });
  } else {
    edit = {
      start: lineStart,
      end: target.statement.getEnd(),
      text: `${region}${movedTexts.map((t) => `\n${indent}${t}`).join('')}`,
    };
    movedStart = region.length + 1;
    sink.edits.push(edit);
  }
  let within = movedStart + indent.length;
  for (const [index, statement] of input.moved.entries()) {
    const diagnostic = pending(
      'mrtr/effect-moved-below-guard',
      { key: roundKeys[0] },
      { start: 0, end: statement.getWidth(), anchor: 0 },
    );
    sink.inserted.push({ edit, within, diagnostic });
    within += movedTexts[index].length + 1 + indent.length;
    sink.edits.push(removeStatement(statement));
  }
  for (const ask of group.slice(0, -1)) sink.edits.push(removeStatement(ask.statement));
  return roundKeys;
}

interface BuiltRequest {
  readonly builder: string;
  readonly hoisted: string[];
  readonly viewKind: 'elicit' | 'sampling' | 'roots';
  /** Schema expression that accepted content is validated against, when there is one. */
  readonly validate: string | undefined;
}

function buildRequest(
  ask: RewritableAsk,
  key: string,
  names: NameAllocator,
  typed: boolean,
  style: CodeStyle,
  sink: RoundSink,
): BuiltRequest {
  const { point } = ask;
  const params = point.params;
  const range = rangeOf(ask.statement);
  switch (point.form) {
    case 'roots':
      return { builder: 'inputRequired.listRoots()', hoisted: [], viewKind: 'roots', validate: undefined };
    case 'sampling':
      return {
        builder: `inputRequired.createMessage(${params?.getText() ?? '{}'})`,
        hoisted: [],
        viewKind: 'sampling',
        validate: undefined,
      };
    case 'elicit-url': {
      const value = params && withoutTypeWrappers(params);
      const object = value && Node.isObjectLiteralExpression(value) ? value : undefined;
      // Params held in a variable: only what the 2026-07-28 URL shape has is passed on.
      const kept = object
        ? object
            .getProperties()
            .filter((p) => !/^(mode|elicitationId)$/.test(propertyName(p)))
            .map((p) => p.getText())
        : value
          ? [`message: ${value.getText()}.message`, `url: ${value.getText()}.url`]
          : [];
      if (params && urlParams(params)?.elicitationId)
        sink.diagnostics.push(pending('mrtr/elicitation-id-dropped', {}, range));
      return {
        builder: `inputRequired.elicitUrl({ ${kept.join(', ')} })`,
        hoisted: [],
        viewKind: 'elicit',
        validate: undefined,
      };
    }
    case 'elicit-form': {
      if (!params) return { builder: 'inputRequired.elicit({})', hoisted: [], viewKind: 'elicit', validate: undefined };
      const written = Node.isObjectLiteralExpression(params)
        ? propertyInitializer(params, 'requestedSchema')
        : undefined;
      // `{…} as const` is still a literal schema.
      const schema = written && withoutTypeWrappers(written);
      if (
        !written ||
        !schema ||
        !(
          Node.isObjectLiteralExpression(schema) ||
          Node.isIdentifier(schema) ||
          Node.isPropertyAccessExpression(schema)
        )
      ) {
        sink.diagnostics.push(pending('mrtr/validation-not-preserved', {}, range));
        return {
          builder: `inputRequired.elicit(${params.getText()})`,
          hoisted: [],
          viewKind: 'elicit',
          validate: undefined,
        };
      }
      if (!Node.isObjectLiteralExpression(schema)) {
        return {
          builder: `inputRequired.elicit(${params.getText()})`,
          hoisted: [],
          viewKind: 'elicit',
          validate: written.getText(),
        };
      }
      // A literal schema is named once so the request and the validation share it.
      const schemaName = names.fresh(`${toIdentifier(key)}Schema`);
      if (typed) sink.typeNeeds.add('ElicitRequestFormParams');
      const annotation = typed ? `: ElicitRequestFormParams[${quote(style, 'requestedSchema')}]` : '';
      const paramsText = params.getText();
      const offset = written.getStart() - params.getStart();
      const rewritten = paramsText.slice(0, offset) + schemaName + paramsText.slice(offset + written.getWidth());
      return {
        builder: `inputRequired.elicit(${rewritten})`,
        // Without `as const`: v2's request type takes no readonly arrays, and the annotation types it.
        hoisted: [
          // In JavaScript a JSDoc type does what the annotation does, for projects that check JS.
          ...(typed
            ? []
            : [
                `/** @type {import(${quote(style, SERVER_PACKAGE)}).ElicitRequestFormParams['requestedSchema'] & ` +
                  `import(${quote(style, SERVER_PACKAGE)}).JsonSchemaType} */`,
              ]),
          `const ${schemaName}${annotation} = ${schema.getText()};`,
        ],
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
  return keyForPoint(ask.point, ask.binding?.nameNode);
}

export function keyForPoint(point: RewritableAsk['point'], nameNode: Node | undefined): string {
  if (point.form === 'elicit-form' && point.params && Node.isObjectLiteralExpression(point.params)) {
    const written = propertyInitializer(point.params, 'requestedSchema');
    const schema = written && withoutTypeWrappers(written);
    const properties =
      schema && Node.isObjectLiteralExpression(schema) ? propertyInitializer(schema, 'properties') : undefined;
    if (properties && Node.isObjectLiteralExpression(properties) && properties.getProperties().length === 1) {
      return propertyName(properties.getProperties()[0]).replace(/^['"]|['"]$/g, '');
    }
  }
  if (nameNode && Node.isIdentifier(nameNode) && !isGenericName(nameNode.getText())) return nameNode.getText();
  return point.kind === 'elicitation' ? 'elicitation' : point.kind;
}

/**
 * The user's own variable can hold the response view itself when the code only reads the
 * fields the view shares with the old result (`action`/`content`, or `roots`).
 */
function directViewName(ask: RewritableAsk): string | undefined {
  const nameNode = ask.binding?.nameNode;
  if (!nameNode || !Node.isIdentifier(nameNode) || ask.binding?.typeText || ask.point.resultSchema) return undefined;
  const allowed =
    ask.point.kind === 'elicitation' ? ['action', 'content'] : ask.point.kind === 'roots' ? ['roots'] : undefined;
  if (!allowed) return undefined;
  return readsOnlyFields(ask, allowed) ? nameNode.getText() : undefined;
}

/** Whether the code reads nothing of the ask's result but these fields (`result.content`). */
function readsOnlyFields(ask: RewritableAsk, allowed: readonly string[]): boolean {
  const nameNode = ask.binding?.nameNode;
  if (!nameNode || !Node.isIdentifier(nameNode)) return false;
  const name = nameNode.getText();
  const declared = nameNode.compilerNode;
  // On the compiler's nodes: wrapping every identifier of the handler costs more than the check.
  let onlyFields = true;
  const visit = (node: ts.Node): void => {
    if (!onlyFields) return;
    if (ts.isIdentifier(node) && node !== declared && node.text === name) {
      const parent = node.parent;
      const isName = (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
      if (!isName)
        onlyFields =
          ts.isPropertyAccessExpression(parent) && parent.expression === node && allowed.includes(parent.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ask.handler.fn.compilerNode);
  return onlyFields;
}

const SAMPLING_FIELDS = ['model', 'stopReason', 'role', 'content'];

function valueExpression(
  ask: RewritableAsk,
  view: string,
  direct: boolean,
  cast: 'ts' | 'jsdoc' | 'none',
  style: CodeStyle,
): string {
  if (ask.point.kind === 'sampling') {
    // Without `tools`, the SDK's createMessage overload returned a single-content CreateMessageResult.
    const params = ask.point.params;
    const withTools = !params || !Node.isObjectLiteralExpression(params) || params.getProperty('tools') !== undefined;
    // Code that uses the whole result (JSON.stringify, spread) saw it parsed by the SDK's schema; it still does.
    const sdkSchema = ask.point.consumedNames[0];
    if (sdkSchema && ask.binding && !readsOnlyFields(ask, SAMPLING_FIELDS)) return `${sdkSchema}.parse(${view}.result)`;
    if (withTools || cast === 'none') return `${view}.result`;
    // In JavaScript a JSDoc cast does what `as` does, for projects that check JS.
    return cast === 'ts'
      ? `${view}.result as CreateMessageResult`
      : `/** @type {import(${quote(style, SERVER_PACKAGE)}).CreateMessageResult} */ (${view}.result)`;
  }
  if (direct) return view;
  if (ask.binding && !Node.isIdentifier(ask.binding.nameNode)) return view;
  if (!ask.binding) {
    const parent = skipParensUp(ask.awaited).getParent();
    const field = Node.isPropertyAccessExpression(parent) ? parent.getName() : undefined;
    const shared = ask.point.kind === 'elicitation' ? ['action', 'content'] : ['roots'];
    if (field && shared.includes(field)) return view;
  }
  return ask.point.kind === 'elicitation'
    ? `({ action: ${view}.action, content: ${view}.content })`
    : `({ roots: ${view}.roots })`;
}

function skipParensUp(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current.getParentOrThrow())) current = current.getParentOrThrow();
  return current;
}

const SERVER_PACKAGE = '@modelcontextprotocol/server';

export function removeStatement(statement: Statement): TextEdit {
  const text = statement.getSourceFile().getFullText();
  const start = lineStartOf(text, statement.getStart());
  const onlyOnLine =
    text.slice(start, statement.getStart()).trim() === '' && /^[ \t]*(\n|$)/.test(text.slice(statement.getEnd()));
  if (!onlyOnLine) return { start: statement.getStart(), end: statement.getEnd(), text: '' };
  const lineEnd = text.indexOf('\n', statement.getEnd());
  return { start, end: lineEnd === -1 ? text.length : lineEnd + 1, text: '' };
}

function propertyKey(key: string, style: CodeStyle): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(style, key);
}

export function rangeOf(node: Node): { start: number; end: number; anchor: number } {
  return { start: node.getStart(), end: node.getEnd(), anchor: node.getStart() };
}

function summarize(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
