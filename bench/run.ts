/*! `npm run bench`: parse + classify of a generated 100k-VMA capture, against `wc -l`
 * and GNU `diff` on the same file in the same run, printed as ratios. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMaps } from '../src/parse/maps.js';
import { classify } from '../src/analyze/classify.js';
import { generate, grow, render } from './gen-maps.js';
import { ms, peakRssMiB, ratio, timeCmd, timeFn } from './measure.js';

const N = Number(process.env.BENCH_VMAS ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-'));
const before = generate(N);
const a = path.join(dir, 'a.maps');
const b = path.join(dir, 'b.maps');
const textA = render(before);
fs.writeFileSync(a, textA);
fs.writeFileSync(b, render(grow(before)));
console.log(`mapsdiff bench: ${before.length} VMAs, ${(textA.length / 1e6).toFixed(1)} MB per capture (node ${process.version}, ${os.cpus().length} cpus)`);

const parseClassify = timeFn(() => classify(parseMaps(fs.readFileSync(a, 'utf8'), { source: a }).vmas, { arenaSize: 1n << 20n }));
const wc = timeCmd('wc', ['-l', a]);
const diff = timeCmd('diff', [a, b]);
console.log(`parse+classify  ${ms(parseClassify)}   wc -l ${ms(wc)} (${ratio(parseClassify, wc)})   GNU diff a b ${ms(diff)} (${ratio(parseClassify, diff)})`);
console.log(`peak RSS ${peakRssMiB()}`);
fs.rmSync(dir, { recursive: true, force: true });
