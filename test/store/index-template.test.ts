/*! Reading the index through templates (issue 15: `compare latest~1 latest` with 10,000
 * snapshots spent most of its extra time in JSON.parse of every index line). A line read through
 * a template must give exactly what JSON.parse of it would: checked here against the reading it
 * replaced, on indexes made to trip it (mutated lines, escapes, other key orders, many targets,
 * non-ASCII text, dates Date.parse refuses). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readIndex } from '../../src/store/index-file.js';
import { ISO_TIME, timeCode, timeText } from '../../src/store/index-template.js';
import { metaProblem } from '../../src/store/snapshot-shape.js';
import v8 from 'node:v8';
import vm from 'node:vm';

/** The reading before templates: every line JSON.parse'd, checked, keyed as readIndex keys it. */
function reference(text: string): Map<string, { seq: number; json: string }> {
  const out = new Map<string, { seq: number; json: string }>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, seq) => {
    let r: { f?: unknown; meta?: unknown; gone?: unknown };
    try { r = JSON.parse(line) as typeof r; } catch { return; }
    if (typeof r !== 'object' || r === null || typeof r.f !== 'string' || !r.f.endsWith('.json')) return;
    const f = r.f;
    if (r.gone === true) { out.delete(f.slice(0, -5)); return; }
    if (metaProblem(r.meta) !== null) return;
    const m = r.meta as { name: string };
    const own = f === m.name + '.json';
    out.set(own ? m.name : f.slice(0, -5), { seq, json: JSON.stringify(r.meta) });
  });
  return out;
}

function read(text: string): Map<string, { seq: number; json: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-tpl-'));
  try {
    fs.writeFileSync(path.join(dir, 'index.jsonl'), text);
    const out = new Map<string, { seq: number; json: string }>();
    const rows = readIndex(dir);
    for (const [f, row] of rows.byFile) out.set(f.slice(0, -5), { seq: rows.seqs[row]!, json: JSON.stringify(rows.meta(row)) });
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A small deterministic generator (xorshift), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 2 ** 32; };
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 61_000).toISOString();

function line(rand: () => number, i: number, targets: string[]): string {
  const target = targets[Math.floor(rand() * targets.length)]!;
  const meta: Record<string, unknown> = { name: `t${i}`, target, capturedAt: at(i), tool: { name: 'mapsdiff', version: '0.1.0' }, via: 'ssh', lenient: false };
  if (rand() < 0.5) meta.startedAt = at(i - 1);
  if (rand() < 0.3) meta.smaps = { mode: 'rollup', read: rand() < 0.5 ? [] : [1, 2] };
  return JSON.stringify({ f: `t${i}.json`, meta });
}

/** One change a hostile or damaged store could hold, to a line JSON.stringify wrote. */
function mutate(rand: () => number, l: string): string {
  const pick = Math.floor(rand() * 15);
  const swap = (re: RegExp, to: string) => l.replace(re, to);
  switch (pick) {
    case 0: return swap(/"capturedAt":"2026-01/, '"capturedAt":"2026-13'); // a month Date.parse refuses
    case 1: return swap(/T(\d\d):/, 'T24:'); // hour 24: Date.parse takes 24:00 only
    case 2: return swap(/"name":"t/, '"name":"\\u0074'); // the same name, escaped
    case 3: return swap(/"f":"t/, '"f":"\\u0074'); // the same file, escaped
    case 4: return swap(/"name":"t(\d+)"/, '"name":"u$1"'); // a file renamed by hand
    case 5: return swap(/"capturedAt":"([^"]*)"/, '"capturedAt": "$1"'); // not what JSON.stringify writes
    case 6: return swap(/"target":"([^"]*)"/, '"target":"$1é"'); // not ASCII
    case 7: return swap(/"via":"ssh"/, '"via":"carrier-pigeon"');
    case 8: return swap(/Z"/, 'Z\\""'); // an escaped quote after the time
    case 9: return l.slice(0, Math.floor(rand() * l.length)); // cut short
    case 10: return l + ' ';
    case 11: return swap(/"capturedAt":"\d{4}/, '"capturedAt":"+02026'); // an expanded year
    case 12: return JSON.stringify({ f: JSON.parse(l).f, gone: true });
    case 13: return swap(/"lenient":false/, '"lenient":false,"\\u0000s":"2026-01-01T00:00:00.000Z"'); // a key spelled as a template's mark
    default: return swap(/"tool":\{"name":"mapsdiff","version":"0.1.0"\}/, '"tool":{"name":"mapsdiff","version":"0.1.1"}');
  }
}

test('an index read through templates gives what JSON.parse of every line gives: 40 indexes of mutated, interleaved, non-ASCII lines', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = rng(seed);
    const targets = Array.from({ length: 1 + (seed % 12) }, (_, k) => (k === 3 ? 'bö@host' : `board${k}`)); // more than the 8 templates kept
    const lines: string[] = [];
    const n = 300 + Math.floor(rand() * 1500); // some indexes span several 64 KiB blocks
    for (let i = 0; i < n; i++) {
      const l = line(rand, Math.floor(rand() * n * 0.8), targets); // some names written again
      lines.push(rand() < 0.15 ? mutate(rand, l) : l);
    }
    const text = lines.join('\n') + (seed % 3 === 0 ? '' : '\n');
    const want = reference(text);
    const got = read(text);
    assert.equal(got.size, want.size, `seed ${seed}: as many records`);
    for (const [k, v] of want) assert.deepEqual(got.get(k), v, `seed ${seed}: ${k}`);
  }
});

/** read(text), and how many times JSON.parse was called while it ran. */
function readCounting(text: string): { got: Map<string, { seq: number; json: string }>; calls: number } {
  const parse = JSON.parse;
  let calls = 0;
  JSON.parse = ((s: string, r?: never) => { calls++; return parse(s, r); }) as typeof JSON.parse;
  try {
    return { got: read(text), calls };
  } finally {
    JSON.parse = parse;
  }
}

test('regression: an index of one target\'s 3,000 captures is read with a JSON.parse for its first line and each line split between two 64 KiB reads, not one a line', () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(line(() => 0.99, i, ['board1'])); // no startedAt, no smaps: one template
  const text = lines.join('\n') + '\n';
  const { got, calls } = readCounting(text);
  assert.equal(got.size, 3000);
  assert.deepEqual(got, reference(text), 'and the same records');
  const blocks = Math.ceil(Buffer.byteLength(text) / 65536);
  assert.ok(calls <= 1 + blocks, `JSON.parse was called ${calls} times for 3,000 lines of one template in ${blocks} blocks`);
});

