/**
 * The runtime module as a project needs it: only the exports its files import, and what those
 * use. A project whose asks are all native gets the few functions that read an answer or return
 * the request, without the rounds that hold calls (and without `node:async_hooks`).
 */
import { ts } from '../../src/ts-morph.js';

/** The one top-level call in the module: it installs the rounds that held calls and `once` need. */
const ROUNDS_INSTALL = 'installRounds';
/** The top-level statement that lets a round wait for its retry: only held asks need it. */
const HOLD_INSTALL = 'holdOrResume';

/** Runtime names of held asks: code that imports one needs calls to wait between rounds. */
export const HELD_RUNTIME: ReadonlySet<string> = new Set([
  'askElicit',
  'askUrl',
  'askSampling',
  'askRoots',
  'resumable',
  'isRoundEnd',
  'heldCalls',
  'forgetHeldCalls',
]);

interface Part {
  readonly statement: ts.Statement;
  readonly declares: readonly string[];
  readonly uses: ReadonlySet<string>;
}

export function shakeRuntime(source: string, needed: Iterable<string>, withRounds: boolean): string {
  const file = ts.createSourceFile('runtime.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parts = file.statements.map((statement): Part => ({
    statement,
    declares: declaredNames(statement),
    uses: identifiersIn(statement),
  }));
  const byName = new Map<string, Part[]>();
  for (const part of parts) for (const name of part.declares) byName.set(name, [...(byName.get(name) ?? []), part]);
  const kept = new Set<Part>();
  const queue: string[] = [...needed];
  const keep = (part: Part) => {
    if (kept.has(part)) return;
    kept.add(part);
    queue.push(...part.uses);
  };
  // Rounds for native code replay every round; held asks also install the waiting between rounds.
  const held = [...needed].some((name) => HELD_RUNTIME.has(name));
  for (const part of parts) {
    if (part.declares.length > 0) continue;
    if ((withRounds && part.uses.has(ROUNDS_INSTALL)) || (held && part.uses.has(HOLD_INSTALL))) keep(part);
  }
  while (queue.length > 0) {
    const name = queue.pop()!;
    for (const part of byName.get(name) ?? []) if (!ts.isImportDeclaration(part.statement)) keep(part);
  }
  const used = new Set([...kept].flatMap((part) => [...part.uses]));
  const first = file.statements[0];
  // The file's opening comment, which the first import would otherwise take with it.
  let out = first ? source.slice(0, first.getStart(file)) : '';
  if (!withRounds && [...needed].every((name) => STATELESS_RUNTIME.has(name))) out = NATIVE_HEADER;
  for (const part of parts) {
    const { statement } = part;
    const leading = statement === first ? '' : source.slice(statement.getFullStart(), statement.getStart(file));
    if (ts.isImportDeclaration(statement)) {
      const text = keptImport(statement, used, file);
      if (text !== undefined) out += `${out.endsWith('\n') && leading === '' ? '' : leading}${text}`;
    } else if (kept.has(part)) out += leading + source.slice(statement.getStart(file), statement.getEnd());
  }
  return `${out.trimEnd()}\n`;
}

/** Runtime names that keep nothing between rounds: code that imports only these needs no verify hook. */
export const STATELESS_RUNTIME: ReadonlySet<string> = new Set([
  'elicitAnswer',
  'urlAnswer',
  'samplingAnswer',
  'rootsAnswer',
  'clientCapabilities',
  'isAskingClient',
]);

const NATIVE_HEADER = `/**
 * Written by mrtr-migrate; yours to keep and change (it is never overwritten once changed).
 *
 * What the migrated helpers ask with: each reads this round's answer from the request's context,
 * or returns the inputRequired(...) request for it, which its callers return. Nothing is kept
 * between rounds, so any instance can serve the retry.
 */
`;

/** An import with only the names the kept code uses, or nothing when it uses none (its comments not included). */
function keptImport(statement: ts.Statement, used: ReadonlySet<string>, file: ts.SourceFile): string | undefined {
  const whole = file.text.slice(statement.getStart(file), statement.getEnd());
  if (!ts.isImportDeclaration(statement)) return whole;
  const bindings = statement.importClause?.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return whole;
  const names = bindings.elements.filter((e) => used.has(e.name.text));
  if (names.length === 0) return undefined;
  if (names.length === bindings.elements.length) return whole;
  const module = statement.moduleSpecifier.getText(file);
  const typeOnly = statement.importClause?.isTypeOnly ? 'type ' : '';
  const list = names.map((e) => e.getText(file));
  const oneLine = `import ${typeOnly}{ ${list.join(', ')} } from ${module};`;
  return oneLine.length <= 100
    ? oneLine
    : `import ${typeOnly}{\n${list.map((n) => `  ${n},`).join('\n')}\n} from ${module};`;
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) {
    const bindings = statement.importClause?.namedBindings;
    const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : [];
    const own = statement.importClause?.name?.text;
    return own ? [own, ...names] : names;
  }
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement)) &&
    statement.name
  )
    return [statement.name.text];
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  return [];
}

function bindingNames(name: ts.Node): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  if (!ts.isObjectBindingPattern(name) && !ts.isArrayBindingPattern(name)) return [];
  const elements: readonly ts.Node[] = name.elements;
  return elements.flatMap((e) => (ts.isBindingElement(e) ? bindingNames(e.name) : []));
}

function identifiersIn(node: ts.Node): Set<string> {
  const found = new Set<string>();
  const visit = (child: ts.Node) => {
    if (ts.isIdentifier(child)) found.add(child.text);
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}
