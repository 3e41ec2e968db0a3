import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { execd, fixturePath, namedSleeper, uniqueName } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

const NAME = uniqueName('md-slp'); // this run's own: a name only its processes have

const TENDA = fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');

test('import a real board dump, list it, show it as JSON with the documented fields', async () => {
  const store = tempStore();
  const imp = await mapsdiff(['import', TENDA, '--meminfo', fixturePath('meminfo/armv7-augentix-hc1703-camera-64mb.meminfo'), '--ulimit-s', '8192', '--pid', '4388', '--target', 'ac15'], { store });
  assert.equal(imp.code, 0, imp.stderr);
  assert.equal(imp.stdout, 't0\n');
  const list = await mapsdiff(['list'], { store });
  assert.match(list.stdout, /^t0\s+ac15\s+import\s/m);
  const show = await mapsdiff(['show', 't0', '--json'], { store });
  assert.equal(show.code, 0, show.stderr);
  const j = JSON.parse(show.stdout);
  assert.equal(j.snapshot, 't0');
  assert.equal(j.target, 'ac15');
  const p = j.processes[0];
  assert.equal(p.pid, 4388);
  assert.equal(p.name, 'httpd', 'named after the executable when no stat was captured');
  assert.equal(p.ceiling, '0xbf000000', 'a bare dump: the default 0x80000000, raised by the stack');
  assert.equal(p.ceilingSource, 'raised from the default 0x80000000: stack at 0xbefdf000');
  assert.equal(p.vmas.length, 60);
  assert.deepEqual(p.vmas[0], { start: '0x00008000', end: '0x000f7000', size: 0xef000, perms: 'r-xp', offset: '0x0', dev: '1f:03', inode: 289, path: '/bin/httpd', kind: 'code', owner: '/bin/httpd' });
  assert.equal(p.vmas[2].kind, 'heap');
  const sum = p.vmas.reduce((a: number, v: { size: number }) => a + v.size, 0);
  assert.equal(p.totals.mapped, sum);
  assert.equal(p.stack.limit, 8192 * 1024);
  // the stack sits at 0xbefdf000-0xbf000000 (ARM 3G/1G): inside the ceiling, nothing left out
  const stack = p.vmas.find((v: { path: string }) => v.path === '[stack]');
  assert.equal(stack.start, '0xbefdf000');
  assert.equal(p.free.total + p.totals.mapped, 0xbf000000, 'free + mapped = the whole user space');
  assert.deepEqual(p.findings, []);
});

test('show: text table with NOT USED gaps, and CSV with the seed columns', async () => {
  const store = tempStore();
  await mapsdiff(['import', TENDA, '--name', 'ac15'], { store });
  const text = await mapsdiff(['show', 'ac15'], { store });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^00000000\s+00008000\s+32K\s+free\s+NOT USED$/m);
  assert.match(text.stdout, /^00008000\s+000f7000\s+956K\s+code\s+r-xp\s+\/bin\/httpd$/m);
  assert.match(text.stdout, /largest/);
  const csv = await mapsdiff(['show', 'latest', '--csv'], { store });
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], 'pid,process,start,end,size(KB),filename,permission,kind,owner,perms,offset,dev,inode');
  assert.equal(lines[1], ',httpd,00000000,00008000,32,NOT USED,unknown,free,,,,,'); // pid unknown (imported without --pid): empty, not 0
  assert.equal(lines[2], ',httpd,00008000,000f7000,956,/bin/httpd,code,code,/bin/httpd,r-xp,00000000,1f:03,289');
});

test('the seed sample (lines glued together) is refused with the line and text; nothing is stored', async () => {
  const store = tempStore();
  const r = await mapsdiff(['import', fixturePath('maps/seed-section3-glued.maps.txt')], { store });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /seed-section3-glued\.maps\.txt, maps:1: two maps lines are glued together/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  assert.equal((await mapsdiff(['list', '--json'], { store })).stdout.includes('"snapshots": []'), true);
  const lenient = await mapsdiff(['import', fixturePath('maps/seed-section3-glued.maps.txt'), '--lenient'], { store });
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(lenient.stderr, /skipped \d+ malformed line\(s\)/);
  assert.match(lenient.stderr, /glued\.maps\.txt, maps:1: 00008000-00590000/);
});