test('regression: an index padded with empty and blank lines (100,000 of them among its records) is read without a JSON.parse for any of them, and gives the records a JSON.parse of every line gives', () => {
  const lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    lines.push(line(() => 0.99, i, ['board1']));
    for (let k = 0; k < 2000; k++) lines.push(k % 3 === 0 ? ' \t\r' : '');
  }
  lines.push('   ' + line(() => 0.99, 50, ['board1'])); // JSON.parse skips leading blanks: so must the reading
  const text = lines.join('\n') + '\n';
  const { got, calls } = readCounting(text);
  assert.deepEqual(got, reference(text), 'the same records as a JSON.parse of every line');
  assert.equal(got.size, 51);
  assert.ok(calls < 200, `JSON.parse was called ${calls} times for 100,000 blank lines and 51 records`);
});

test('every time the template reading takes unparsed is one Date.parse reads as a number (metaProblem\'s test of capturedAt)', () => {
  let walked = 0;
  for (const year of ['0000', '1970', '2026', '9999']) {
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= 31; day++) {
        for (const time of ['00:00:00', '23:59:59', '12:30:00']) {
          for (const frac of ['.000', '.123', '.999']) {
            const s = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}${frac}Z`;
            assert.ok(ISO_TIME.test(s), s);
            assert.ok(Number.isFinite(Date.parse(s)), `${s} matches the pattern, so Date.parse must read it`);
            assert.equal(timeText(timeCode(s, 0)), s, 'its code gives its text back');
            walked++;
          }
        }
      }
    }
  }
  assert.equal(walked, 4 * 12 * 31 * 3 * 3);
  for (const s of ['2026-13-01T00:00:00.000Z', '2026-01-32T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T00:60:00.000Z', '+02026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.1234Z', '2026-01-01T00:00:00.000']) {
    assert.equal(ISO_TIME.test(s), false, `${s}: read by JSON.parse and metaProblem instead`);
  }
});

test('two times in timeCode are in the order their texts are (list sorts by the codes where it has them, by text where not)', () => {
  const rand = rng(7);
  const p = (v: number, w = 2) => String(v).padStart(w, '0');
  const any = () => `${p(Math.floor(rand() * 3) + 2025, 4)}-${p(Math.floor(rand() * 12) + 1)}-${p(Math.floor(rand() * 31) + 1)}T${p(Math.floor(rand() * 24))}:${p(Math.floor(rand() * 60))}:${p(Math.floor(rand() * 60))}.${p(Math.floor(rand() * 1000), 3)}Z`;
  const times = Array.from({ length: 2000 }, any);
  times.push('0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', times[5]!);
  for (let i = 1; i < times.length; i++) {
    const [a, b] = [times[i - 1]!, times[i]!];
    assert.equal(Math.sign(timeCode(a, 0) - timeCode(b, 0)), a < b ? -1 : a > b ? 1 : 0, `${a} vs ${b}`);
    assert.equal(timeText(timeCode(a, 0)), a);
  }
});

test('regression: a capture time made from its code is one flat string, not a rope of its parts (trend over 20,000 captures held ~300 B of heap a time for 40 B of text)', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const used = () => { gc(); gc(); return v8.getHeapStatistics().used_heap_size; };
  const codes = Array.from({ length: 20_000 }, (_, i) => timeCode(new Date(Date.UTC(2026, 0, 1) + i * 61_001).toISOString(), 0));
  const before = used();
  const texts = codes.map((c) => timeText(c));
  const per = (used() - before) / texts.length;
  assert.equal(texts[12_345], new Date(Date.UTC(2026, 0, 1) + 12_345 * 61_001).toISOString());
  // a flat 24-character string is 40 B and its slot in the array 8; the rope was ~300 B
  assert.ok(per < 100, `${per.toFixed(0)} B of heap a time text`);
});
