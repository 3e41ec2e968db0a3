/*! `npm run bench`: mapsdiff against tools an engineer already has, on the same files in
 * the same run, printed as ratios (never asserted): parse + classify of a generated
 * 100k-VMA capture against `wc -l` and GNU `diff`; compare of two such captures against
 * GNU `diff` and the original seed script (python3 + pandas), with peak memory; SSH capture;
 * `serve` answering 50 targets at once (bench/fleet.ts); start-up against `node -e ''` (bench/startup.ts); the CLI compare
 * (bench/compare.ts; BENCH_ONLY=compare runs only that); trend over a long series (bench/trend-long.ts;
 * BENCH_ONLY=trend-long runs only that); `capture --all` on the qemu board against a bare ssh cat
 * (bench/board-capture.ts; BENCH_ONLY=board-capture runs only that); the store (bench/store.ts; BENCH_ONLY=store); the board-side cost of each smaps mode on the qemu board
 * (bench/smaps-cost.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMaps } from '../src/parse/maps.js';
import { classify } from '../src/analyze/classify.js';
import { compareReports } from '../src/analyze/compare.js';
import { generate, grow, render } from './gen-maps.js';
import { ms, peakRssMiB, ratio, timeCmd, timeFn } from './measure.js';
import { repoRootDir } from './paths.js';
import { benchSsh } from './ssh.js';
import { benchConsole } from './console.js';
import { trendBench } from './trend.js';
import { trendLongBench } from './trend-long.js';
import { storeBench } from './store.js';
import { benchFleet } from './fleet.js';
import { benchSmapsCost } from './smaps-cost.js';
import { startupBench } from './startup.js';
import { benchBoardCapture } from './board-capture.js';
import { compareBench, reportOfFile } from './compare.js';

if (process.env.BENCH_ONLY === 'compare') {
  compareBench(); // the compare figures alone, without the rest of the bench
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'board-capture') {
  await benchBoardCapture(Number(process.env.BENCH_RUNS ?? 8)); // capture --all on the qemu board against a bare ssh cat, alone
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'store') {
  storeBench(); // compare latest~1 latest on 10,000 snapshots against 2, and a snapshot's size, alone
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'trend-long') {
  trendLongBench(); // 1,000, 10,000 and 20,000 captures of one process, alone
  process.exit(0);
}

const N = Number(process.env.BENCH_VMAS ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-'));
const before = generate(N);
const a = path.join(dir, 'a.maps');
const b = path.join(dir, 'b.maps');
const textA = render(before);
const textB = render(grow(before));
fs.writeFileSync(a, textA);
fs.writeFileSync(b, textB);
console.log(`mapsdiff bench: ${before.length} VMAs, ${(textA.length / 1e6).toFixed(1)} MB per capture (node ${process.version}, ${os.cpus().length} cpus)`);

const wc = timeCmd('wc', ['-l', a]);
const diff = timeCmd('diff', [a, b]);
const parseClassify = timeFn(() => classify(parseMaps(fs.readFileSync(a, 'utf8'), { source: a }).vmas, { arenaSize: 2 ** 20 }));
console.log(`parse+classify one capture  ${ms(parseClassify)}   vs wc -l ${ms(wc)}: ${ratio(parseClassify, wc)}   vs GNU diff a b ${ms(diff)}: ${ratio(parseClassify, diff)}`);

let changed = 0;
const compare = timeFn(() => {
  const r = compareReports(reportOfFile(a, 'a'), reportOfFile(b, 'b'));
  changed = r.processes[0]!.diff.regions.filter((d) => d.status !== 'same').length;
}, 3);
console.log(`compare a b (read, parse, classify, match, diff)  ${ms(compare)}   vs GNU diff a b: ${ratio(compare, diff)}   (${changed} regions changed)`);

const seed = path.join(repoRootDir, '..', 'shared', 'bench', 'seed_script.py');
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const seedRun = fs.existsSync(seed) ? timeCmd(python, [seed, a], 3, true) : null;
console.log(seedRun === null
  ? `seed script: not run (needs ${seed} and Debian's python3-pandas: apt-get install python3-pandas)`
  : `seed script on a (one capture, no compare)  ${ms(seedRun)}   mapsdiff parse+classify of the same file: ${ratio(parseClassify, seedRun)} of its time; compare of two: ${ratio(compare, seedRun)}`);
console.log(`peak RSS of this process ${peakRssMiB()}`);
fs.rmSync(dir, { recursive: true, force: true });
compareBench();
trendBench();
trendLongBench();
storeBench();
startupBench();

await benchSsh();
await benchFleet();
await benchConsole();
await benchSmapsCost();
await benchBoardCapture();