test('usage mistakes exit 2 with a clear sentence', async () => {
  const store = tempStore();
  const cases: [string[], RegExp][] = [
    [['show', 'nope'], /store is empty/],
    [['import', '/no/such/file'], /cannot read the maps file "\/no\/such\/file": no such file/],
    [['import', TENDA, '--name', 'bad name'], /invalid snapshot name "bad name"/],
    [['capture', 'local'], /say which processes to capture/],
    [['frobnicate'], /Unknown argument|Unknown command|Did you mean/i],
    [['show', '--ceiling', 'zz'], /./],
  ];
  for (const [args, re] of cases) {
    const r = await mapsdiff(args, { store });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('capture local: a process on this machine, by pid and by name; an unknown name exits 3', async () => {
  const store = tempStore();
  const exe = namedSleeper(NAME);
  const child = spawn(exe, ['30'], { stdio: 'ignore' });
  try {
    await execd(child.pid!, NAME);
    const a = await mapsdiff(['capture', 'local', '--pid', String(child.pid)], { store });
    assert.equal(a.code, 0, a.stderr);
    const b = await mapsdiff(['capture', 'local', '--process', NAME], { store });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(a.stdout + b.stdout, 't0\nt1\n');
    const j = JSON.parse((await mapsdiff(['show', 't1', '--json'], { store })).stdout);
    assert.equal(j.processes.length, 1);
    assert.equal(j.processes[0].pid, child.pid);
    assert.equal(j.processes[0].name, NAME);
    assert.ok(j.processes[0].vmas.some((v: { path: string; kind: string }) => v.path === exe && v.kind === 'code'));
    assert.ok(j.processes[0].startTime > 0);
    const none = await mapsdiff(['capture', 'local', '--process', 'no-such-process-xyz'], { store });
    assert.equal(none.code, 3);
    assert.match(none.stderr, /no process on this machine matched "no-such-process-xyz"; running: .*\(\d+(, \d+)*(, \+\d+)?\)/);
    assert.equal(JSON.parse((await mapsdiff(['list', '--json'], { store })).stdout).snapshots.length, 2, 'the failed capture stored nothing');
  } finally {
    child.kill();
  }
});

test('bytes that are not UTF-8 (a Latin-1 file name) are stored verbatim beside the decoded text', async () => {
  const store = tempStore();
  const dir = tempStore();
  const file = path.join(dir, 'latin1.maps');
  const bytes = Buffer.concat([
    Buffer.from('00008000-00009000 r-xp 00000000 b3:01 12         /opt/caf'),
    Buffer.from([0xe9]), // é in Latin-1: invalid as UTF-8
    Buffer.from('/app\n'),
  ]);
  fs.writeFileSync(file, bytes);
  assert.equal((await mapsdiff(['import', file, '--name', 'l1'], { store })).code, 0);
  const stored = fs.readFileSync(path.join(store, 'snapshots', 'l1.json'), 'utf8').split('\n');
  const sections = JSON.parse(stored[1]!);
  assert.deepEqual(Buffer.from(sections[0].bytes, 'base64'), bytes, 'the exact bytes');
  const j = JSON.parse((await mapsdiff(['show', 'l1', '--json'], { store })).stdout);
  assert.equal(j.processes[0].vmas[0].path, '/opt/caf\ufffd/app', 'shown with a replacement character');
  // valid UTF-8 carries no copy
  await mapsdiff(['import', fixturePath('maps/x86-32-android-x86-init-setpropex-fixture.maps'), '--name', 'u8'], { store });
  assert.equal(JSON.parse(fs.readFileSync(path.join(store, 'snapshots', 'u8.json'), 'utf8').split('\n')[1]!)[0].bytes, undefined);
});

test('import and capture print JSON with --json, for scripts', async () => {
  const store = tempStore();
  const imp = JSON.parse((await mapsdiff(['import', TENDA, '--json', '--name', 'ac15'], { store })).stdout);
  assert.deepEqual(imp, { snapshot: 'ac15', processes: 1, skipped: [] });
  const cap = await mapsdiff(['capture', 'local', '--pid', String(process.pid), '--json'], { store });
  assert.equal(cap.code, 0, cap.stderr);
  assert.deepEqual(JSON.parse(cap.stdout), { snapshots: [{ target: 'local', name: 't0', processes: 1, skipped: [], unmatched: [] }], failed: [] });
});

test('a word for a pid, and a report to a directory that does not exist: clear sentences, exit 2', async () => {
  const store = tempStore();
  await mapsdiff(['import', TENDA, '--name', 'a'], { store });
  const pid = await mapsdiff(['show', 'a', '--pid', 'abc'], { store });
  assert.equal(pid.code, 2);
  assert.match(pid.stderr, /--pid takes a process id, and got a value that is not a number; write a whole number such as 412/);
  const rep = await mapsdiff(['report', 'a', '-o', '/nonexistent-dir/r.html'], { store });
  assert.equal(rep.code, 2);
  assert.match(rep.stderr, /cannot write the report to "\/nonexistent-dir\/r.html": its directory does not exist/);
});
