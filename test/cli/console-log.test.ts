/*! `mapsdiff script` and `import` of the terminal log it leaves: the printed script runs in a
 * real sh on this machine against a process the test owns; the log, with prompts, echo, CR LF
 * line ends and a kernel message between sections around it, imports to the same sections,
 * and a log with one byte changed inside a section is refused (exit 2), nothing stored. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mapsdiff, tempStore } from './run.js';

test('import of a console log of mapsdiff script: prompts, echo, CRLF and kernel messages around it; a changed byte is refused', async (t) => {
  const child = spawn('sleep', ['60']);
  t.after(() => child.kill());
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  const s = await mapsdiff(['script', '--pid', String(child.pid)]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /^sh -s <<'MAPSDIFF_EOF_[0-9a-f]{8}'\n/);
  // stdout a file, as a terminal is a tty (the script's tee reopens its stdout, which a socket, node's default, refuses)
  const dir = fs.mkdtempSync(path.join(store, 'log-'));
  const fd = fs.openSync(path.join(dir, 'clean.txt'), 'a'); // O_APPEND: tee's reopened fd and sh's share the end
  execFileSync('sh', ['-c', s.stdout], { stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  const out = fs.readFileSync(path.join(dir, 'clean.txt'), 'latin1');
  const header = out.indexOf('mapsdiff-capture 2 ');
  assert.ok(header >= 0);
  const b = out.slice(header).split(' ')[2]!.split('\n')[0]!;
  // as a terminal shows it: the echoed paste with PS2 prompts, CR LF, a printk line between sections, a prompt after
  const echoed = s.stdout.split('\n').map((l, i) => (i ? '> ' : 'root@board:~# ') + l).join('\r\n');
  const noisy = out.replace(`\n${b} uptime\n`, `\n[  123.456789] usb 1-1: new high-speed USB device number 2\n${b} uptime\n`);
  const log = `${echoed}\r\n${noisy.replaceAll('\n', '\r\n')}root@board:~# \x1b[6n`;
  fs.writeFileSync(path.join(dir, 'minicom.cap'), log, 'latin1');
  const clean = await mapsdiff(['import', path.join(dir, 'clean.txt'), '--name', 'clean'], { store });
  assert.equal(clean.code, 0, clean.stderr);
  const fromLog = await mapsdiff(['import', path.join(dir, 'minicom.cap'), '--name', 'log'], { store });
  assert.equal(fromLog.code, 0, fromLog.stderr);
  const shown = async (n: string) => JSON.parse((await mapsdiff(['show', n, '--json'], { store })).stdout).processes;
  assert.deepEqual(await shown('log'), await shown('clean'));
  assert.equal((await shown('log'))[0].pid, child.pid);
  // one byte changed inside the maps text: the sum says so
  const at = log.indexOf(`${b} pid ${child.pid} maps\r\n`) + b.length + 20;
  const bad = log.slice(0, at) + String.fromCharCode(log.charCodeAt(at) ^ 1) + log.slice(at + 1);
  fs.writeFileSync(path.join(dir, 'bad.cap'), bad, 'latin1');
  const r = await mapsdiff(['import', path.join(dir, 'bad.cap'), '--name', 'bad'], { store });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /does not match its checksum/);
  assert.doesNotMatch((await mapsdiff(['list'], { store })).stdout, /\bbad\b/);
});

test('regression: a console log of 200,000 sections whose sums all fail is refused at once, naming the first (each damaged section\'s error counted the lines from the start: hours)', { timeout: 300_000 }, async (t) => {
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  const b = 'c0ffee00c0ffee00c0ffee00c0ffee00';
  const parts = [`mapsdiff-capture 2 ${b}\n`];
  for (let i = 1; i <= 200_000; i++) parts.push(`${b} pid ${i} stat\n${i} (x) S 1\n${b} pid ${i} stat ok md5 ${'0'.repeat(32)}\n`);
  parts.push(`${b} end\n`);
  const file = path.join(store, 'noisy.cap');
  fs.writeFileSync(file, parts.join(''), 'latin1');
  const r = await mapsdiff(['import', file, '--name', 'noisy'], { store, timeout: 280_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /noisy\.cap:4: section pid 1 stat does not match its checksum/);
  assert.doesNotMatch((await mapsdiff(['list'], { store })).stdout, /\bnoisy\b/);
});
