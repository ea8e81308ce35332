/**
 * What a run learns only once every file has been looked at: which handlers reach each helper that
 * asks, and whether the runtime module is used and loaded by a server construction. Files whose
 * findings or edits depend on that are looked at a second time with the facts in hand.
 */
import type { RunFacts } from '../../transforms/types.js';
import { SERVER_CONSTRUCTION } from '../analysis/input-point-text.js';
import type { FileMigration } from './migrate-file.js';

/** The rules whose finding changes with who reaches a helper and where the server is built. */
const REACH_RULES = new Set([
  'mrtr/resumable-helper',
  'mrtr/helper-unreached',
  'mrtr/server-construction-unseen',
  'mrtr/request-state-unwired',
]);

export function gatherRunFacts(files: readonly FileMigration[]): RunFacts {
  const reachedFrom = new Map<string, string[]>();
  for (const file of files) {
    for (const handler of file.handlers) {
      for (const path of handler.askPaths ?? []) {
        const helper = path.split(' → ').at(-1) ?? path;
        reachedFrom.set(helper, [...(reachedFrom.get(helper) ?? []), `${handler.handler} → ${path}`]);
      }
    }
  }
  const usesRuntime = files.some((file) => file.newFiles.length > 0);
  // Every construction of a run that uses the runtime is wired on the second look.
  const serverWired = usesRuntime && files.some((file) => SERVER_CONSTRUCTION.test(file.original));
  return { reachedFrom, serverWired, usesRuntime };
}

/** A file the facts may settle differently: a helper whose reach they tell, or a server to wire. */
export function needsSecondLook(file: FileMigration, facts: RunFacts): boolean {
  if (file.status === 'error') return false;
  if (file.diagnostics.some((d) => REACH_RULES.has(d.ruleId))) return true;
  return facts.usesRuntime && SERVER_CONSTRUCTION.test(file.original) && !/\bverifyRequestState\b/.test(file.output);
}
