/**
 * v1-to-v2: the SDK surface upgrade (imports, renames, `extra` ⇒ `ctx`, registration API),
 * done by the official `@modelcontextprotocol/codemod` transforms on the same ts-morph file,
 * so its edits land in the same dry-run, diff and report as ours.
 */
import { createRequire } from 'node:module';
import type * as Codemod from '@modelcontextprotocol/codemod';
import type { SourceFile } from 'ts-morph';
import { movedBy, pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { applyEdits, identityOffsets } from '../src/edit/text-edits.js';
import { restoreCallbackIndentation } from './v1-to-v2/callback-indentation.js';
import { upgradedForwarders, upgradeShapeForwarders } from './v1-to-v2/forwarders.js';
import { upgradeTypeImports } from './v1-to-v2/jsdoc-imports.js';
import { hideOwnRegistrars, inlineBoundRegistrars, literalNames } from './v1-to-v2/registrars.js';
import { importedNames, restoreRemovedNames } from './v1-to-v2/removed-names.js';
import { verifiedSchemaObject } from './v1-to-v2/schema-objects.js';
import { planTaskRemoval, taskRegistrationFindings } from './v1-to-v2/tasks.js';
import { descriptor } from './registry.js';
import type { Transform, TransformContext, TransformResult } from './types.js';

// Its CommonJS build: it then shares ts-morph as loaded by src/ts-morph.ts, and Node's ESM loader
// does not load ts-morph a second way.
const { DiagnosticLevel, getMigration } = createRequire(import.meta.url)(
  '@modelcontextprotocol/codemod',
) as typeof Codemod;
type CodemodDiagnostic = Codemod.Diagnostic;

const migration = getMigration('v1-to-v2');
if (!migration) throw new Error('@modelcontextprotocol/codemod no longer provides the v1-to-v2 migration');
const officialTransforms = migration.transforms;

export const v1ToV2: Transform = { ...descriptor('v1-to-v2'), apply };

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const original = sourceFile.getFullText();
  const imported = importedNames(sourceFile);
  // Tasks go first, on the file as written: the official transforms then drop their import.
  const tasks = planTaskRemoval(sourceFile);
  if (tasks.edits.length > 0) sourceFile.replaceWithText(applyEdits(original, tasks.edits).text);
  const before = sourceFile.getFullText();
  const found: CodemodDiagnostic[] = [];
  let changes = tasks.edits.length + inlineBoundRegistrars(sourceFile);
  const restoreOwnRegistrars = hideOwnRegistrars(sourceFile);
  const restoreNames = literalNames(sourceFile);
  for (const transform of officialTransforms) {
    const result = transform.apply(sourceFile, { projectType: context.projectType });
    changes += result.changesCount;
    found.push(...result.diagnostics);
  }
  restoreNames();
  restoreOwnRegistrars();
  changes += upgradeTypeImports(sourceFile);
  const forwarders = upgradeShapeForwarders(sourceFile);
  changes += forwarders.length;
  const restored = restoreRemovedNames(sourceFile, imported);
  changes += restored.changes;
  const changed = changes > 0 && sourceFile.getFullText() !== original;
  // As the official runner does: advisories about a file nothing changed are noise on re-runs.
  const kept = (changed ? found : found.filter((d) => !d.advisoryOnly)).filter(
    (d) =>
      !adviceFollowed(d.message, tasks.removedOptions) &&
      !verifiedSchemaObject(sourceFile, d.message, currentLine(d)) &&
      !(forwarders.length > 0 && d.message.startsWith('zod-compat removed in v2')),
  );
  const own = [
    ...tasks.removed(sourceFile),
    ...taskRegistrationFindings(sourceFile),
    ...restored.diagnostics(),
    ...upgradedForwarders(sourceFile, forwarders),
  ];
  const shifted = changed ? restoreCallbackIndentation(sourceFile, before) : [];
  if (shifted.length === 0)
    return {
      changed,
      diagnostics: [...kept.map((d) => convert(d, sourceFile.getFullText())), ...own],
      handlers: [],
      mapOffset: identityOffsets,
    };
  // Diagnostics are resolved on the tree before the text leaves it: dedenting moves no line.
  const dedented = applyEdits(sourceFile.getFullText(), shifted);
  return {
    changed,
    text: dedented.text,
    diagnostics: [...kept.map((d) => convert(d, dedented.text)), ...own.map((d) => movedBy(d, dedented.mapOffset))],
    handlers: [],
    mapOffset: dedented.mapOffset,
  };
}

/** "Remove 'taskStore' from McpServer options": done, so not said. */
function adviceFollowed(message: string, removed: ReadonlySet<string>): boolean {
  const option = /^Remove '(\w+)' from \w+ options/.exec(message)?.[1];
  return option !== undefined && removed.has(option);
}

function convert(diagnostic: CodemodDiagnostic, text: string): PendingDiagnostic {
  const start = offsetOfLine(text, currentLine(diagnostic));
  const firstCode = start + (/^[ \t]*/.exec(text.slice(start))?.[0].length ?? 0);
  const lineEnd = text.indexOf('\n', firstCode);
  const end = lineEnd === -1 ? text.length : lineEnd;
  const actionable = diagnostic.insertComment === true || diagnostic.level === DiagnosticLevel.Error;
  return pending(
    actionable ? 'mrtr/v2-upgrade' : 'mrtr/v2-upgrade-note',
    { detail: oneLine(diagnostic.message) },
    { start: firstCode, end, anchor: firstCode },
  );
}

function currentLine(diagnostic: CodemodDiagnostic): number {
  try {
    return diagnostic.resolveCurrentLine?.() ?? diagnostic.line;
  } catch {
    // The node it pointed at was replaced; the line recorded when it was raised is the best we have.
    return diagnostic.line;
  }
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return offset;
    offset = next + 1;
  }
  return offset;
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
