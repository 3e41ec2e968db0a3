/*! analyze/match: which VMAs of two captures form one region, and which processes of two
 * captures are the same process. Expected groupings written out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchProcesses, matchRegions, type RegionMatch } from '../../src/analyze/match.js';
import type { ProcessRef } from '../../src/model/diff.js';
import type { Region } from '../../src/model/vma.js';
import { r } from './compare-helpers.js';
import { landmarks } from '../../src/analyze/match-processes.js';

const hex = (n: number): string => n.toString(16).padStart(8, '0');
/** `before starts -> after starts [note]`, sorted, so the grouping reads at a glance. */
function groups(ms: RegionMatch[]): string[] {
  const starts = (rs: Region[]): string => rs.map((x) => hex(x.start)).join('+') || '-';
  return ms.map((m) => `${starts(m.before)} -> ${starts(m.after)}${m.note ? ' ' + m.note : ''}`).sort();
}
/** Every VMA in exactly one match. */
function assertPartition(before: Region[], after: Region[], ms: RegionMatch[]): void {
  assert.deepEqual(ms.flatMap((m) => m.before).map((x) => x.line).sort(), before.map((x) => x.line).sort());
  assert.deepEqual(ms.flatMap((m) => m.after).map((x) => x.line).sort(), after.map((x) => x.line).sort());
  for (const m of ms) assert.ok(m.before.length + m.after.length > 0);
}
const anon = (range: string, perms = 'rw-p'): Region => r(`${range} ${perms} 00000000 00:00 0 `, 'anon', 'anon');

// munmap() of the top of one VMA and an mremap() that extends its lower neighbour: two
// VMAs on each side whose boundary moved. Each keeps its own identity by start address;
// a leftover overlapping an unpaired VMA joins that one, not its paired neighbour.
test('boundary moved between two anon VMAs: paired by start, not lumped together', () => {
  const before = [anon('b6000000-b6200000'), anon('b6200000-b6400000')];
  const after = [anon('b6000000-b6300000'), anon('b6300000-b6400000')];
  const ms = matchRegions(before, after);
  assertPartition(before, after, ms);
  assert.deepEqual(groups(ms), ['b6000000 -> b6000000', 'b6200000 -> b6300000']);
});

// Three VMAs before, two after, one of them straddling: one component, fewer VMAs = merged.
test('three anon VMAs into two with a straddling one: one merged region', () => {
  const before = [anon('b6000000-b6100000'), anon('b6100000-b6200000'), anon('b6200000-b6300000')];
  const after = [anon('b6080000-b6180000'), anon('b6180000-b6300000')];
  const ms = matchRegions(before, after);
  assertPartition(before, after, ms);
  assert.deepEqual(groups(ms), ['b6000000+b6100000+b6200000 -> b6080000+b6180000 merged']);
});

// Anonymous VMAs of different perms never merge in the kernel: a rw-p VMA is matched with
// rw-p ones only, so a guard turned read-write is a shrunk guard plus a grown neighbour.
test('anon matching stays within one perms class', () => {
  const before = [anon('b6000000-b6100000'), anon('b6100000-b6200000', '---p')];
  const after = [anon('b6000000-b6180000'), anon('b6180000-b6200000', '---p')];
  const ms = matchRegions(before, after);
  assertPartition(before, after, ms);
  assert.deepEqual(groups(ms), ['b6000000 -> b6000000', 'b6100000 -> b6180000']);
});

// A library reloaded at another address (dlclose + dlopen): its bss is anonymous, so it
// is matched by its owner, not by address.
test('bss paired by owner when the library moved', () => {
  const before = [r('b6c21000-b6c23000 rw-p 00000000 00:00 0 ', 'bss', '/usr/lib/libbar.so'), anon('b6c30000-b6c40000')];
  const after = [r('b6a21000-b6a23000 rw-p 00000000 00:00 0 ', 'bss', '/usr/lib/libbar.so'), anon('b6c30000-b6c40000')];
  const ms = matchRegions(before, after);
  assertPartition(before, after, ms);
  assert.deepEqual(groups(ms), ['b6c21000 -> b6a21000 moved', 'b6c30000 -> b6c30000']);
});

// An anonymous mmap that lands right after a library's bss with equal flags is merged into
// it by the kernel: the bss line grows, the separate line of before is gone from maps.
test('bss that absorbed the anon VMA after it: one merged region with its owner', () => {
  const bss = (range: string) => r(`${range} rw-p 00000000 00:00 0 `, 'bss', '/usr/lib/libbar.so');
  const before = [bss('b6c21000-b6c23000'), anon('b6c23000-b6c33000')];
  const after = [bss('b6c21000-b6c33000')];
  const ms = matchRegions(before, after);
  assertPartition(before, after, ms);
  assert.deepEqual(groups(ms), ['b6c21000+b6c23000 -> b6c21000 merged']);
});

