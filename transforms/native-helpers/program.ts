/**
 * The files one native decision covers: the file being migrated, the files of the functions its
 * handlers reach on the way to an ask, and (once the run's facts are in) the files of every
 * handler that reaches those functions. Every file in such a set decides over the same set, from
 * the same texts (the others as they are on disk), so a helper's file, the files of the functions
 * between, and its callers' files change together or not at all.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from '../../src/ts-morph.js';
import { findAskSites, type BlockedAsk, type FileAskSites } from '../../src/analysis/ask-sites.js';
import { functionName, isFunctionLike, type FunctionLikeNode } from '../../src/analysis/functions.js';
import type { HandlerRegistration } from '../../src/analysis/handlers.js';
import { resolveCallee } from '../../src/analysis/resolve.js';
import { chainToAsk } from '../resumable/reach.js';
import type { RunFacts } from '../types.js';
import { mentionedAsValue, nativeReach, type NativeReach } from './reach.js';

/** A bound on the files one decision reads: a chain of helpers spans a few. */
const MAX_FILES = 16;

export function nativeProgram(
  current: SourceFile,
  run: RunFacts | undefined,
  currentSites?: FileAskSites,
): NativeReach {
  const files = filesOf(current, run);
  const sites: BlockedAsk[] = [];
  const handlers: HandlerRegistration[] = [];
  const planned = new Set<FunctionLikeNode>();
  const calls: CallExpression[] = [];
  for (const file of files) {
    const found = file === current && currentSites ? currentSites : findAskSites(file);
    for (const site of found.sites) {
      if (site.handler) planned.add(site.handler.fn);
      else if (site.status === 'blocked' && site.ruleId === 'mrtr/ask-in-helper') sites.push(site);
    }
    // A handler registered here but defined in another file is edited there, which may not run again.
    handlers.push(...[...found.handlers.values()].filter((h) => h.family && h.fn.getSourceFile() === file));
    calls.push(...file.getDescendantsOfKind(SyntaxKind.CallExpression));
  }
  const elsewhere = (fn: FunctionLikeNode) => reachedElsewhere(fn, files, run);
  // The run looks again at the files that register a handler or ask: a function between them in a
  // third file would keep its calls, so nothing reached through it is made native.
  const roles = new Set<SourceFile>([
    ...handlers.map((h) => h.fn.getSourceFile()),
    ...sites.map((site) => site.point.call.getSourceFile()),
  ]);
  return nativeReach(sites, handlers, planned, elsewhere, calls, (fn) => roles.has(fn.getSourceFile())).reach;
}

function filesOf(current: SourceFile, run: RunFacts | undefined): SourceFile[] {
  const files = [current];
  // Before the facts, what another file exports stays held: this file decides alone.
  if (!run) return files;
  const project = current.getProject();
  const add = (file: SourceFile | undefined) => {
    if (file && !files.includes(file) && files.length < MAX_FILES) files.push(file);
  };
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = resolveCallee(call.getExpression());
      if (callee && callee.getSourceFile() !== file && chainToAsk(call)) add(callee.getSourceFile());
    }
    if (!run) continue;
    for (const fn of exportedOnAskPaths(file, run)) {
      for (const path of run.callersOf.get(functionName(fn) ?? '') ?? [])
        add(project.getSourceFile(path) ?? project.addSourceFileAtPathIfExists(path));
    }
  }
  return files;
}

/**
 * Functions of the file that others may import and that the run saw on a handler's way to an ask
 * (`callersOf` names only those): the files of those handlers join the decision.
 */
function exportedOnAskPaths(file: SourceFile, run: RunFacts): FunctionLikeNode[] {
  // Most files name none of those functions: a look at the text spares walking their tree.
  const text = file.getFullText();
  if (![...run.callersOf.keys()].some((name) => name !== '' && text.includes(name))) return [];
  return file.getDescendants().filter((node): node is FunctionLikeNode => {
    if (!isFunctionLike(node)) return false;
    const name = functionName(node);
    return name !== undefined && run.callersOf.has(name) && isExported(node);
  });
}

/**
 * Calls from outside the decision's files would pass no context: a function they may reach cannot
 * take part. Before the run's facts are in, any exported function may be one; after, the files
 * the facts name must all be in the set, and none may hand the function on as a value.
 */
function reachedElsewhere(fn: FunctionLikeNode, files: readonly SourceFile[], run: RunFacts | undefined): boolean {
  if (!isExported(fn)) return false;
  if (!run) return true;
  const name = functionName(fn) ?? '';
  const paths = new Set<string>(files.map((f) => f.getFilePath()));
  if ((run.callersOf.get(name) ?? []).some((path) => !paths.has(path))) return true;
  return files.some((file) => file !== fn.getSourceFile() && mentionedAsValue(file, fn, name));
}

export function isExported(fn: FunctionLikeNode): boolean {
  if (Node.isFunctionDeclaration(fn)) return fn.isExported() || fn.isDefaultExport();
  const holder = fn.getFirstAncestor(
    (n) => Node.isVariableStatement(n) || Node.isClassDeclaration(n) || Node.isSourceFile(n),
  );
  if (holder && (Node.isVariableStatement(holder) || Node.isClassDeclaration(holder))) return holder.isExported();
  // `exports.confirm = …`, or a name listed in `export { … }` or `module.exports`.
  const name = functionName(fn);
  const text = fn.getSourceFile().getFullText();
  return (
    name !== undefined &&
    (new RegExp(`\\bexport\\s*\\{[^}]*\\b${name}\\b`).test(text) || /\bmodule\.exports\b|\bexports\./.test(text))
  );
}
