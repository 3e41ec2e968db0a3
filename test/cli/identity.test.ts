/*! Regression tests for identity as a user meets it (issue 10 §5, §4): a reversed pair,
 * two boards, names that matched nothing, a process one capture did not ask for, imports
 * without uptime, processes by number. Every process read is one this file started. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { formatCaptureText } from '../../src/parse/capture.js';
import type { RawSection } from '../../src/model/capture.js';
import { namedSleeper, uniqueName } from '../helpers.js';
import { namesWithPids } from '../../src/collect/select.js';
import { mapsdiff, tempStore } from './run.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-identity-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A process of our own, `name` as its comm; resolves once it has exec'd (its comm is the name). */
async function own(name: string): Promise<number> {
  const c = spawn(namedSleeper(name), ['600'], { stdio: 'ignore' });
  children.push(c);
  const pid = c.pid!;
  for (;;) {
    const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (comm === name) return pid;
    await new Promise((r) => setImmediate(r));
  }
}

const MAPS = (top: string) => '00010000-00011000 r-xp 00000000 b3:01 1023       /usr/bin/svc\n' +
  '00020000-00021000 rw-p 00000000 b3:01 1023       /usr/bin/svc\n' + `7efdf000-${top} rw-p 00000000 00:00 0          [stack]\n`;

/** A capture-format file as a board's serial console would give it. */
function captureFile(name: string, o: { host?: string; uptime?: number; bootId?: string; pids?: number[] }): string {
  const s: RawSection[] = [{ name: 'uname', status: 'ok', text: `Linux ${o.host ?? 'board1'} 6.1.0-armmp #1 SMP Debian 6.1.0 armv7l GNU/Linux\n` }];
  if (o.uptime !== undefined) s.push({ name: 'uptime', status: 'ok', text: `${o.uptime}.00 1.00\n` });
  if (o.bootId) s.push({ name: 'boot_id' as RawSection['name'], status: 'ok', text: o.bootId + '\n' });
  for (const pid of o.pids ?? [100]) {
    s.push({ name: 'stat', pid, status: 'ok', text: `${pid} (svc${pid}) S 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${pid * 10} 1234 100 4294967295\n` });
    s.push({ name: 'maps', pid, status: 'ok', text: MAPS('7f000000') });
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, formatCaptureText({ sections: s }, 'MAPSDIFF-SECTION'));
  return file;
}

test('compare t1 t0 says the pair is reversed, not that the board rebooted', async () => {
  const store = tempStore();
  const pid = await own('md-id-rev');
  for (let i = 0; i < 2; i++) assert.equal((await mapsdiff(['capture', 'local', '--pid', String(pid)], { store })).code, 0);
  const r = await mapsdiff(['compare', 't1', 't0'], { store });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^compare t1 -> t0 .*REVERSED pair: t0 was captured .*earlier than t1/m);
  assert.doesNotMatch(r.stdout, /REBOOTED|RESTARTED/);
  const j = JSON.parse((await mapsdiff(['compare', 't1', 't0', '--json'], { store })).stdout);
  assert.deepEqual([j.reversed, j.rebooted, j.processes[0].restarted], [true, false, false]);
  assert.ok(j.interval <= 0, `the interval reads backwards: ${j.interval}`);
});

test('snapshots of different boards are refused (exit 2) by compare and trend unless --force', async () => {
  const store = tempStore();
  const id = '3f5e0c2a-9b1d-4c7e-8a6f-1d2e3c4b5a69';
  assert.equal((await mapsdiff(['import', captureFile('b1.txt', { host: 'board1', uptime: 100, bootId: id }), '--target', 'cam'], { store })).code, 0);
  assert.equal((await mapsdiff(['import', captureFile('b2.txt', { host: 'board2', uptime: 160, bootId: id }), '--target', 'cam'], { store })).code, 0);
  const r = await mapsdiff(['compare', 't0', 't1'], { store });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'mapsdiff: t0 and t1 are not captures of one board (host name board1 in t0, board2 in t1); ' +
    'compare two captures of the same board, or pass --force to compare them anyway\n');
  const forced = await mapsdiff(['compare', 't0', 't1', '--force'], { store });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /^DIFFERENT BOARDS \(--force\): host name board1 in t0, board2 in t1$/m);
  const trend = await mapsdiff(['trend', 'cam'], { store });
  assert.equal(trend.code, 2);
  assert.match(trend.stderr, /^mapsdiff: t0 and t1 are not captures of one board \(host name board1 in t0, board2 in t1\); a trend follows one board/);
  assert.equal((await mapsdiff(['trend', 'cam', '--force'], { store })).code, 0);
});

