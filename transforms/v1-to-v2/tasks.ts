/**
 * MCP tasks after the official transforms. They drop the `@modelcontextprotocol/sdk/experimental/tasks`
 * import and leave `new InMemoryTaskStore()` and the `taskStore` option in place, so the module
 * throws a ReferenceError when it loads. SDK v2 has no tasks: the options go, with the
 * constructions that only feed them (and their cleanup calls) and the `tasks` capability; a task
 * tool registration (`server.experimental.tasks.registerToolTask`) no longer throws on v2's
 * McpServer, which has no `experimental`, and is marked: the tool is not registered there.
 */
import { Node, SyntaxKind, type ObjectLiteralExpression, type SourceFile } from '../../src/ts-morph.js';
import { declarationOf, isPropertyName } from '../../src/analysis/resolve.js';
import { enclosingStatementOf } from '../../src/analysis/ask-sites.js';
import { taskRegistrations } from '../../src/analysis/tasks.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';

const TASK_OPTIONS = new Set(['taskStore', 'taskMessageQueue']);

/**
 * The edits, planned on the file as written, before the official transforms drop the tasks import:
 * the options, what only feeds them, the `tasks` capability, and `experimental?.tasks?` on task
 * registrations. `removedOptions` says which option advice of the official transforms was followed.
 */
