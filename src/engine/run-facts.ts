/**
 * What a run learns only once every file has been looked at: which handlers reach each helper that
 * asks, and whether the runtime module is used and loaded by a server construction. Files whose
 * findings or edits depend on that are looked at a second time with the facts in hand.
 */
import type { RunFacts } from '../../transforms/types.js';
import { SERVER_CONSTRUCTION } from '../analysis/input-point-text.js';
import { STATELESS_RUNTIME } from '../../transforms/handlers/runtime-module.js';
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
  const callersOf = new Map<string, string[]>();
  for (const file of files) {
    for (const handler of file.handlers) {
      for (const path of handler.askPaths ?? []) {
        const helper = path.split(' → ').at(-1) ?? path;
        reachedFrom.set(helper, [...(reachedFrom.get(helper) ?? []), `${handler.handler} → ${path}`]);
        // Every function on the way, so a file between a handler and its helper is known to them both.
        for (const fn of path.split(' → ')) {
          const callers = callersOf.get(fn) ?? [];
          if (!callers.includes(file.path)) callersOf.set(fn, [...callers, file.path]);
        }
      }
    }
  }
  const usesRuntime = files.some(
    (file) => file.status === 'changed' && (carriesState(file.output) || carriesAnswers(file)),
  );
  // Every construction of a run that uses the runtime is wired on the second look.
  const serverWired = usesRuntime && files.some((file) => SERVER_CONSTRUCTION.test(file.original));
  return { reachedFrom, callersOf, serverWired, usesRuntime };
}

const RUNTIME_IMPORT =
  /\{([^}]*)\}\s*(?:from\s*|=\s*require\(\s*)['"][^'"]*\bmrtr-(?:request-state|steps)\b[^'"]*['"]/g;

/** The names a file imports from the runtime module (or the steps module beside it). */
export function runtimeImports(text: string): string[] {
  return [...text.matchAll(RUNTIME_IMPORT)].flatMap((match) =>
    match[1]
      .split(',')
      .map(
        (n) =>
          n
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+|\s*:\s*/)[0],
      )
      .filter((name) => name !== ''),
  );
}

/** A handler whose native asks carry their answers between rounds: the runtime needs its rounds. */
export function carriesAnswers(file: FileMigration): boolean {
  return file.handlers.some((handler) => handler.carriesAnswers === true);
}

/** The file imports something of the runtime that holds a call or signs state. */
function carriesState(text: string): boolean {
  // The verify hook itself is what a need for state adds, not a need.
  return runtimeImports(text).some((name) => name !== 'verifyRequestState' && !STATELESS_RUNTIME.has(name));
}

/** A file the facts may settle differently: a helper whose reach they tell, or a server to wire. */
export function needsSecondLook(file: FileMigration, facts: RunFacts): boolean {
  if (file.status === 'error') return false;
  if (file.diagnostics.some((d) => REACH_RULES.has(d.ruleId))) return true;
  // A handler that reaches a helper of another file passes it the context once the run agrees it may.
  if (file.handlers.some((h) => h.strategy === 'resumable' && h.reachesAcross)) return true;
  return facts.usesRuntime && SERVER_CONSTRUCTION.test(file.original) && !/\bverifyRequestState\b/.test(file.output);
}
