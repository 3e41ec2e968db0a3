/*! The remote script run locally under the shells boards have (BusyBox ash with only cat,
 * tr, uname and sleep on PATH), dash and bash: same sections, quoting that keeps names data.
 * Every process a test reads is one it started: scripts that look at every process (by name,
 * --all) run in a PID namespace of their own. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../src/errors.js';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildRemoteScript, remoteCommand, shQuote } from '../../src/collect/remote-script.js';
import type { Selection } from '../../src/collect/source.js';
import { execd } from '../helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-rs-'));
const bin = path.join(dir, 'bin');
const B = 'Bq1w2e3r4t5y6u7i8o9p0';
const procs: ChildProcess[] = [];
let odd = 0;
let renamed = 0;

before(async () => {
  // the only commands the script may use besides shell builtins
  fs.mkdirSync(bin);
  for (const c of ['cat', 'tr', 'uname', 'sleep']) fs.symlinkSync('/bin/busybox', path.join(bin, c));
  const a = spawn(exe('r) s (t'), ['600'], { stdio: 'ignore' });
  // comm `srv` (the file run), cmdline's first word /opt/app/very-long-daemon-name
  const r = spawn(exe('srv'), ['600'], { stdio: 'ignore', argv0: '/opt/app/very-long-daemon-name' });
  procs.push(a, r);
  odd = a.pid!;
  renamed = r.pid!;
  await Promise.all([execd(odd, 'r) s (t'), execd(renamed, 'srv')]);
});
after(() => {
  for (const p of procs) p.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function exe(name: string): string {
  const f = path.join(dir, name);
  if (!fs.existsSync(f)) { fs.copyFileSync('/bin/sleep', f); fs.chmodSync(f, 0o755); }
  return f;
}

/**
 * The script run by `shell` in a PID namespace of its own (unshare, as root), with its own
 * /proc: the only processes it can see are the ones started here, the same two as above
 * (`r) s (t` and `srv` run as /opt/app/very-long-daemon-name), started by a bash that waits
 * until both have exec'd and then execs the script's shell (pid 1 of the namespace). Another test's processes (a concurrent run of this very file) cannot
 * match a name. Returns their pids as that namespace numbers them, and the sections.
 */
function runOwned(shell: [string, string[]], s: Selection) {
  const script = buildRemoteScript(s, B);
  const env = shell[0] === '/bin/busybox' ? { PATH: bin } : { PATH: process.env.PATH, HOME: dir };
  const wrapper = [
    '"$1" 600 </dev/null >/dev/null 2>&1 & a=$!',
    '(exec -a /opt/app/very-long-daemon-name "$2" 600 </dev/null >/dev/null 2>&1) & r=$!',
    'until [ "$(cat /proc/$a/comm 2>/dev/null)" = "r) s (t" ] && [ "$(cat /proc/$r/comm 2>/dev/null)" = srv ]; do :; done',
    'echo "$a $r"',
    // the script becomes pid 1: when it exits, the kernel kills the namespace's other processes
    'shift 2; PATH=$P exec "$@"',
  ].join('\n');
  const text = execFileSync('/usr/bin/unshare', ['--pid', '--fork', '--mount-proc', '/bin/bash', '-c', wrapper, 'wrapper', exe('r) s (t'), exe('srv'), shell[0], ...shell[1], '-c', script],
    { encoding: 'utf8', env: { ...env, P: env.PATH } });
  const nl = text.indexOf('\n');
  const [o, r] = text.slice(0, nl).split(' ').map(Number) as [number, number];
  return { odd: o, renamed: r, sections: parseCaptureText(text.slice(nl + 1), shell[0], { requireEnd: true }).sections };
}

const sel = (s: Partial<Selection>): Selection => ({ pids: [], names: [], all: false, smaps: false, ...s });
const SHELLS: [string, string[]][] = [['/bin/busybox', ['sh']], ['/bin/dash', []], ['/bin/bash', ['--posix']]];
function run(shell: [string, string[]], s: Selection) {
  const script = buildRemoteScript(s, B);
  const env = shell[0] === '/bin/busybox' ? { PATH: bin } : { PATH: process.env.PATH, HOME: dir };
  const text = execFileSync(shell[0], [...shell[1], '-c', script], { encoding: 'utf8', env });
  return parseCaptureText(text, shell[0], { requireEnd: true }).sections;
}
const summary = (secs: ReturnType<typeof run>) => secs.map((x) => `${x.pid ?? ''}:${x.name}:${x.status}`);

test('shQuote keeps every byte as data, under each shell', () => {
  const nasty = [`x'; reboot; '`, `$(id)`, '`id`', `"$HOME"`, 'a\nb', '\\', "''", '*', ' lead and trail ', '$1'];
  for (const shell of SHELLS) {
    for (const s of nasty) {
      const out = execFileSync(shell[0], [...shell[1], '-c', `printf %s ${shQuote(s)}`], { encoding: 'utf8' });
      assert.equal(out, s, `${shell[0]}: ${JSON.stringify(s)}`);
    }
  }
  assert.equal(shQuote(`it's`), `'it'\\''s'`);
  assert.throws(() => shQuote('a\0b'), UsageError);
});

test('pids and names no process can have are usage errors', () => {
  for (const pids of [[0], [-1], [1.5]]) assert.throws(() => buildRemoteScript(sel({ pids }), B), /is not a process id/);
  assert.throws(() => buildRemoteScript(sel({ names: [''] }), B), (e: unknown) => e instanceof UsageError && /empty process name/.test(e.message));
  assert.throws(() => buildRemoteScript(sel({ names: ['a\0b'] }), B), UsageError);
});

