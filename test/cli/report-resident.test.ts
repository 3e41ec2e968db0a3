/*! `report` draws resident memory (issue 11): each region's box shaded over its resident
 * share when smaps was captured, nothing when it was not (and the legend says which), and the
 * series view plots resident (RSS) beside virtual (VSZ). Real smaps: `capture local --smaps`
 * of a python3 process the test starts and owns; the built CLI writes the pages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SnapshotStore } from '../../src/store/store.js';
import { sectionsOf } from '../analyze/trend-helpers.js';
import { mapsdiff, tempStore } from './run.js';
import { startWorkload } from './workload.js';

/** Each region box of a strip (`<rect ... data-kind=... data-start=...>`) with its data-rss and height, and the shade drawn right after it. */
function boxes(svg: string): { kind: string; start: string; h: number; rss: number | null; shade: number | null }[] {
  const out: { kind: string; start: string; h: number; rss: number | null; shade: number | null }[] = [];
  const re = /<rect[^>]* height="([\d.]+)" data-kind="([a-z-]+)" data-start="([0-9a-f]+)"([^>]*?)\/?>(?:<title>[^<]*<\/title><\/rect>)?(?:<text[^>]*>[^<]*<\/text>)?(<rect class="res"[^>]* height="([\d.]+)")?/g;
  for (const m of svg.matchAll(re)) {
    const rss = /data-rss="(\d+)"/.exec(m[4]!);
    out.push({ kind: m[2]!, start: m[3]!, h: Number(m[1]), rss: rss ? Number(rss[1]) : null, shade: m[6] ? Number(m[6]) : null });
  }
  return out;
}

