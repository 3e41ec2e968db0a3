/*! Regressions: watch --smaps auto on what a hostile board prints. The next capture's script
 * carries only whole numbers from the last one (PID:KIB in SMAPSAT); an Rss whose sum is beyond
 * 2^53 bytes (smaps prints up to 15 digits of kB per block) is still a bound the script takes,
 * never an internal error that stops watch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSmapsAuto, nextSmapsRequest, recordSmapsCapture } from '../../src/analyze/smaps-auto.js';
import { buildRemoteScript } from '../../src/collect/remote-script.js';
import { parseSmaps } from '../../src/parse/smaps.js';
import type { ParsedProcess } from '../../src/model/capture.js';

const block = (i: number, kb: string) =>
  `${(0x10000 + i * 0x1000).toString(16).padStart(8, '0')}-${(0x11000 + i * 0x1000).toString(16).padStart(8, '0')} rw-p 00000000 00:00 0\nRss: ${kb} kB\nPss: ${kb} kB\n`;

test('smaps auto: a process whose smaps blocks sum beyond 2^53 bytes of Rss gives a bound the next script takes', () => {
  const text = Array.from({ length: 20 }, (_, i) => block(i, '999999999999999')).join('');
  const p = { pid: 42, name: 'liar', smaps: parseSmaps(text, 'smaps') } as unknown as ParsedProcess;
  const st = newSmapsAuto(10, 4096);
  recordSmapsCapture(st, [p]);
  const ask = nextSmapsRequest(st);
  assert.equal(ask.full, false);
  const above = (ask as { above: { pid: number; kib: number }[] }).above;
  assert.equal(above.length, 1);
  assert.ok(Number.isSafeInteger(above[0]!.kib), `kib ${above[0]!.kib}`);
  const script = buildRemoteScript({ pids: [], names: [], all: true, smaps: false, cmdline: false, smapsAbove: above } as never, 'boundary-123456');
  assert.match(script, /^SMAPSAT='42:[0-9]+'$/m);
});

test('smaps auto: a board that sends sections of pid 0 gives no bound for it, and the next script is built', () => {
  const p = { pid: 0, name: 'swapper', smaps: parseSmaps(block(0, '8'), 'smaps') } as unknown as ParsedProcess;
  const q = { pid: 7, name: 'init', smaps: parseSmaps(block(0, '8'), 'smaps') } as unknown as ParsedProcess;
  const st = newSmapsAuto(10, 4096);
  recordSmapsCapture(st, [p, q]);
  const ask = nextSmapsRequest(st) as { full: false; above: { pid: number; kib: number }[] };
  assert.deepEqual(ask.above, [{ pid: 7, kib: 12 }]);
  assert.match(buildRemoteScript({ pids: [], names: [], all: true, smaps: false, cmdline: false, smapsAbove: ask.above } as never, 'boundary-123456'), /^SMAPSAT='7:12'$/m);
});