// Old ARM kernels and mprotect() on part of the heap: [heap] in two VMAs is one region.
test('[heap] spanning two VMAs is matched by name as one region', () => {
  const before = [r('0002a000-0004b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]')];
  const after = [
    r('0002a000-0003a000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'),
    r('0003a000-0006b000 rwxp 00000000 00:00 0          [heap]', 'heap', '[heap]'),
  ];
  const ms = matchRegions(before, after);
  assertPartition(before, after, ms);
  assert.deepEqual(groups(ms), ['0002a000 -> 0002a000+0003a000 split']);
});

const p = (pid: number, name: string, startTime: number | null): ProcessRef => ({ pid, name, startTime });
const show = (ms: ReturnType<typeof matchProcesses>): string[] =>
  ms.map((m) => `${m.before ? m.before.pid : '-'} -> ${m.after ? m.after.pid : '-'}${m.restarted ? ' restarted' : ''}`);

test('process: same pid and start time -> same process', () => {
  assert.deepEqual(show(matchProcesses([p(412, 'leaker', 1000)], [p(412, 'leaker', 1000)])), ['412 -> 412']);
});

// The process died and its replacement got the same pid (pid wrap, or small pid space).
test('process: same pid, same name, other start time -> restarted', () => {
  assert.deepEqual(show(matchProcesses([p(412, 'leaker', 1000)], [p(412, 'leaker', 5000)])), ['412 -> 412 restarted']);
});

// An unrelated program got the freed pid: not a restart of it.
test('process: pid reused by another program -> gone and new', () => {
  assert.deepEqual(show(matchProcesses([p(412, 'leaker', 1000)], [p(412, 'sh', 5000)])), ['412 -> -', '- -> 412']);
});

// A program that renames itself (prctl PR_SET_NAME) or execs keeps pid and start time.
test('process: same pid and start time, other name -> same process', () => {
  assert.deepEqual(show(matchProcesses([p(412, 'leaker', 1000)], [p(412, 'leaker-w', 1000)])), ['412 -> 412']);
});

// A supervisor restarted the daemon: new pid, same name, only one of it in each capture.
test('process: other pid, same unique name -> restarted', () => {
  const ms = matchProcesses([p(1, 'init', 1), p(412, 'leaker', 1000)], [p(1, 'init', 1), p(977, 'leaker', 9000)]);
  assert.deepEqual(show(ms), ['1 -> 1', '412 -> 977 restarted']);
});

test('process: name ambiguous among the unpaired -> gone and new, never guessed', () => {
  const ms = matchProcesses([p(20, 'worker', 100), p(21, 'worker', 101)], [p(30, 'worker', 900), p(31, 'worker', 901)]);
  assert.deepEqual(show(ms), ['20 -> -', '21 -> -', '- -> 30', '- -> 31']);
});

test('process: no start time (stat not captured) -> paired by pid and name', () => {
  assert.deepEqual(show(matchProcesses([p(412, 'leaker', null)], [p(412, 'leaker', 1000)])), ['412 -> 412']);
  assert.deepEqual(show(matchProcesses([p(412, 'leaker', null)], [p(412, 'sh', null)])), ['412 -> -', '- -> 412']);
});

// Uptime went down between the captures: even pid 1 with the same start tick is a new process.
test('process: board rebooted -> every pair restarted', () => {
  const ms = matchProcesses([p(1, 'init', 1), p(412, 'leaker', 1000)], [p(1, 'init', 1), p(415, 'leaker', 1010)], { rebooted: true });
  assert.deepEqual(show(ms), ['1 -> 1 restarted', '412 -> 415 restarted']);
});

// compare reads landmarks of regions it found in address order from both ends (a few lines,
// not 100k); of regions out of order it reads them all: both must give the same landmarks.
test('landmarks: in address order read from both ends, out of order read whole, alike', () => {
  const file = (range: string, path: string, inode: number): Region => r(`${range} r-xp 00000000 b3:01 ${inode} ${path}`, 'code', path);
  const stack = (range: string): Region => r(`${range} rw-p 00000000 00:00 0 [stack]`, 'stack', '[stack]');
  const rs = [anon('00008000-00010000'), file('00010000-00020000', '/usr/bin/app', 7), file('40000000-40010000', '/lib/libc.so.6', 8),
    anon('7e000000-7e100000'), stack('7efdf000-7f000000'), r('ffff0000-ffff1000 r-xp 00000000 00:00 0 [vectors]', 'kernel', '[vectors]')];
  const want = { stackTop: 0x7f000000, exe: { path: '/usr/bin/app', start: 0x10000 } };
  assert.deepEqual(landmarks(rs, true), want);
  assert.deepEqual(landmarks(rs), want);
  assert.deepEqual(landmarks([...rs].reverse()), want);
  assert.deepEqual(landmarks([anon('00008000-00010000')], true), { stackTop: null, exe: null });
});
