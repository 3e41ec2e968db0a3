/*! Regression tests for identity (issue 10 §5, §4): which process, which board, which order.
 * One test per rule, named after the case it pins; captures are built from the rule as the
 * raw sections a collector returns, so the real parser, classifier and matcher run on them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawSection } from '../../src/model/capture.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import type { SnapshotReport } from '../../src/model/report.js';
import { parseCapture } from '../../src/parse/index.js';
import { parseUname } from '../../src/parse/uname.js';
import { buildReport } from '../../src/analyze/report.js';
import { compareReports } from '../../src/analyze/compare.js';
import { analyzeTrend } from '../../src/analyze/trend.js';
import { mapsOf, type ProcSpec } from './trend-helpers.js';

const BOOT_A = '3f5e0c2a-9b1d-4c7e-8a6f-1d2e3c4b5a69';
const BOOT_B = '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const T0 = Date.parse('2026-06-01T12:00:00.000Z');

interface Spec {
  name: string;
  /** Host seconds after T0 of the capture (its capturedAt). */
  at: number;
  uptime?: number | null;
  bootId?: string;
  via?: SnapshotMeta['via'];
  host?: string;
  machine?: string;
  memTotalKiB?: number;
  procs?: Proc[];
  selection?: SnapshotMeta['selection'];
}

type Proc = ProcSpec & { noStat?: boolean; exeAt?: number; stackTop?: number };
const svc: Proc = { pid: 100, name: 'svc', start: 500, heap: 0x21000 };

/** One snapshot's report, from raw sections as a collector would send them. */
function report(s: Spec): SnapshotReport {
  const sections: RawSection[] = [{ name: 'uname', status: 'ok', text: `Linux ${s.host ?? 'board1'} 6.1.0-armmp #1 SMP Debian 6.1.0 ${s.machine ?? 'armv7l'} GNU/Linux\n` }];
  if (s.uptime !== null) sections.push({ name: 'uptime', status: 'ok', text: `${(s.uptime ?? 1000).toFixed(2)} 1.00\n` });
  if (s.bootId) sections.push({ name: 'boot_id', status: 'ok', text: s.bootId + '\n' });
  sections.push({ name: 'meminfo', status: 'ok', text: `MemTotal:  ${s.memTotalKiB ?? 505412} kB\nMemAvailable:  400000 kB\n` });
  for (const p of (s.procs ?? [svc]) as Proc[]) {
    if (!p.noStat) sections.push({ name: 'stat', pid: p.pid, status: 'ok', text: `${p.pid} (${p.name}) S 1 ${p.pid} ${p.pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${p.start} 1234 100 4294967295\n` });
    let maps = mapsOf(p);
    if (p.exeAt !== undefined) maps = maps.replace(/^00010000-00011000/m, h8(p.exeAt) + '-' + h8(p.exeAt + 0x1000)).replace(/^00020000-00021000/m, h8(p.exeAt + 0x10000) + '-' + h8(p.exeAt + 0x11000));
    if (p.stackTop !== undefined) maps = maps.replace(/^7efdf000-7f000000/m, `${h8(p.stackTop - 0x21000)}-${h8(p.stackTop)}`);
    sections.push({ name: 'maps', pid: p.pid, status: 'ok', text: maps });
  }
  const parsed = parseCapture({ sections }, { source: s.name });
  const meta: SnapshotMeta = {
    name: s.name, target: 'board1', capturedAt: new Date(T0 + s.at * 1000).toISOString(), tool: { name: 'mapsdiff', version: 'test' },
    via: s.via ?? 'ssh', lenient: false, ...(s.selection ? { selection: s.selection } : {}),
  };
  return buildReport(meta, parsed, { machine: parseUname(parsed.uname!, 'u').machine, hostname: parseUname(parsed.uname!, 'u').host });
}
const h8 = (n: number) => n.toString(16).padStart(8, '0');

test('boot_id: a new boot id is a reboot even when the second uptime is higher', () => {
  const r = compareReports(report({ name: 't0', at: 0, uptime: 100, bootId: BOOT_A }), report({ name: 't1', at: 600, uptime: 500, bootId: BOOT_B }));
  assert.equal(r.rebooted, true);
  assert.equal(r.rebootedBy, 'boot-id');
  assert.equal(r.interval, null, 'no board interval across a reboot');
  assert.equal(r.processes[0]!.diff.restarted, true, 'every process is a new one');
  assert.deepEqual(r.otherBoard, []);
});

