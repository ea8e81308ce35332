/**
 * Runs one command in its own process group and reports its wall time and the peak resident
 * memory of the whole group (workers included), sampled from /proc.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Measurement {
  readonly seconds: number;
  readonly peakMegabytes: number;
  readonly exitCode: number | null;
}

function groupRss(pgid: number): number {
  let kilobytes = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 5 (after the parenthesised name) is the process group id.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      kilobytes += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return kilobytes / 1024;
}

/** `okCodes`: the exit codes that mean the tool ran (the official codemod exits 1 on diagnostics). */
export function measure(
  command: string,
  args: readonly string[],
  cwd: string,
  okCodes: readonly number[] = [0],
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + String(chunk)).slice(-4000);
    });
    let peak = 0;
    const timer = setInterval(() => {
      if (child.pid) peak = Math.max(peak, groupRss(child.pid));
    }, 25);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === null || !okCodes.includes(code))
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-1000)}`));
      else resolve({ seconds, peakMegabytes: Math.round(peak), exitCode: code });
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
