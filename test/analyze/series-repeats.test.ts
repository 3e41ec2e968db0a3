/*! analyze/series over captures whose maps repeat: parsed once and shared (what `trend` does
 * with parse's and report's reuse), each track goes on with one value per capture (its
 * regions' total), counted and added when the maps next change; the curves must be exactly
 * those of the same captures parsed one by one. Before, a track of two VMAs took two values
 * per repeated capture, was cut at the next change, and a new track was started. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walkSeries, type TrendCapture } from '../../src/analyze/series.js';
import { parseCapture, type MapsReuse } from '../../src/parse/index.js';
import { buildReport, type LayoutReuse } from '../../src/analyze/report.js';
import type { RawSection } from '../../src/model/capture.js';
import { metaOf } from './trend-helpers.js';

const line = (s: number, e: number, perms: string, path = '') => `${s.toString(16).padStart(8, '0')}-${e.toString(16).padStart(8, '0')} ${perms} 00000000 00:00 0`.padEnd(49) + path;
const code = line(0x10000, 0x11000, 'r-xp', '/usr/bin/m');
const stack = line(0x7e000000, 0x7e021000, 'rw-p', '[stack]');
const heap = (pages: number) => line(0x30000, 0x30000 + pages * 0x1000, 'rw-p', '[heap]');
// [heap] in two lines (mprotect on its top page): one region by name, so one track of two VMAs
const heapSplit = (pages: number) => `${line(0x30000, 0x30000 + (pages - 1) * 0x1000, 'rw-p', '[heap]')}\n${line(0x30000 + (pages - 1) * 0x1000, 0x30000 + pages * 0x1000, 'r--p', '[heap]')}`;
// one 2 MiB block, then mprotect splits it in two (one track, two regions), then merged again
const merged = line(0x40010000, 0x40210000, 'rw-p');
const split = `${line(0x40010000, 0x40110000, 'rw-p')}\n${line(0x40110000, 0x40210000, 'r--p')}`;

/** 40 captures: the maps change every few captures, and repeat in between; a block split in
 * two by mprotect for a while, and [heap] in two lines for a while. */
function mapsAt(i: number): string {
  const anon = i >= 10 && i < 25 ? split : merged;
  const pages = 33 + Math.floor(i / 7);
  return [code, i >= 15 && i < 30 ? heapSplit(pages) : heap(pages), anon, stack].join('\n') + '\n';
}

function series(shared: boolean): TrendCapture[] {
  const maps: MapsReuse = new Map();
  const layouts: LayoutReuse = new Map();
  const out: TrendCapture[] = [];
  for (let i = 0; i < 40; i++) {
    const sections: RawSection[] = [
      { name: 'uptime', status: 'ok', text: `${100 + i * 60}.00 1.00\n` },
      { name: 'stat', pid: 5, status: 'ok', text: '5 (m) S 1 5 5 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 50 1234 100 4294967295\n' },
      { name: 'maps', pid: 5, status: 'ok', text: mapsAt(i) },
    ];
    const parsed = parseCapture({ sections }, { source: `t${i}`, ...(shared ? { reuse: maps } : {}) });
    out.push({ report: buildReport(metaOf(`t${i}`), parsed, shared ? { reuse: layouts } : {}), threads: new Map() });
  }
  return out;
}

const tracksOf = (caps: TrendCapture[]) => walkSeries(caps, { regions: true }).lives.map((l) => l.tracks);

test('a [heap] printed in two lines, repeated across captures (maps parsed once, shared), keeps one track with one size per capture, as when parsed one by one', () => {
  const shared = series(true);
  assert.equal(shared[2]!.report.processes[0]!.regions, shared[1]!.report.processes[0]!.regions, 'repeated maps share their regions');
  const tracks = tracksOf(shared);
  assert.deepEqual(tracks, tracksOf(series(false)));
  const heapTracks = tracks[0]!.filter((t) => t.kind === 'heap');
  assert.deepEqual(heapTracks.map((t) => [t.born, t.sizes.length]), [[0, 40]], 'one heap track, a size for each of the 40 captures');
});

test('a long series whose maps repeat keeps each of a life\'s curves as one run, not one value per capture (issue 15: memory that does not grow with the series)', () => {
  // 40 captures of mapsAt(0): the same maps, uptime moving on; what a life keeps per capture must not grow with them
  const maps: MapsReuse = new Map();
  const layouts: LayoutReuse = new Map();
  const caps: TrendCapture[] = [];
  for (let i = 0; i < 40; i++) {
    const sections: RawSection[] = [
      { name: 'uptime', status: 'ok', text: `${100 + i * 60}.00 1.00\n` },
      { name: 'meminfo', status: 'ok', text: 'MemTotal:       262144 kB\nMemAvailable:   150000 kB\n' },
      { name: 'stat', pid: 5, status: 'ok', text: '5 (m) S 1 5 5 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 50 1234 100 4294967295\n' },
      { name: 'maps', pid: 5, status: 'ok', text: mapsAt(0) },
    ];
    const parsed = parseCapture({ sections }, { source: `t${i}`, reuse: maps });
    caps.push({ report: buildReport(metaOf(`t${i}`), parsed, { reuse: layouts }), threads: new Map([[5, 1]]) });
  }
  const curves = walkSeries(caps, { regions: true });
  const life = curves.lives[0]!;
  for (const [what, runs] of [['total', life.total], ['stack', life.stack], ['largestGap', life.largestGap], ['threads', life.threads],
    ['threadStacks', life.threadStacks], ['positions', life.at], ...[...life.kinds].map(([k, r]) => [`kind ${k}`, r] as const)] as const) {
    assert.deepEqual([runs.values.length, runs.length], [1, 40], `${what}: one run of 40 values`);
  }
  assert.deepEqual([curves.segments[0]!.memAvailable.values.length, curves.segments[0]!.memAvailable.length], [1, 40], 'MemAvailable: one run');
  assert.equal(curves.segments[0]!.t.length, 40, 'the segment keeps one time per capture; its lives take theirs from it');
});