export function planTaskRemoval(sourceFile: SourceFile): {
  edits: TextEdit[];
  removedOptions: Set<string>;
  /** Said at the construction whose options lost them, found again on the final tree. */
  removed: (sourceFile: SourceFile) => PendingDiagnostic[];
} {
  const edits: TextEdit[] = [];
  const removedOptions = new Set<string>();
  const said: { index: number; what: string }[] = [];
  const text = sourceFile.getFullText();
  // Most files name no task API: the walks below are skipped for them.
  const constructionOptions = /\btask(Store|MessageQueue)\b/.test(text) ? serverOptions(sourceFile) : [];
  for (const options of constructionOptions) {
    const taskProperties = options.getProperties().filter((p) => TASK_OPTIONS.has(propertyName(p) ?? ''));
    if (taskProperties.length === 0) continue;
    const capability = tasksCapability(options);
    for (const property of [...taskProperties, ...(capability ? [capability] : [])]) {
      if (property !== capability) removedOptions.add(propertyName(property)!);
      edits.push(removeProperty(text, property));
    }
    const fed = taskProperties.flatMap((p) => feedingDeclaration(p));
    const feeding = fed.map((declaration) => removalOfOnlyFeeding(text, declaration, taskProperties));
    feeding.forEach((e) => edits.push(...e));
    const what = [
      `the ${[...removedOptions].map((o) => `\`${o}\``).join(' and ')} option${removedOptions.size > 1 ? 's' : ''}`,
      ...(fed.some((_, i) => feeding[i].length > 0) ? ['the task store built for them'] : []),
      ...(capability ? ['the `tasks` capability'] : []),
    ];
    said.push({
      index: serverOptions(sourceFile).indexOf(options),
      what: what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0],
    });
  }
  for (const call of text.includes('registerToolTask') ? taskRegistrations(sourceFile) : []) {
    const callee = call.getExpression();
    const tasks = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
    const experimental = tasks && Node.isPropertyAccessExpression(tasks) ? tasks.getExpression() : undefined;
    if (!tasks || !experimental || !Node.isPropertyAccessExpression(experimental)) continue;
    if (experimental.getName() !== 'experimental' || experimental.hasQuestionDotToken()) continue;
    // `server.experimental.tasks.registerToolTask(…)` ⇒ `server.experimental?.tasks?.registerToolTask(…)`
    edits.push({ start: experimental.getEnd(), end: experimental.getEnd(), text: '?' });
    edits.push({ start: tasks.getEnd(), end: tasks.getEnd(), text: '?' });
  }
  const removed = (final: SourceFile) => {
    if (said.length === 0) return [];
    const constructions = serverOptions(final).map((o) => o.getParentOrThrow());
    return said.flatMap(({ index, what }) => {
      const at = constructions[index];
      return at ? [pending('mrtr/tasks-removed', { what }, { start: at.getStart(), end: at.getStart() })] : [];
    });
  };
  return { edits, removedOptions, removed };
}

/** On the final tree: each task tool registration, which v2 skips. */
export function taskRegistrationFindings(sourceFile: SourceFile): PendingDiagnostic[] {
  if (!sourceFile.getFullText().includes('registerToolTask')) return [];
  return taskRegistrations(sourceFile).map((call) => {
    const name = call.getArguments()[0];
    return pending(
      'mrtr/task-based',
      {
        what: `tool ${name ? `\`${literal(name)}\`` : ''}`.trim(),
        how: '`experimental.tasks.registerToolTask`',
        outcome: "v2's McpServer has no `experimental`, so the tool is not registered",
      },
      { start: call.getStart(), end: call.getEnd(), anchor: enclosingStatementOf(call).getStart() },
    );
  });
}

function literal(node: Node): string {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  const declaration = Node.isIdentifier(node) ? declarationOf(node) : undefined;
  const init = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  return init && Node.isStringLiteral(init) ? init.getLiteralValue() : node.getText();
}

/** The options object of `new McpServer(info, { … })` / `new Server(info, { … })`. */
function serverOptions(sourceFile: SourceFile): ObjectLiteralExpression[] {
  return sourceFile.getDescendantsOfKind(SyntaxKind.NewExpression).flatMap((construction) => {
    if (!/^(McpServer|Server)$/.test(construction.getExpression().getText())) return [];
    const options = construction.getArguments()[1];
    return options && Node.isObjectLiteralExpression(options) ? [options] : [];
  });
}

function propertyName(property: Node): string | undefined {
  if (Node.isShorthandPropertyAssignment(property) || Node.isPropertyAssignment(property)) return property.getName();
  return undefined;
}

/** `const taskStore = new InMemoryTaskStore()` behind `taskStore` or `taskStore: store`. */
function feedingDeclaration(property: Node): Node[] {
  const value = Node.isShorthandPropertyAssignment(property)
    ? property.getNameNode()
    : Node.isPropertyAssignment(property)
      ? property.getInitializer()
      : undefined;
  if (!value || !Node.isIdentifier(value)) return [];
  const declaration = declarationOf(value);
  return declaration && Node.isVariableDeclaration(declaration) && Node.isNewExpression(declaration.getInitializer())
    ? [declaration]
    : [];
}

/**
 * The construction goes when what is left of its uses are calls on it standing as statements
 * (`taskStore.cleanup()`): they go too, since the store they clean up no longer exists.
 */
function removalOfOnlyFeeding(text: string, declaration: Node, options: readonly Node[]): TextEdit[] {
  if (!Node.isVariableDeclaration(declaration)) return [];
  const name = declaration.getNameNode();
  const statement = declaration.getVariableStatement();
  if (!Node.isIdentifier(name) || !statement || statement.getDeclarations().length !== 1) return [];
  const uses = statement
    .getParentOrThrow()
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id !== name && id.getText() === name.getText() && !isPropertyName(id))
    .filter((id) => declarationOf(id) === declaration)
    .filter((id) => !options.some((option) => option.containsRange(id.getPos(), id.getEnd())));
  const cleanups = uses.map((use) => {
    const access = use.getParent();
    const call = access?.getParent();
    const standing = call?.getParent();
    return Node.isPropertyAccessExpression(access) &&
      Node.isCallExpression(call) &&
      call.getExpression() === access &&
      Node.isExpressionStatement(standing)
      ? standing
      : undefined;
  });
  if (cleanups.some((c) => c === undefined)) return [];
  return [statement, ...(cleanups as Node[])].map((s) => removeLines(text, s));
}

/** `capabilities: { tasks: { … } }` beside the removed options: the server can no longer honour it. */
function tasksCapability(options: ObjectLiteralExpression): Node | undefined {
  const capabilities = options.getProperty('capabilities');
  const value = capabilities && Node.isPropertyAssignment(capabilities) ? capabilities.getInitializer() : undefined;
  return value && Node.isObjectLiteralExpression(value) ? value.getProperty('tasks') : undefined;
}

/** A property with its comma: its whole lines when it has them to itself, else just the text. */
function removeProperty(text: string, property: Node): TextEdit {
  let end = property.getEnd();
  const after = /^\s*,/.exec(text.slice(end));
  if (after) end += after[0].length;
  const lineStart = lineStartOf(text, property.getStart());
  const alone =
    text.slice(lineStart, property.getStart()).trim() === '' && /^[ \t]*(\/\/[^\n]*)?\n/.test(text.slice(end));
  if (alone) return { start: lineStart, end: text.indexOf('\n', end) + 1, text: '' };
  return {
    start: property.getStart(),
    end: after ? end + (/^\s*/.exec(text.slice(end))?.[0].length ?? 0) : end,
    text: '',
  };
}

/** A statement's whole lines, with the comment lines written against it, when it has them to itself. */
function removeLines(text: string, statement: Node): TextEdit {
  const lineStart = lineStartOf(text, statement.getStart());
  const alone =
    text.slice(lineStart, statement.getStart()).trim() === '' && /^[ \t]*\n/.test(text.slice(statement.getEnd()));
  if (!alone) return { start: statement.getStart(), end: statement.getEnd(), text: '' };
  let start = lineStart;
  for (const range of [...statement.getLeadingCommentRanges()].reverse()) {
    if (/\n[ \t]*\r?\n/.test(text.slice(range.getEnd(), start))) break;
    start = lineStartOf(text, range.getPos());
  }
  return { start, end: text.indexOf('\n', statement.getEnd()) + 1, text: '' };
}
