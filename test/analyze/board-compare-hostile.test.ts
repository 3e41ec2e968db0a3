/*! Regressions: compare's board section on what a hostile board prints: absurd meminfo numbers,
 * negative or non-numeric values, missing keys, tmpfs mount points and slab cache names with
 * control and bidi characters, thousands of caches. No throw, nothing raw on the terminal, JSON
 * whose every number is finite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports } from '../../src/analyze/compare.js';
import { renderCompareText } from '../../src/render/compare-text.js';
import { renderCompareJson } from '../../src/render/compare-json.js';
import type { CompareResult } from '../../src/model/compare.js';
import { boardReport, CAMERA, dump, moved, type BoardSpec } from './board-helpers.js';

const plain = { bold: (s: string) => s, dim: (s: string) => s, warn: (s: string) => s, bad: (s: string) => s, good: (s: string) => s, kind: (s: string) => s } as never;
const pair = (a: BoardSpec, b: BoardSpec): CompareResult => compareReports(boardReport('t0', 1000, a), boardReport('t1', 1600, b));
const text = (r: CompareResult) => renderCompareText({ result: r, regions: () => [] }, plain);
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function finite(v: unknown, at = '$'): void {
  if (typeof v === 'number') assert.ok(Number.isFinite(v), `${at} is ${v}`);
  else if (Array.isArray(v)) v.forEach((x, i) => finite(x, `${at}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) finite(x, `${at}.${k}`);
}
function check(r: CompareResult): void {
  const t = text(r);
  assert.doesNotMatch(t, RAW, 'a control or bidi character reached the terminal');
  finite(r.board); // before JSON, where NaN would hide as null
  const j = JSON.parse(renderCompareJson({ result: r, regions: () => [] }));
  finite(j);
  assert.doesNotMatch(t, /NaN|Infinity/);
}

const EVIL = '/dev/shm/\u001b[31mred\u202eevil\u0007';
test('compare board: tmpfs mount points and slab cache names with control and bidi characters are escaped', () => {
  const a: BoardSpec = { meminfo: dump(CAMERA), slab: { ['kmalloc\u001b[2J\u202e']: { objs: 10, size: 512 } }, tmpfs: { [EVIL]: 10 } };
  const b: BoardSpec = { meminfo: moved(dump(CAMERA), { Shmem: 4096, Slab: 4096, MemFree: -8192 }), slab: { ['kmalloc\u001b[2J\u202e']: { objs: 9000, size: 512 } }, tmpfs: { [EVIL]: 4106 } };
  const r = pair(a, b);
  assert.ok(r.board, 'the board section is there');
  check(r);
});

test('compare board: meminfo values of 10^20 kB and a MemTotal of 0 do not throw and give finite JSON', () => {
  // the parser refuses a negative or non-numeric value (a ParseError naming the line); 20 digits is what it takes
  const huge = dump(CAMERA).replace(/^(AnonPages:\s+)\d+/m, '$1' + '9'.repeat(20)).replace(/^(Shmem:\s+)\d+/m, '$1' + '9'.repeat(19));
  const zero = dump(CAMERA).replace(/^(MemTotal:\s+)\d+/m, (_m: string, k: string) => k + '0');
  for (const [x, y] of [[dump(CAMERA), huge], [huge, dump(CAMERA)], [huge, huge], [zero, huge], [huge, zero], [zero, zero]] as const) check(pair({ meminfo: x }, { meminfo: y }));
});

test('compare board: a meminfo without MemTotal or without most keys on one side', () => {
  const none = dump(CAMERA).replace(/^MemTotal:.*\n/m, '');
  const few = dump(CAMERA).split('\n').slice(0, 3).join('\n') + '\n';
  for (const m of [none, few]) { check(pair({ meminfo: dump(CAMERA) }, { meminfo: m })); check(pair({ meminfo: m }, { meminfo: dump(CAMERA) })); }
});

test('compare board: 20,000 slab caches, every one moved', () => {
  const slab = (n: number) => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`cache-${i}`, { objs: n + i, size: 64 }]));
  const r = pair({ meminfo: dump(CAMERA), slab: slab(100) }, { meminfo: moved(dump(CAMERA), { Slab: 5000, MemFree: -5000 }), slab: slab(200) });
  check(r);
  assert.ok(r.board!.slab.length <= 20_000);
});