test('report of a capture with --smaps: each region box is shaded over its resident share (Rss / size), and the legend says so', async () => {
  const w = await startWorkload();
  const store = tempStore();
  const dir = fs.mkdtempSync(path.join(path.dirname(store), 'page-'));
  try {
    await w.send('heap 40'); // 2.5 MiB of bytearrays, written: resident
    const cap = await mapsdiff(['capture', 'local', '--pid', String(w.pid), '--smaps'], { store });
    assert.equal(cap.code, 0, cap.stderr);
    const name = cap.stdout.trim();
    const r = await mapsdiff(['report', name, '-o', path.join(dir, 'r.html'), '--svg', path.join(dir, 'r.svg')], { store });
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse((await mapsdiff(['show', name, '--json'], { store })).stdout);
    const regions: { start: string; size: number }[] = shown.processes[0].vmas;
    for (const file of ['r.html', 'r.svg']) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      assert.match(text, /data-legend="resident"[^>]*>[^<]*the dark lower part of each box is its resident share \(smaps Rss \/ size\)/, file);
      const bs = boxes(text).filter((b) => b.kind !== 'free');
      assert.ok(bs.length > 10, `${file}: the strip's region boxes are found (${bs.length})`);
      assert.ok(bs.every((b) => b.rss !== null), `${file}: every region box carries its Rss`);
      const resident = bs.filter((b) => b.rss! > 0);
      assert.ok(resident.length > 0, `${file}: some regions are resident`);
      for (const b of bs) {
        assert.equal(b.shade !== null, b.rss! > 0, `${file}: a shade exactly where Rss > 0 (${b.start})`);
        if (b.shade === null) continue;
        const size = regions.find((x) => BigInt(x.start) === BigInt('0x' + b.start))!.size;
        const want = Math.max(0.5, b.h * Math.min(1, b.rss! / size));
        assert.ok(Math.abs(b.shade - want) <= 0.11, `${file}: ${b.start} shade ${b.shade} of ${b.h} for ${b.rss} of ${size}`);
      }
    }
    const heapBox = boxes(fs.readFileSync(path.join(dir, 'r.svg'), 'utf8')).find((b) => b.kind === 'heap')!;
    assert.ok(heapBox.rss! >= 2 * 1024 * 1024, `the heap holds the 2.5 MiB written (${heapBox.rss})`);
  } finally {
    w.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('report of a capture without smaps: no resident shade is drawn, and the legend says smaps was not captured', async () => {
  const w = await startWorkload();
  const store = tempStore();
  const dir = fs.mkdtempSync(path.join(path.dirname(store), 'page-'));
  try {
    const cap = await mapsdiff(['capture', 'local', '--pid', String(w.pid)], { store });
    assert.equal(cap.code, 0, cap.stderr);
    const r = await mapsdiff(['report', cap.stdout.trim(), '-o', path.join(dir, 'r.html'), '--svg', path.join(dir, 'r.svg')], { store });
    assert.equal(r.code, 0, r.stderr);
    for (const file of ['r.html', 'r.svg']) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      assert.match(text, /data-legend="resident"[^>]*>[^<]*resident memory is not drawn: smaps was not captured \(capture with --smaps\)/, file);
      assert.doesNotMatch(text, /class="res"|data-rss=/, `${file}: nothing resident is invented`);
    }
  } finally {
    w.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('series report: resident (RSS) is plotted beside virtual (VSZ) for each process', async () => {
  const w = await startWorkload();
  const store = tempStore();
  const dir = fs.mkdtempSync(path.join(path.dirname(store), 'page-'));
  try {
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      if (i) await w.send('heap 32');
      const cap = await mapsdiff(['capture', 'local', '--pid', String(w.pid), '--smaps'], { store });
      assert.equal(cap.code, 0, cap.stderr);
      names.push(cap.stdout.trim());
    }
    const r = await mapsdiff(['report', ...names, '-o', path.join(dir, 's.html')], { store });
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(path.join(dir, 's.html'), 'utf8');
    const chart = /<svg [^>]*data-chart="resident".*?<\/svg>/s.exec(html)?.[0];
    assert.ok(chart, 'a virtual-and-resident chart per process');
    assert.match(chart, /<path d="M[^"]+" [^>]*data-kind="vsz"><title>virtual \(VSZ\): /);
    assert.match(chart, /<path d="M[^"]+" [^>]*data-kind="rss"><title>resident \(RSS\): /);
    const rss = /data-kind="rss"><title>resident \(RSS\): ([\d.]+ \w+) -&#62; ([\d.]+ \w+)</.exec(chart)!;
    assert.notEqual(rss[1], rss[2], 'RSS grew with the 4 MiB written');
  } finally {
    w.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('series report: a resident leak\'s suspect chart plots its resident curve, not its unchanged virtual size', async () => {
  const store = tempStore();
  const dir = fs.mkdtempSync(path.join(path.dirname(store), 'page-'));
  try {
    const s = new SnapshotStore(store);
    for (let i = 0; i < 8; i++) {
      // a 4 MiB pool mapped once, 256 KiB more of it touched each capture: virtual flat, resident rising
      const sections = sectionsOf(1000 + i * 60, [{ pid: 9, name: 'pool', start: 1, heap: 0x400000, heapRss: (1 + i) * 256 * 1024 }]);
      s.save({ target: 'board', capturedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(), tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false }, sections, `p${i}`);
    }
    const r = await mapsdiff(['report', 'board', '-o', path.join(dir, 's.html')], { store });
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(path.join(dir, 's.html'), 'utf8');
    const suspects = [...html.matchAll(/<svg [^>]*data-chart="suspect"[^>]*data-measure="resident".*?<\/svg>/gs)].map((m) => m[0]);
    assert.ok(suspects.length > 0, 'the resident leak has a suspect chart');
    for (const c of suspects) {
      assert.match(c, /<title>[^<]*: 256 KiB -&#62; 2 MiB<\/title>/, `drawn on Rss (256 KiB to 2 MiB), not on the 4 MiB mapped: ${c.slice(0, 300)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('report of two captures ranks by RSS when both have it: 2 MiB of written heap outranks an untouched 8 MiB mmap, and the page says which measure ranks', async () => {
  const mapper = await startWorkload(); // grows in address space only
  const writer = await startWorkload(); // grows in RAM
  const store = tempStore();
  const dir = fs.mkdtempSync(path.join(path.dirname(store), 'page-'));
  try {
    const pids = ['--pid', String(mapper.pid), '--pid', String(writer.pid)];
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      if (i) { await mapper.send('map 8'); await writer.send('heap 32'); }
      const cap = await mapsdiff(['capture', 'local', ...pids], { store });
      assert.equal(cap.code, 0, cap.stderr);
      names.push(cap.stdout.trim());
    }
    const r = await mapsdiff(['report', ...names, '-o', path.join(dir, 'c.html'), '--svg', path.join(dir, 'c.svg')], { store });
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(path.join(dir, 'c.html'), 'utf8');
    assert.match(html, /measure: RSS \(resident set: pages in RAM\), by default: both captures have it/);
    const rows = [...html.matchAll(/<tr onclick="location.hash='c\d+'"><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    assert.deepEqual(rows, [writer.pid, mapper.pid], 'the process that grew in RAM first');
    assert.match(fs.readFileSync(path.join(dir, 'c.svg'), 'utf8'), new RegExp(`pid ${writer.pid} python3`), '--svg draws the top one by RSS');
    const vsz = await mapsdiff(['report', ...names, '--by', 'vsz', '-o', path.join(dir, 'v.html'), '--svg', path.join(dir, 'v.svg')], { store });
    assert.equal(vsz.code, 0, vsz.stderr);
    const vhtml = fs.readFileSync(path.join(dir, 'v.html'), 'utf8');
    assert.match(vhtml, /measure: VSZ \(or usable memory, whichever grew more\), --by vsz/);
    assert.deepEqual([...vhtml.matchAll(/<tr onclick="location.hash='c\d+'"><td>(\d+)<\/td>/g)].map((m) => Number(m[1])), [mapper.pid, writer.pid]);
    assert.match(fs.readFileSync(path.join(dir, 'v.svg'), 'utf8'), new RegExp(`pid ${mapper.pid} python3`));
  } finally {
    mapper.stop();
    writer.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});
