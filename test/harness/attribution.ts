/**
 * Ties a recorded effect to the statement of the migrated module that caused it (through its
 * stack), and says whether the codemod flagged that statement as running again: before a guard
 * always, and, when held calls are dropped between rounds, on the replay that follows.
 */
import { readFileSync } from 'node:fs';
import { Node, Project } from 'ts-morph';
import type { EffectRecord } from '../../fixtures/_support/effects.js';
import type { FlagTest } from './compare.js';

const BEFORE_GUARD_MARKER = /@mrtr-migrate (mrtr\/[\w-]*before-guard)/;
const REPEAT_MARKER = /@mrtr-migrate (mrtr\/[\w-]*(?:before-guard|on-replay))/;

export interface Attribution {
  readonly isFlagged: FlagTest;
  /** Lines of flagged statements, `[first, last]`, 1-based. */
  readonly flaggedStatements: readonly (readonly [number, number])[];
  /** The rule each flagged statement carries, by `first-last`. */
  readonly ruleOf: ReadonlyMap<string, string>;
  /** The flagged statement an effect came from, if any. */
  statementOf(record: EffectRecord): readonly [number, number] | undefined;
}

/** `replayed`: the run drops held calls between rounds, so on-replay flags account for re-runs too. */
export function attributionFor(migratedFile: string, replayed = false): Attribution {
  const marker = replayed ? REPEAT_MARKER : BEFORE_GUARD_MARKER;
  const project = new Project({ useInMemoryFileSystem: true });
  const sourceFile = project.createSourceFile('migrated.ts', readFileSync(migratedFile, 'utf8'));
  const flaggedStatements: [number, number][] = [];
  const ruleOf = new Map<string, string>();
  sourceFile.forEachDescendant((node) => {
    if (!Node.isStatement(node)) return;
    const parent = node.getParent();
    if (
      !parent ||
      !(Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent) || Node.isSourceFile(parent))
    )
      return;
    const rule = node
      .getLeadingCommentRanges()
      .map((c) => marker.exec(c.getText())?.[1])
      .find((r) => r !== undefined);
    if (rule) {
      flaggedStatements.push([node.getStartLineNumber(), node.getEndLineNumber()]);
      ruleOf.set(`${node.getStartLineNumber()}-${node.getEndLineNumber()}`, rule);
    }
  });
  const statementOf = (record: EffectRecord) => {
    const line = lineIn(record.stack, migratedFile);
    return line === undefined ? undefined : flaggedStatements.find(([first, last]) => first <= line && line <= last);
  };
  return { isFlagged: (record) => statementOf(record) !== undefined, flaggedStatements, ruleOf, statementOf };
}

/** The line of the first stack frame in `file`. */
export function lineIn(stack: string, file: string): number | undefined {
  for (const frame of stack.split('\n')) {
    const at = frame.lastIndexOf(file + ':');
    if (at === -1) continue;
    const line = Number.parseInt(frame.slice(at + file.length + 1), 10);
    if (Number.isFinite(line)) return line;
  }
  return undefined;
}