test('boot_id: the same boot id with a higher uptime is the same boot, whatever the host clock says', () => {
  // the host clock jumped a day ahead (NTP at last): the boot id and uptime are the truth
  const r = compareReports(report({ name: 't0', at: 0, uptime: 100, bootId: BOOT_A }), report({ name: 't1', at: 86400, uptime: 160, bootId: BOOT_A }));
  assert.equal(r.rebooted, false);
  assert.equal(r.interval, 60);
  assert.equal(r.clock, 'uptime');
  assert.equal(r.processes[0]!.diff.restarted, false);
});

test('no boot_id: an uptime delta far below the host-clock delta is a reboot', () => {
  // an hour by the host clock, a minute more of uptime: the board was down and booted again
  const r = compareReports(report({ name: 't0', at: 0, uptime: 100 }), report({ name: 't1', at: 3600, uptime: 160 }));
  assert.equal(r.rebooted, true);
  assert.equal(r.rebootedBy, 'uptime-behind-clock');
  assert.equal(r.interval, null);
});

test('no boot_id: uptime behind the host clock by the clocks\' drift and the capture time is the same boot', () => {
  // an hour apart, the board's uptime 3 s short: drift (< 3.6 s an hour) plus capture latency, no reboot
  const r = compareReports(report({ name: 't0', at: 0, uptime: 100 }), report({ name: 't1', at: 3600, uptime: 3697 }));
  assert.equal(r.rebooted, false);
  assert.equal(r.interval, 3597);
});

test('no boot_id: imported snapshots have no host time, so only uptime going down says reboot', () => {
  const r = compareReports(report({ name: 'a', at: 0, uptime: 100, via: 'import' }), report({ name: 'b', at: 3600, uptime: 160, via: 'import' }));
  assert.equal(r.rebooted, false);
  assert.equal(r.interval, 60);
  assert.equal(r.hostInterval, null, 'the seconds between two import commands are no interval of the board');
});

test('imported snapshots without uptime: the interval is unknown, not the seconds between two imports', () => {
  const r = compareReports(report({ name: 'a', at: 0, uptime: null, via: 'import' }), report({ name: 'b', at: 75, uptime: null, via: 'import' }));
  assert.equal(r.interval, null);
  assert.equal(r.hostInterval, null);
  assert.equal(r.clock, 'unknown');
});

test('reversed pair with one boot id: compare t1 t0 says reversed, not rebooted', () => {
  const r = compareReports(report({ name: 't1', at: 60, uptime: 160, bootId: BOOT_A }), report({ name: 't0', at: 0, uptime: 100, bootId: BOOT_A }));
  assert.equal(r.reversed, true);
  assert.equal(r.rebooted, false);
  assert.equal(r.interval, -60);
  assert.equal(r.processes[0]!.diff.restarted, false, 'still the same process');
});

test('reversed pair without boot id: the host clock says reversed, not rebooted', () => {
  const r = compareReports(report({ name: 't1', at: 60, uptime: 160 }), report({ name: 't0', at: 0, uptime: 100 }));
  assert.equal(r.reversed, true);
  assert.equal(r.rebooted, false);
  assert.equal(r.processes[0]!.diff.restarted, false);
});

test('different boards: another host name, machine or MemTotal is named', () => {
  const a = report({ name: 't0', at: 0, uptime: 100, bootId: BOOT_A });
  const r = compareReports(a, report({ name: 't1', at: 60, uptime: 160, bootId: BOOT_A, host: 'board2', machine: 'mips', memTotalKiB: 254000 }));
  assert.deepEqual(r.otherBoard, ['host name board1 in t0, board2 in t1', 'machine armv7l in t0, mips in t1', 'MemTotal (kB) 505412 in t0, 254000 in t1']);
  assert.deepEqual(compareReports(a, report({ name: 't1', at: 60, uptime: 160, bootId: BOOT_A })).otherBoard, []);
});

