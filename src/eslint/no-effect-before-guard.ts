/**
 * `no-effect-before-guard`: in MRTR-native code, an effect or a varying value above the guard runs
 * again in every round unless `once` carries it. Suggestions come from the codemod's own passes:
 * the carry-once pass wraps it in `once`, the fix-effects pass moves it below the guard.
 */
import path from 'node:path';
import type { Rule } from 'eslint';
import { Node, type SourceFile, type Statement } from '../ts-morph.js';
import { EffectConfig, readEffectConfig } from '../analysis/effect-config.js';
import { EffectAnalyzer } from '../analysis/effects.js';
import { getRule, type RuleId } from '../diagnostics/rules.js';
import { detectCodeStyle } from '../edit/code-style.js';
import { NameAllocator } from '../edit/naming.js';
import { lineStartOf, type TextEdit } from '../edit/text-edits.js';
import { carriesMarker } from '../engine/markers.js';
import { nearestManifest } from '../engine/manifest.js';
import {
  flagsOnPath,
  movableAbove,
  pathBeforeStatement,
  readFrom,
  type BeforeGuardFlag,
} from '../../transforms/handlers/before-guard.js';
import { EffectCarrier } from '../../transforms/handlers/carry-once.js';
import { flagData } from '../../transforms/handlers/plan.js';
import { removeStatement } from '../../transforms/handlers/round.js';
import { findNativeGuards, type NativeGuard } from './native-guards.js';
import { isSkipped, locOf, parsedFile } from './parsed.js';
import { runtimeImportOf } from './runtime-import.js';

const REPORTED: readonly RuleId[] = [
  'mrtr/effect-before-guard',
  'mrtr/outer-mutation-before-guard',
  'mrtr/nondeterministic-before-guard',
  'mrtr/unknown-call-before-guard',
];

export const noEffectBeforeGuard: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow effects above an MRTR guard that are not carried by `once`' },
    hasSuggestions: true,
    schema: [],
    messages: {
      ...Object.fromEntries(REPORTED.map((id) => [id, getRule(id).message])),
      wrapInOnce: 'Run it once per call: wrap it in `once` (its result travels in the signed requestState)',
      moveBelowGuard: 'Move it below the `{{key}}` guard: it then runs once, in the round that passes the guard',
    },
  },
  create(context) {
    const code = context.sourceCode;
    if (isSkipped(context.filename) || !/inputRequired|isInputRequiredResult/.test(code.text)) return {};
    return {
      Program() {
        const file = parsedFile(context);
        const guards = findNativeGuards(file);
        if (guards.length === 0) return;
        const analyzer = analyzerFor(file.getFilePath());
        for (const guard of guards) {
          for (const flag of flagsAbove(guard, analyzer)) {
            const suggestions = suggestionsFor(file, guard, flag, analyzer);
            context.report({
              loc: locOf(code, flag.finding.node.getStart(), flag.finding.node.getEnd()),
              messageId: flag.ruleId,
              data: flagData(flag, guard.key, suggestions.notCarried),
              suggest: suggestions.fixes.map(({ messageId, edits }) => ({
                messageId,
                data: { key: guard.key },
                fix: (fixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text)),
              })),
            });
          }
        }
      },
    };
  },
};

/** The flags the codemod raises above this guard, less what a marker already reports. */
function flagsAbove(guard: NativeGuard, analyzer: EffectAnalyzer): BeforeGuardFlag[] {
  const body = guard.fn.getBody();
  if (!body) return [];
  const usedLater = (node: Node) => namesReadAfter(node, guard);
  const flags = flagsOnPath(
    pathBeforeStatement(guard.guard, body),
    guard.fn,
    analyzer,
    usedLater,
    undefined,
    guard.machinery,
  );
  return flags.filter(
    (f) => REPORTED.includes(f.ruleId) && !carriesMarker(f.statement) && !carriesMarker(f.finding.node),
  );
}

/** A varying value matters when something after its statement reads it: the question, or the code after the guard. */
function namesReadAfter(node: Node, guard: NativeGuard): boolean {
  return readFrom(node, guard.fn, node.getEnd());
}

interface Suggestions {
  readonly fixes: { readonly messageId: 'wrapInOnce' | 'moveBelowGuard'; readonly edits: TextEdit[] }[];
  /** Why `once` cannot carry it, as the codemod says it. */
  readonly notCarried?: string;
}

function suggestionsFor(
  file: SourceFile,
  guard: NativeGuard,
  flag: BeforeGuardFlag,
  analyzer: EffectAnalyzer,
): Suggestions {
  const fixes: Suggestions['fixes'][number][] = [];
  let notCarried: string | undefined;
  const runtime = runtimeImportOf(file);
  if (guard.ctxName && runtime) {
    const names = new NameAllocator(file);
    const carrier = new EffectCarrier({
      fn: guard.fn,
      analyzer,
      ctxName: guard.ctxName,
      names,
      style: detectCodeStyle(file.getFullText()),
      ignored: guard.machinery,
    });
    const carrying = carrier.carry(flag, (node) => namesReadAfter(node, guard));
    notCarried = carrying.kept.find((k) => k.flag.finding.node === flag.finding.node)?.notCarried;
    const needs = [...new Set(carrying.carried.map((run) => run.runtimeName))];
    if (carrying.carried.length > 0 && needs.every((name) => runtime.has(name))) {
      fixes.push({
        messageId: 'wrapInOnce',
        edits: [...carrying.carried.map((run) => run.edit), ...runtime.importing(needs, (n) => names.localOf(n))],
      });
    }
  }
  const moved = movedBelow(guard, flag, analyzer);
  if (moved) fixes.push({ messageId: 'moveBelowGuard', edits: moved });
  return { fixes, notCarried };
}

/** The fix-effects move: the flagged statement, with what must move with it, placed just after the guard. */
function movedBelow(guard: NativeGuard, flag: BeforeGuardFlag, analyzer: EffectAnalyzer): TextEdit[] | undefined {
  const parent = guard.guard.getParent();
  if (!parent || !(Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent))) return undefined;
  const siblings = parent.getStatements();
  const guardIndex = siblings.indexOf(guard.guard);
  const moved = movableAbove({
    siblings,
    askIndex: guardIndex,
    lastIndex: guardIndex + 1,
    flags: [flag],
    readers: [],
    fn: guard.fn,
    analyzer,
    ignored: guard.machinery,
  });
  if (!moved.includes(flag.pathStatement as Statement)) return undefined;
  const statement = flag.pathStatement as Statement;
  const text = statement.getSourceFile().getFullText();
  const indent = text.slice(lineStartOf(text, statement.getStart()), statement.getStart());
  return [
    removeStatement(statement),
    { start: guard.guard.getEnd(), end: guard.guard.getEnd(), text: `\n${indent}${statement.getText()}` },
  ];
}

const configs = new Map<string, EffectConfig>();

/**
 * The effect analysis with the user's `mrtr-migrate.config.json` (or package.json key) of the nearest
 * package. A new one per file: its summaries hold the nodes of the file it analysed.
 */
function analyzerFor(file: string): EffectAnalyzer {
  const manifest = nearestManifest(file, path.parse(file).root);
  const root = manifest ? path.dirname(manifest) : path.dirname(file);
  let config = configs.get(root);
  if (!config) configs.set(root, (config = new EffectConfig(readEffectConfig(root))));
  return new EffectAnalyzer(config);
}
