/*! Timing helpers for the benchmark: best-of-N wall time of a function or a command in
 * this same process, and peak RSS. Ratios, not absolute times, are what we report. */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export function timeFn(fn: () => unknown, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Best wall time of a command (ms); null when the command is not on this machine. */
export function timeCmd(cmd: string, args: string[], runs = 5, mustSucceed = false): number | null {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.error || (mustSucceed && r.status !== 0)) return null;
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
export const ratio = (a: number, b: number | null): string => (b === null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
export const peakRssMiB = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
