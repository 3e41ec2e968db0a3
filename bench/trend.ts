/*! `npm run bench`, trend part: `trend` over 500 captures of a 500-VMA process and over 50
 * captures of a 20k-VMA one, read from a store on disk (load, parse, classify, match, judge,
 * render), with time and peak RSS. Each is measured in a fresh node process so its peak is
 * its own; the stores are built beforehand by this process (not timed). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { SnapshotStore } from '../src/store/store.js';
import { parseCapture } from '../src/parse/index.js';
import type { RawSection } from '../src/model/capture.js';
import { runTrend } from '../src/cli/commands/trend.js';
import { renderTrendText } from '../src/render/trend-text.js';
import { makePaint } from '../src/render/paint.js';
import { generate, grow, render, type GenVma } from './gen-maps.js';
import { peakRssMiB } from './measure.js';

const here = fileURLToPath(import.meta.url);
const CASES: Array<[captures: number, vmas: number]> = [[500, 500], [50, 20_000]];

/** Builds a store of `captures` snapshots of one process with about `vmas` VMAs that grows every fifth capture. */
function buildStore(dir: string, captures: number, vmas: number): void {
  const store = new SnapshotStore(dir);
  let cur: GenVma[] = generate(vmas);
  for (let i = 0; i < captures; i++) {
    if (i > 0 && i % 5 === 0) cur = grow(cur, i);
    const sections: RawSection[] = [
      { name: 'uptime', status: 'ok', text: `${1000 + i * 60}.00 10.00\n` },
      { name: 'stat', pid: 1, status: 'ok', text: '1 (app) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1234 100 4294967295\n' },
      { name: 'maps', pid: 1, status: 'ok', text: render(cur) },
    ];
    const parsed = parseCapture({ sections }, { source: `bench ${i}` });
    const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    store.save({ target: 'bench', capturedAt: at, tool: { name: 'mapsdiff', version: 'bench' }, via: 'import', lenient: false }, sections, `t${i}`);
  }
}

/** In the child: one timed trend over the store, printed as one line. */
function measure(dir: string, captures: number, vmas: number): void {
  const t = performance.now();
  const result = runTrend(new SnapshotStore(dir), { names: [] });
  const text = renderTrendText(result, makePaint(false));
  const ms = performance.now() - t;
  const p = result.processes[0]!;
  console.log(`trend ${captures} captures x ${vmas} VMAs (load, parse, classify, match, judge, render)  ${ms.toFixed(0)} ms` +
    ` (${(ms / captures).toFixed(1)} ms/capture)   peak RSS ${peakRssMiB()}   verdict ${p.verdict}, ${p.entries.length} entries, ${p.stableRegions} stable regions, ${text.length} B of text`);
}

export function trendBench(): void {
  for (const [captures, vmas] of CASES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-trend-'));
    try {
      buildStore(dir, captures, vmas);
      const r = spawnSync(process.execPath, [here, dir, String(captures), String(vmas)], { stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) console.log(`trend ${captures} x ${vmas}: the measuring process failed (status ${r.status})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] === here && process.argv.length === 5) measure(process.argv[2]!, Number(process.argv[3]), Number(process.argv[4]));
