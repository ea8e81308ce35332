/**
 * What the run made of each ask, by the form it ends in: native in its handler (a guard, a round,
 * a step reading `inputResponses`), native in a helper, held (a runtime ask whose call waits in
 * one process between rounds), or left as an SSE-era push.
 */
import { findInputPoints } from '../analysis/input-points.js';
import { INPUT_POINT_TEXT } from '../analysis/input-point-text.js';
import { isTestPath } from '../analysis/test-files.js';
import type { Strategy } from '../../transforms/types.js';
import { createProject, scriptKindFor, type FileMigration } from './migrate-file.js';

export interface AskForms {
  readonly nativeInHandler: number;
  /** Helpers that read their answer from the request and hand their question up. */
  readonly nativeHelper: number;
  readonly held: number;
  readonly leftUnchanged: number;
}

const NATIVE: ReadonlySet<Strategy> = new Set(['guard-first', 'one-round', 'multi-round', 'steps']);
/** A runtime ask as the run writes it: `askElicit('site', …)`, perhaps renamed against a clash. */
const HELD_ASK = /\bask(?:Elicit|Url|Sampling|Roots)\d*\(\s*['"`]/g;
/** A native helper's ask: `elicitAnswer(ctx, 'site', …)`. */
const NATIVE_HELPER_ASK = /\b(?:elicit|url|sampling|roots)Answer\d*\(\s*[\w$]+,\s*['"`]/g;

/**
 * `screened`: the text of a file the run read and kept (one that mentions an ask, a v1 import or a
 * registration); a file the screen dropped names no ask and is not read again here.
 */
export function countAskForms(
  files: readonly FileMigration[],
  screened: (file: string) => string | undefined,
): AskForms {
  let nativeInHandler = 0;
  let held = 0;
  let nativeHelper = 0;
  let leftUnchanged = 0;
  const project = createProject();
  for (const file of files) {
    // A handler's own asks in a loop or a sequence read their answer the way helpers do, in its body.
    let ownNative = 0;
    for (const handler of file.handlers) {
      if (NATIVE.has(handler.strategy)) nativeInHandler += handler.keys.length;
      ownNative += handler.nativeInHandler ?? 0;
    }
    nativeInHandler += ownNative;
    const text = file.status === 'changed' ? file.output : screened(file.path);
    if (text === undefined) continue;
    held += text.match(HELD_ASK)?.length ?? 0;
    nativeHelper += Math.max(0, (text.match(NATIVE_HELPER_ASK)?.length ?? 0) - ownNative);
    // A test's mocks are not asks; only files that still name an ask method are parsed.
    if (isTestPath(file.path) || !INPUT_POINT_TEXT.test(text)) continue;
    const sourceFile = project.createSourceFile(file.path, text, {
      overwrite: true,
      scriptKind: scriptKindFor(file.path),
    });
    leftUnchanged += findInputPoints(sourceFile).length;
    project.removeSourceFile(sourceFile);
  }
  return { nativeInHandler, nativeHelper, held, leftUnchanged };
}