test('different boards: boot ids that never followed each other (the later boot began before the earlier capture)', () => {
  // t1, a minute after t0, is of a boot a day old: t0's board was in another boot then (t0 read
  // the board at most 30 s before its time stamp: these snapshots do not say when they began)
  const r = compareReports(report({ name: 't0', at: 0, uptime: 100, bootId: BOOT_A }), report({ name: 't1', at: 60, uptime: 86400, bootId: BOOT_B }));
  assert.equal(r.rebooted, true);
  assert.equal(r.otherBoard.length, 1);
  assert.match(r.otherBoard[0]!, /^t1's boot began 86310 s before t0 was captured, in another boot$/);
  // a real reboot: t1's boot began after t0 was captured
  assert.deepEqual(compareReports(report({ name: 't0', at: 0, uptime: 100, bootId: BOOT_A }), report({ name: 't1', at: 60, uptime: 30, bootId: BOOT_B })).otherBoard, []);
});

test('ASLR: same pid without start time and a moved [stack] is a different process, never same (moved)', () => {
  const p = { ...svc, noStat: true };
  const r = compareReports(report({ name: 'a', at: 0, procs: [{ ...p, stackTop: 0x7f000000 }] }), report({ name: 'b', at: 60, uptime: 1060, procs: [{ ...p, stackTop: 0x7e8a3000 }] }));
  assert.equal(r.processes.length, 1);
  assert.equal(r.processes[0]!.diff.restarted, true);
});

test('ASLR: same pid without start time and a moved executable base is a different process', () => {
  const p = { ...svc, noStat: true };
  const r = compareReports(report({ name: 'a', at: 0, procs: [{ ...p, exeAt: 0x00008000 }] }), report({ name: 'b', at: 60, uptime: 1060, procs: [{ ...p, exeAt: 0x0000c000 }] }));
  assert.equal(r.processes[0]!.diff.restarted, true);
});

test('ASLR: same pid without start time and the same [stack] and executable is the same process', () => {
  const p = { ...svc, noStat: true };
  const r = compareReports(report({ name: 'a', at: 0, procs: [p] }), report({ name: 'b', at: 60, uptime: 1060, procs: [{ ...p, heap: 0x41000 }] }));
  assert.equal(r.processes[0]!.diff.restarted, false);
  assert.equal(r.processes[0]!.vsz.delta, 0x20000);
});

test('selection: a process the other capture did not select is not-captured, not new or gone', () => {
  const other: ProcSpec = { pid: 98, name: 'httpd', start: 300, heap: 0x21000 };
  const a = report({ name: 't0', at: 0, uptime: 100, procs: [svc], selection: { pids: [], names: ['svc'], all: false } });
  const b = report({ name: 't1', at: 60, uptime: 160, procs: [other, svc], selection: { pids: [], names: [], all: true } });
  const status = (r: ReturnType<typeof compareReports>) => Object.fromEntries(r.processes.map((p) => [p.diff.name, p.status]));
  assert.deepEqual(status(compareReports(a, b)), { svc: 'matched', httpd: 'not-captured' });
  assert.deepEqual(status(compareReports(b, report({ name: 't2', at: 120, uptime: 220, procs: [svc], selection: { pids: [100], names: [], all: false } }))), { svc: 'matched', httpd: 'not-captured' });
  // asked for by name both times and gone: gone; new under --all both times: new
  const gone = report({ name: 't3', at: 180, uptime: 280, procs: [svc], selection: { pids: [], names: ['svc', 'httpd'], all: false } });
  assert.deepEqual(status(compareReports(b, gone)), { svc: 'matched', httpd: 'gone' });
  assert.deepEqual(status(compareReports(report({ name: 't4', at: 0, uptime: 100, procs: [svc], selection: { pids: [], names: [], all: true } }), b)), { svc: 'matched', httpd: 'new' });
});

test('processes are listed by number (1, 98, 100), not as strings', () => {
  const procs = [100, 1, 98].map((pid) => ({ pid, name: `p${pid}`, start: pid, heap: 0x21000 }));
  assert.deepEqual(report({ name: 't0', at: 0, procs }).processes.map((p) => p.pid), [1, 98, 100]);
});

test('trend over imported snapshots without uptime gives no rate and says so', () => {
  const series = [0, 1, 2, 3, 4].map((i) => ({
    report: report({ name: `t${i}`, at: i * 5, uptime: null, via: 'import', procs: [{ ...svc, heap: 0x21000 + i * 0x10000 }] }), threads: new Map(),
  }));
  const r = analyzeTrend(series);
  assert.deepEqual(r.findings, [{ code: 'unknown-interval', segment: 0 }]);
  assert.equal(r.segments[0]!.clock, 'unknown');
  const heap = r.processes[0]!.entries.find((e) => e.scope === 'kind' && e.kind === 'heap')!;
  assert.equal(heap.verdict, 'leak', 'the shape over the captures\' order is still judged');
  assert.equal(heap.rate, null, 'no rate over unknown intervals');
  assert.equal(heap.timeLeft, null);
});