test('by comm, by cmdline basename, by pid: the same sections under ash, dash and bash', () => {
  const expect = (pid: number) => ['stat', 'status', 'limits', 'cmdline', 'maps', 'smaps_rollup'].map((n) => `${pid}:${n}:ok`);
  for (const shell of SHELLS) {
    const { odd, renamed, sections: secs } = runOwned(shell, sel({ names: ['r) s (t', 'very-long-daemon-name'], pids: [999999999] }));
    assert.deepEqual(summary(secs).sort(), [':uname:ok', ':uptime:ok', ':ulimit-s:ok', ':meminfo:ok', ...expect(odd), ...expect(renamed)].sort(), shell[0]);
    const stat = secs.find((s) => s.pid === odd && s.name === 'stat')!;
    assert.ok(stat.text.startsWith(`${odd} (r) s (t) S 1 `), stat.text);
    assert.equal(secs.find((s) => s.pid === renamed && s.name === 'cmdline')!.text, '/opt/app/very-long-daemon-name\u0000600\u0000');
    // comm `srv` alone is not the cmdline's basename, but matches as comm
    const bySrv = runOwned(shell, sel({ names: ['srv'], smaps: true }));
    assert.deepEqual(summary(bySrv.sections).filter((s) => /^\d/.test(s)), [...expect(bySrv.renamed), `${bySrv.renamed}:smaps:ok`]);
  }
});

test('no match: a processes section of `pid comm` lines, and nothing else per process', () => {
  for (const shell of SHELLS) {
    const { odd, renamed, sections: secs } = runOwned(shell, sel({ names: [`x'; touch ${dir}/pwned; '`], pids: [999999999] }));
    assert.deepEqual(summary(secs), [':uname:ok', ':uptime:ok', ':ulimit-s:ok', ':meminfo:ok', ':processes:ok']);
    const lines = secs.at(-1)!.text.split('\n').filter(Boolean).sort((x, y) => parseInt(x, 10) - parseInt(y, 10));
    // every process of the namespace with a cmdline: the script's shell (pid 1) and the two
    assert.deepEqual(lines, [`1 ${path.basename(shell[0])}`, `${odd} r) s (t`, `${renamed} srv`], shell[0]);
    assert.equal(fs.existsSync(`${dir}/pwned`), false);
  }
});

test('--all leaves out kernel threads and the script itself', () => {
  // in its own PID namespace the script sees exactly: itself (pid 1) and the two
  const { odd, renamed, sections: secs } = runOwned(SHELLS[0]!, sel({ all: true }));
  const pids = [...new Set(secs.filter((s) => s.pid !== undefined).map((s) => s.pid))].sort((x, y) => x! - y!);
  assert.deepEqual(pids, [odd, renamed], 'the script itself (pid 1) is left out');
  for (const p of pids) assert.notEqual(secs.find((s) => s.pid === p && s.name === 'maps')!.text, '', `pid ${p} has an empty maps`);
  // a kernel thread lives only in the first namespace: kthreadd, pid 2, there from boot to
  // shutdown (the one host process this test reads but did not start; it never changes)
  // (only its lines and the end line are kept: the host's other processes are no business of this test)
  const host = execFileSync('/bin/busybox', ['sh', '-c', 'busybox sh -c "$1" | grep -aE "^$2 (pid 2 |end$)"', 'sh', buildRemoteScript(sel({ all: true }), B), B],
    { encoding: 'utf8', env: { PATH: `${bin}:/bin:/usr/bin` }, maxBuffer: 1 << 20 });
  assert.equal(host, `${B} end\n`, 'kthreadd has an empty maps: left out');
});

test('the exec request runs the script with sh whatever the login shell', () => {
  const cmd = remoteCommand(buildRemoteScript(sel({ pids: [odd] }), B));
  assert.match(cmd, /^exec sh -c '/);
  const text = execFileSync('/bin/bash', ['-c', cmd], { encoding: 'utf8' });
  assert.deepEqual(summary(parseCaptureText(text, 'bash', { requireEnd: true }).sections).filter((s) => s.startsWith(`${odd}:`)).length, 6);
  assert.equal(execFileSync('/bin/busybox', ['sh', '-c', `command -v ${['awk', 'ps', 'pidof'].join(' ')} >/dev/null; echo $?`], { env: { PATH: bin }, encoding: 'utf8' }).trim(), '127');
});

test('a shell without ulimit and a board without uname: those sections are recorded as missing, the capture still parses', () => {
  for (const shell of SHELLS) {
    // functions shadow the builtin and the command, as on a BusyBox built without them
    const script = 'ulimit() { return 1; }\nuname() { return 1; }\n' + buildRemoteScript(sel({ pids: [odd] }), B);
    const env = shell[0] === '/bin/busybox' ? { PATH: bin } : { PATH: process.env.PATH, HOME: dir }; // as run() does
    const out = execFileSync(shell[0], [...shell[1], '-c', script], { env, encoding: 'latin1' });
    const secs = parseCaptureText(out, shell[0], { requireEnd: true }).sections;
    assert.deepEqual(secs.filter((s) => s.pid === undefined).map((s) => `${s.name}:${s.status}`),
      ['uname:missing', 'uptime:ok', 'ulimit-s:missing', 'meminfo:ok'], shell[0]);
    assert.deepEqual(parseCapture({ sections: secs }, { source: shell[0] }).ulimitStack, undefined);
  }
});