// the names these tests capture by are this test process's own: a concurrent run's processes of
// the same name would be captured too (a stray md-id-b made the not-captured test see three)
const THERE = uniqueName('md-id-the');
const B = uniqueName('md-id-b');

test('capture --process names that matched nothing: a warning, and unmatched in --json', async () => {
  const store = tempStore();
  await own(THERE);
  const r = await mapsdiff(['capture', 'local', '--process', THERE, '--process', 'md-id-nowhere', '--json'], { store });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).snapshots[0].unmatched, ['md-id-nowhere']);
  assert.match(r.stderr, /^mapsdiff: warning: local: no process matched --process "md-id-nowhere"; the others were captured$/m);
});

test('regression: a process the other capture did not select is not-captured, not new (with another run\'s md-id-b beside it)', async () => {
  const store = tempStore();
  const a = await own('md-id-a');
  const b = await own(B);
  await own('md-id-b'); // as another run of this file would have it (the name it used to capture by)
  assert.equal((await mapsdiff(['capture', 'local', '--pid', String(a)], { store })).code, 0);
  assert.equal((await mapsdiff(['capture', 'local', '--pid', String(a), '--process', B], { store })).code, 0);
  const j = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
  const status = Object.fromEntries(j.processes.map((p: { pid: number; status: string }) => [p.pid, p.status]));
  assert.deepEqual(status, { [a]: 'matched', [b]: 'not-captured' });
  const text = (await mapsdiff(['compare', '--fail-over', '1K'], { store }));
  assert.equal(text.code, 0, 'a process not looked at before did not grow');
  assert.match(text.stdout, new RegExp(`^pid ${b}  ${B}  not captured in t0 \\(that capture did not select it\\)`, 'm'));
});

test('compare of imports without uptime: the interval is unknown, not the seconds between the imports', async () => {
  const store = tempStore();
  const maps = path.join(dir, 'bare.maps');
  fs.writeFileSync(maps, MAPS('7f000000'));
  for (let i = 0; i < 2; i++) assert.equal((await mapsdiff(['import', maps, '--pid', '100'], { store })).code, 0);
  const r = await mapsdiff(['compare'], { store });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^compare t0 -> t1  target imported  interval unknown \(an imported snapshot carries no board uptime\)$/m);
  const j = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
  assert.deepEqual([j.interval, j.hostInterval, j.clock], [null, null, 'unknown']);
});

test('show, compare and trend list processes by number (1, 98, 100), not as strings', async () => {
  const store = tempStore();
  // a shell's /proc/[0-9]* lists them 1, 100, 98: so does the capture
  for (let i = 0; i < 3; i++) assert.equal((await mapsdiff(['import', captureFile(`n${i}.txt`, { uptime: 100 + i * 60, pids: [1, 100, 98] })], { store })).code, 0);
  const show = JSON.parse((await mapsdiff(['show', '--json'], { store })).stdout);
  assert.deepEqual(show.processes.map((p: { pid: number }) => p.pid), [1, 98, 100]);
  const text = (await mapsdiff(['show'], { store })).stdout;
  assert.deepEqual([...text.matchAll(/^pid (\d+) /gm)].map((m) => Number(m[1])), [1, 98, 100]);
  const cmp = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
  assert.deepEqual(cmp.processes.map((p: { pid: number }) => p.pid), [1, 98, 100]);
  const trend = JSON.parse((await mapsdiff(['trend', '--json'], { store })).stdout);
  assert.deepEqual(trend.processes.map((p: { pid: number }) => p.pid), [1, 98, 100]);
  const none = await mapsdiff(['compare', '--process', 'nothing'], { store });
  assert.match(none.stderr, /they hold: 1 \(svc1\), 98 \(svc98\), 100 \(svc100\)$/m);
});

test('the no-match message lists each name with its pids by number (1, 98, 100), not as strings', () => {
  // the remote script's `processes` section comes in glob order: 1, 100, 98
  assert.equal(namesWithPids(new Map([['sh', [1, 100, 98]], ['dropbear', [120, 1000, 99, 3, 40]]]), 60), 'dropbear (3, 40, 99, 120, +1), sh (1, 98, 100)');
  assert.equal(namesWithPids(new Map([['a', [1]], ['b', [2]]]), 1), 'a (1), ... (2 names)');
});
