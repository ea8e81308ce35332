/** What a migrate run prints on the terminal besides the findings: progress, and the closing line. */
import type { MigrationResult } from '../engine/migrate.js';
import { allDiagnostics, isFlag, summarize } from '../report/summary.js';
import type { Streams } from './streams.js';

/** `[120/5000] src/foo.ts` on a terminal's stderr, for runs long enough to need it. */
export function progressLine(
  streams: Streams,
  silent: boolean,
): { update: (done: number, total: number, file: string) => void; done: () => void } {
  const enabled = !silent && Boolean(streams.stderr.isTTY);
  let shown = false;
  let last = 0;
  return {
    update(done, total, file) {
      if (!enabled || total < 50) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      streams.stderr.write(`\r\u001b[2K[${done}/${total}] ${file}`.slice(0, 200));
    },
    done() {
      if (shown) streams.stderr.write('\r\u001b[2K');
    },
  };
}

export function skipReasons(result: MigrationResult): string {
  const reasons = Object.entries(result.discovery.skipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} skipped by ${reason}`);
  return reasons.length > 0
    ? ` (${reasons.join(', ')})`
    : ' (no .ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs files there)';
}

export function summaryLine(result: MigrationResult, wrote: boolean): string {
  const s = summarize(result);
  const handlers = Object.values(s.handlersByStrategy).reduce((a, b) => a + b, 0);
  const left = s.handlersByStrategy['left-unchanged'] ?? 0;
  const flags = allDiagnostics(result).filter(isFlag).length;
  const risk = Object.entries(s.handlersByRisk)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  return (
    `mrtr-migrate: ${s.filesScanned} files scanned, ${s.filesChanged} ${wrote ? 'changed' : 'would change'}, ` +
    `${s.filesErrored} errored; ` +
    `${handlers - left} handlers rewritten, ${left} left unchanged${risk ? ` (${risk})` : ''}; ${flags} flags`
  );
}
