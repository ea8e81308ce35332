/**
 * `no-push-request`: an SSE-era ask (a request pushed to the client) throws on 2026-07-28. Where
 * `mrtr-migrate` can rewrite the file on its own, the fix is its output; otherwise the message
 * says to run it, and why its output is not offered here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Rule } from 'eslint';
import { findAskReferences, findInputPoints, INPUT_POINT_TEXT } from '../analysis/input-points.js';
import { getRule } from '../diagnostics/rules.js';
import { carriesMarker } from '../engine/markers.js';
import { migrateNow, type FileFix } from './migrate-now.js';
import { projectFacts } from '../adapters/project-scope.js';
import { holdBackFor } from '../engine/hold-back.js';
import type { HoldBack } from '../../transforms/types.js';
import { isSkipped, locOf, parsedFile } from './parsed.js';
import { changedRange } from './changed-range.js';

const RUN_IT = 'run `npx mrtr-migrate {{file}}` (its report says more): {{reason}}';

export const noPushRequest: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow requests pushed to the client, which protocol revision 2026-07-28 removed' },
    fixable: 'code',
    schema: [],
    messages: {
      pushed: getRule('mrtr/unmigrated-ask').message,
      pushedRunTool: `${getRule('mrtr/unmigrated-ask').message}; ${RUN_IT}`,
      byReference: `${getRule('mrtr/ask-by-reference').message}; run \`npx mrtr-migrate {{file}}\``,
    },
  },
  create(context) {
    const code = context.sourceCode;
    if (isSkipped(context.filename) || !INPUT_POINT_TEXT.test(code.text)) return {};
    return {
      Program() {
        const file = parsedFile(context);
        const points = findInputPoints(file).filter((point) => !carriesMarker(point.call));
        const shown = shownPath(context.cwd, context.filename);
        if (points.length > 0) {
          const fix = migrationOf(context.filename, code.text);
          const range = 'output' in fix ? changedRange(code.text, fix.output) : undefined;
          for (const point of points) {
            context.report({
              loc: locOf(code, point.call.getStart(), point.call.getEnd()),
              ...(range
                ? { messageId: 'pushed', data: { kind: point.kind } }
                : { messageId: 'pushedRunTool', data: { kind: point.kind, file: shown, reason: reasonOf(fix) } }),
              fix: range ? (fixer) => fixer.replaceTextRange([range.start, range.end], range.text) : null,
            });
          }
        }
        for (const reference of findAskReferences(file)) {
          if (carriesMarker(reference.node)) continue;
          context.report({
            loc: locOf(code, reference.node.getStart(), reference.node.getEnd()),
            messageId: 'byReference',
            data: { method: reference.method, file: shown },
          });
        }
      },
    };
  },
};

const HELD_BACK: Readonly<Record<HoldBack, string>> = {
  'commonjs-v1': 'its server loads SDK v1 with require(), so a run on the project keeps these asks as written',
  framework: 'a framework builds its server on its own SDK, so a run on the project keeps these asks as written',
};

function migrationOf(filename: string, text: string): FileFix {
  if (!path.isAbsolute(filename) || !existsSync(filename)) return { reason: 'the file is not saved on disk' };
  // What the whole project decides is read here, without starting the engine: on this file alone the
  // engine could not see it.
  const heldBack = holdBackFor(text, projectFacts(filename));
  if (heldBack) return { reason: HELD_BACK[heldBack] };
  return migrateNow({ file: filename, text });
}

function reasonOf(fix: FileFix): string {
  return 'reason' in fix ? fix.reason : 'its output is this text';
}

/** The file as the user would type it: relative to where ESLint runs, unless it lies outside. */
function shownPath(cwd: string, filename: string): string {
  const relative = path.relative(cwd, filename);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filename;
}
