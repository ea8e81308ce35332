/**
 * A helper that handlers of other files reach goes native only when every side would agree: its
 * own file can make it native, and every call the run's facts name, in every file, passes the
 * context from a handler that reaches nothing else. Each file decides the same way from the same
 * texts (the other files as they are on disk), so the helper's file and its callers' files change
 * together or not at all.
 */
import { Node, SyntaxKind, type SourceFile } from '../../src/ts-morph.js';
import { enclosingFunction, findAskSites, type BlockedAsk } from '../../src/analysis/ask-sites.js';
import { functionName, type FunctionLikeNode } from '../../src/analysis/functions.js';
import { findHandlerRegistrations } from '../../src/analysis/handlers.js';
import { resolveCallee } from '../../src/analysis/resolve.js';
import { chainsFrom } from '../resumable/reach.js';
import { awaitedSpot, nativeReach, type NativeCall } from './reach.js';

/** `/abs/confirm.ts#confirm`, `/abs/manager.ts#ElicitationManager.confirm`: the same function in any parse. */
export function identityOf(fn: FunctionLikeNode): string {
  const owner = fn.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n));
  const className = owner && (Node.isClassDeclaration(owner) || Node.isClassExpression(owner)) ? owner.getName() : '';
  const name = functionName(fn) ?? '';
  return `${fn.getSourceFile().getFilePath()}#${className ? `${className}.` : ''}${name}`;
}

/** The files the run's facts say reach `fn` from their handlers, besides its own. */
export type CallerFiles = (fn: FunctionLikeNode) => readonly string[];

export function nativeAcrossFiles(helper: FunctionLikeNode, callerFiles: readonly string[], current: SourceFile) {
  const id = identityOf(helper);
  if (!ownFileTakes(helper)) return false;
  const name = functionName(helper) ?? '';
  for (const path of callerFiles) {
    const file = fileAt(path, current);
    if (!file) return false;
    if (file === helper.getSourceFile()) continue;
    const calls = callsInto(file, id);
    // The facts say this file's handlers reach it: through a call each of them can pass the context, or not at all.
    if (
      calls.length === 0 ||
      calls.some((call) => !call) ||
      mentionedAsValue(file, name, Node.isMethodDeclaration(helper))
    )
      return false;
  }
  return true;
}

/** The name used other than as a callee (handed to a registration, stored, re-exported): not only called. */
function mentionedAsValue(file: SourceFile, name: string, method: boolean): boolean {
  return file.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== name) return false;
    const parent = id.getParentOrThrow();
    if (Node.isImportSpecifier(parent) || Node.isImportClause(parent)) return false;
    if (Node.isCallExpression(parent) && parent.getExpression() === id) return false;
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) {
      const call = parent.getParent();
      return method && !(Node.isCallExpression(call) && call.getExpression() === parent);
    }
    return !(Node.isPropertyAssignment(parent) || Node.isMethodDeclaration(parent)) || parent.getNameNode() !== id;
  });
}

/** The helper's own file would make it native if nothing outside the file stood in the way. */
function ownFileTakes(helper: FunctionLikeNode): boolean {
  const file = helper.getSourceFile();
  const { sites, handlers } = findAskSites(file);
  const helperSites = sites.filter(
    (site): site is BlockedAsk => site.status === 'blocked' && !site.handler && site.ruleId === 'mrtr/ask-in-helper',
  );
  if (!helperSites.some((site) => enclosingFunction(site.point.call) === helper)) return false;
  const planned = new Set(sites.flatMap((site) => (site.handler ? [site.handler.fn] : [])));
  const { reach } = nativeReach(helperSites, [...handlers.values()], planned, () => false, new Set([helper]));
  return reach.askers.has(helper);
}

function fileAt(path: string, current: SourceFile): SourceFile | undefined {
  if (current.getFilePath() === path) return current;
  const project = current.getProject();
  return project.getSourceFile(path) ?? project.addSourceFileAtPathIfExists(path);
}

/**
 * Each call in `file` into the function `id`: the call a native handler makes, or undefined where
 * the call cannot pass the context (outside a handler, not awaited where a return can leave, in a
 * handler that asks itself or reaches another helper).
 */
export function callsInto(file: SourceFile, id: string): (NativeCall | undefined)[] {
  const handlers = [...findHandlerRegistrations(file).values()].filter((h) => h.family);
  const askingHandlers = new Set(findAskSites(file).sites.flatMap((site) => (site.handler ? [site.handler.fn] : [])));
  const found: (NativeCall | undefined)[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = resolveCallee(call.getExpression());
    if (!callee || identityOf(callee) !== id) continue;
    const caller = enclosingFunction(call);
    const handler = caller && handlers.find((h) => h.fn === caller);
    const spot = caller && awaitedSpot(call, caller);
    if (!handler || !spot || askingHandlers.has(handler.fn) || call.getArguments().some(Node.isSpreadElement)) {
      found.push(undefined);
      continue;
    }
    const name = functionName(callee);
    const chains = chainsFrom(handler);
    const once = chains.length === 1 && chains[0].chain.length === 1 && chains[0].chain[0] === name;
    found.push(once ? { ...spot, caller: handler.fn, callee } : undefined);
  }
  return found;
}
