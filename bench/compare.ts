/*! `npm run bench`, compare part (alone: BENCH_ONLY=compare): `mapsdiff compare A B` as a user
 * runs it (a fresh process, snapshots read from a store, the text written out) on two generated
 * 100k-VMA captures against GNU `diff` of the same raw files, with the command's peak RSS; and
 * on two 500-VMA captures against `node -e ''` (how much of it is start-up), and against the big
 * pair's GNU diff (the floor of any CLI compare: start-up and a small compare already cost that). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCapture } from '../src/parse/index.js';
import { buildReport } from '../src/analyze/report.js';
import { compareReports } from '../src/analyze/compare.js';
import type { SnapshotMeta } from '../src/model/snapshot.js';
import type { SnapshotReport } from '../src/model/report.js';
import { generate, grow, render } from './gen-maps.js';
import { ms, ratio, timeCmd, timeFn } from './measure.js';
import { repoRootDir } from './paths.js';

const bin = path.join(repoRootDir, 'bin', 'mapsdiff.js');
const wrap = path.join(repoRootDir, 'dist', 'bench', 'peak-rss.js');

/** Best wall time (ms) and the largest peak RSS (MiB) of `runs` runs of the CLI. */
function timeCli(args: string[], runs: number): { ms: number; rssMiB: number } {
  const rssFile = path.join(os.tmpdir(), `mapsdiff-bench-rss-${process.pid}`);
  let best = Infinity;
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [wrap, bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', MAPSDIFF_BENCH_RSS: rssFile } });
    const took = performance.now() - t;
    if (r.status !== 0) throw new Error(`mapsdiff ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    best = Math.min(best, took);
    rss = Math.max(rss, Number(fs.readFileSync(rssFile, 'utf8')) / 1024);
  }
  fs.rmSync(rssFile, { force: true });
  return { ms: best, rssMiB: rss };
}

function pair(dir: string, count: number): { a: string; b: string; store: string } {
  const before = generate(count);
  const a = path.join(dir, `a${count}.maps`);
  const b = path.join(dir, `b${count}.maps`);
  fs.writeFileSync(a, render(before));
  fs.writeFileSync(b, render(grow(before)));
  const store = path.join(dir, `store${count}`);
  for (const [f, name] of [[a, 'a'], [b, 'b']] as const) {
    const r = spawnSync(process.execPath, [bin, '--store', store, 'import', f, '--pid', '1', '--target', 'bench', '--name', name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import ${f}: ${r.stderr}`);
  }
  return { a, b, store };
}

/** One maps file read and reported as the CLI's compare reads a snapshot: each VMA made with room
 * for its kind and owner, and the report taking them over (no copy a VMA). */
export function reportOfFile(file: string, name: string): SnapshotReport {
  const meta: SnapshotMeta = { name, target: 'bench', capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff', version: 'bench' }, via: 'import', lenient: false };
  return buildReport(meta, parseCapture({ sections: [{ name: 'maps', pid: 1, status: 'ok', text: fs.readFileSync(file, 'utf8') }] }, { source: file, room: true }), { consume: true });
}

export function compareBench(count = Number(process.env.BENCH_VMAS ?? 100_000)): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-cmp-'));
  try {
    const big = pair(dir, count);
    const diff = timeCmd('diff', [big.a, big.b], 5);
    const cpu0 = process.cpuUsage();
    const inProcess = timeFn(() => compareReports(reportOfFile(big.a, 'a'), reportOfFile(big.b, 'b')), 3);
    const cpu = process.cpuUsage(cpu0);
    console.log(`compare a b in this process (read, parse, classify, match, diff)  ${ms(inProcess)}   vs GNU diff a b ${ms(diff)}: ${ratio(inProcess, diff)}   (CPU ${ms((cpu.user + cpu.system) / 3000)} a run)`);
    // node's own start-up is part of every CLI run and of no diff: said beside the CLI's ratio
    const node = timeCmd(process.execPath, ['-e', ''], 5) ?? 0;
    for (const extra of [[], ['--json']]) {
      const run = timeCli(['--store', big.store, 'compare', 'a', 'b', ...extra], 3);
      console.log(`mapsdiff compare a b ${extra.join(' ')} (CLI, ${count} VMAs, from the store)  ${ms(run.ms)}   vs GNU diff a b ${ms(diff)}: ${ratio(run.ms, diff)}   peak RSS ${run.rssMiB.toFixed(0)} MiB` +
        `   (node -e '' alone ${ms(node)}: ${ratio(node, diff)}; beyond it ${ms(run.ms - node)}: ${ratio(run.ms - node, diff)})`);
    }
    const small = pair(dir, 500);
    const run = timeCli(['--store', small.store, 'compare', 'a', 'b'], 5);
    const version = timeCli(['--version'], 5);
    console.log(`mapsdiff compare a b (CLI, 500 VMAs)  ${ms(run.ms)}   vs node -e '' ${ms(node)}: ${ratio(run.ms, node)}   (--version ${ms(version.ms)}: ${ratio(version.ms, node)}; the compare beyond --version ${ms(run.ms - version.ms)})`);
    // what every CLI compare pays before its captures' size counts, against the big pair's diff (issue 15's 3x)
    console.log(`  the same 500-VMA compare vs GNU diff of the ${count}-VMA pair: ${ratio(run.ms, diff)} (a CLI compare's floor, whatever its captures hold)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
