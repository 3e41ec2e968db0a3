/*! `npm run bench`, long-series part: `trend` (load, parse, classify, match, judge, render)
 * over 1,000, 10,000 and 20,000 captures of one 300-VMA process, read from a store on disk, with wall
 * time and peak RSS, each in a fresh node process so its peak is its own. The goal (issue 15):
 * 10,000 captures in under 3 s, with a peak that does not grow with the series (the series runs with
 * V8's young generation kept at its size, cli/series.ts; the index read a line at a time, store/index-file.ts;
 * every curve judged in one scratch memory, analyze/runs Float64Scratch; the series keeps a name a
 * capture, not its header, and the listing makes each header only while that snapshot is read; what
 * still grows from 1,000 to 20,000 is the listing's rows (~165 B a snapshot), the names, the curves'
 * points, and old-generation garbage no full GC has yet reclaimed). The stores are
 * written beforehand, untimed, the way `save` leaves them (files and their index). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { SnapshotStore } from '../src/store/store.js';
import { encodeSnapshot } from '../src/store/file-format.js';
import type { RawSection } from '../src/model/capture.js';
import { runTrend } from '../src/cli/commands/trend.js';
import { renderTrendText } from '../src/render/trend-text.js';
import { makePaint } from '../src/render/paint.js';
import { generate, render } from './gen-maps.js';
import { peakRssMiB } from './measure.js';

const here = fileURLToPath(import.meta.url);
const VMAS = 300;
const PAGE = 4096;

/** `captures` snapshots of one process: its heap grows a page every tenth capture (a slow
 * leak), a 1 MiB anonymous block is mapped for 20 captures in every 100, everything else
 * stays (so about one capture in eight has maps that differ from the one before); uptime,
 * meminfo, stat, status (VmRSS moves every capture) and maps, as a capture of one process carries them. */
export function writeStore(dir: string, captures: number): void {
  const snaps = path.join(dir, 'snapshots');
  fs.mkdirSync(snaps, { recursive: true });
  const base = generate(VMAS);
  const heap = base.findIndex((v) => v.path === '[heap]');
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < captures; i++) {
    const vmas = base.map((v) => ({ ...v }));
    vmas[heap]!.end += PAGE * Math.floor(i / 10);
    const top = base[base.length - 1]!.end + 16 * PAGE;
    if (i % 100 >= 80) vmas.push({ start: top, end: top + 256 * PAGE, perms: 'rw-p', offset: 0, dev: '00:00', inode: 0, path: '' });
    const sections: RawSection[] = [
      { name: 'uptime', status: 'ok', text: `${1000 + i * 60}.00 10.00\n` },
      { name: 'meminfo', status: 'ok', text: `MemTotal:       262144 kB\nMemFree:        100000 kB\nMemAvailable:   ${150000 - (i % 7)} kB\n` },
      { name: 'stat', pid: 1, status: 'ok', text: '1 (app) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 3 0 100 1234 100 4294967295\n' },
      { name: 'status', pid: 1, status: 'ok', text: `Name:\tapp\nPid:\t1\nVmRSS:\t${20000 + Math.floor(i / 10) * 4} kB\nThreads:\t3\n` },
      { name: 'maps', pid: 1, status: 'ok', text: render(vmas) },
    ];
    const meta = { name: `t${i}`, target: 'bench', capturedAt: new Date(t0 + i * 60_000).toISOString(), tool: { name: 'mapsdiff' as const, version: 'bench' }, via: 'import' as const, lenient: false };
    fs.writeFileSync(path.join(snaps, `t${i}.json`), encodeSnapshot(meta, sections));
  }
  new SnapshotStore(dir).list(); // builds the index, as saving them one by one would have
}

/** In the child: one timed trend over the store, printed as one line. */
function measure(dir: string, captures: number): void {
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const result = runTrend(new SnapshotStore(dir), { names: [] });
  const text = renderTrendText(result, makePaint(false));
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const p = result.processes[0]!;
  // where the peak went: V8's young generation (kept at its size during a series) and the rest of its heap
  const space = (name: string) => v8.getHeapSpaceStatistics().find((x) => x.space_name === name)?.space_size ?? 0;
  const heap = v8.getHeapStatistics().total_heap_size;
  const mib = (b: number) => (b / 1048576).toFixed(0);
  console.log(`trend ${captures} captures x ${VMAS} VMAs  ${ms.toFixed(0)} ms (${(ms / captures).toFixed(2)} ms/capture; CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)   peak RSS ${peakRssMiB()}` +
    ` (heap ${mib(heap)} MiB: new space ${mib(space('new_space'))}, the rest ${mib(heap - space('new_space'))})   verdict ${p.verdict}, ${p.entries.length} entries, ${text.length} B of text`);
}

export function trendLongBench(): void {
  const peaks: [number, number][] = [];
  for (const captures of [1_000, 10_000, 20_000]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-trend-long-'));
    try {
      writeStore(dir, captures);
      const r = spawnSync(process.execPath, [here, dir, String(captures)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
      process.stdout.write(r.stdout);
      if (r.status !== 0) console.log(`trend ${captures} x ${VMAS}: the measuring process failed (status ${r.status})`);
      const peak = /peak RSS (\d+) MiB/.exec(r.stdout);
      if (peak) peaks.push([captures, Number(peak[1])]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  // the growth the goal is about, in one line: the longest series' peak over the shortest's
  if (peaks.length === 3) {
    const [first, , last] = peaks as [[number, number], [number, number], [number, number]];
    console.log(`trend peak RSS ${peaks.map(([n, mib]) => `${n / 1000}k ${mib} MiB`).join(', ')}: growth ${last[0] / 1000}k/${first[0] / 1000}k ${(last[1] / first[1]).toFixed(2)}x`);
  }
  console.log('goal (issue 15): 10,000 captures under 3 s; peak RSS at 20,000 within ~10% of that at 1,000 (growth at most 1.10x)');
}

if (process.argv[1] === here && process.argv.length === 4) measure(process.argv[2]!, Number(process.argv[3]));
if (process.argv[1] === here && process.argv.length === 2) trendLongBench();
