/*! The remote script run locally under the shells boards have (BusyBox ash with only cat,
 * tr, uname and sleep on PATH), dash and bash, read from stdin as `sh -s` reads it over SSH:
 * same sections, quoting that keeps names data, a boundary no other process can read, framing
 * no process's text can break, processes that exit mid-read recorded as gone. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../src/errors.js';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildRemoteScript, REMOTE_COMMAND, shQuote } from '../../src/collect/remote-script.js';
import { captureFromRun } from '../../src/collect/remote-stream.js';
import type { Selection } from '../../src/collect/source.js';
import { childrenOf } from '../servers/harness.js';
import { execd } from '../helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-rs-'));
const bin = path.join(dir, 'bin');
const B = 'Bq1w2e3r4t5y6u7i8o9p0';
// names no other run of this file on the same machine uses (comm holds 15 bytes)
const ODD = `r) s (t${process.pid % 100000}`;
const DAEMON = `very-long-daemon-name-${process.pid}`;
const procs: ChildProcess[] = [];
let odd = 0;
let renamed = 0;

before(async () => {
  // the only commands the script may use besides shell builtins
  fs.mkdirSync(bin);
  for (const c of ['cat', 'tr', 'uname', 'sleep']) fs.symlinkSync('/bin/busybox', path.join(bin, c));
  const exe = (name: string) => { const f = path.join(dir, name); fs.copyFileSync('/bin/sleep', f); fs.chmodSync(f, 0o755); return f; };
  const a = spawn(exe(ODD), ['600'], { stdio: 'ignore' });
  // comm `srv` (the file run), cmdline's first word /opt/app/very-long-daemon-name
  const r = spawn(exe('srv'), ['600'], { stdio: 'ignore', argv0: `/opt/app/${DAEMON}` });
  procs.push(a, r);
  odd = a.pid!;
  renamed = r.pid!;
  await execd(odd, ODD);
  await execd(renamed, 'srv');
});
after(() => {
  for (const p of procs) p.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const sel = (s: Partial<Selection>): Selection => ({ pids: [], names: [], all: false, smaps: false, ...s });
const SHELLS: [string, string[]][] = [['/bin/busybox', ['sh']], ['/bin/dash', []], ['/bin/bash', ['--posix']]];
const envFor = (shell: [string, string[]]) => (shell[0] === '/bin/busybox' ? { PATH: bin } : { PATH: process.env.PATH, HOME: dir });
function run(shell: [string, string[]], s: Selection) {
  const script = buildRemoteScript(s, B);
  const text = execFileSync(shell[0], [...shell[1], '-s'], { input: script, encoding: 'latin1', env: envFor(shell), maxBuffer: 256 << 20 });
  return parseCaptureText(text, shell[0], { requireEnd: true }).sections;
}
/** The board-wide sections after ulimit-s, in order: df (missing where PATH has none: the BusyBox PATH here), then the
 * files the one cat reads (meminfo, boot_id and those of issue 12). */
const board = (shell: [string, string[]]) => [shell[0] === '/bin/busybox' ? 'df:missing' : 'df:ok', 'meminfo:ok', 'boot_id:ok',
  'max_map_count:ok', 'file-nr:ok', `slabinfo:${process.getuid?.() === 0 ? 'ok' : 'denied'}`, 'buddyinfo:ok', 'mounts:ok'];
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
  const expect = (pid: number) => ['stat', 'status', 'limits', 'smaps_rollup', 'maps', 'cmdline', 'fds'].map((n) => `${pid}:${n}:ok`);
  for (const shell of SHELLS) {
    const want = [':uname:ok', ':uptime:ok', ':ulimit-s:ok', ...board(shell).map((b) => ':' + b), ...expect(odd), ...expect(renamed)].sort();
    const secs = run(shell, sel({ names: [ODD, DAEMON], pids: [999999999] }));
    assert.deepEqual(summary(secs).sort(), want, shell[0]);
    const stat = secs.find((s) => s.pid === odd && s.name === 'stat')!;
    assert.ok(stat.text.startsWith(`${odd} (${ODD}) S ${process.pid} `), stat.text);
    assert.equal(secs.find((s) => s.pid === renamed && s.name === 'cmdline')!.text, `/opt/app/${DAEMON}\u0000`, 'argv[0] only');
    // comm `srv` alone is not the cmdline's basename, but matches as comm
    assert.deepEqual(summary(run(shell, sel({ names: ['srv'], smaps: true }))).filter((s) => s.startsWith(`${renamed}:`)), [...expect(renamed).slice(0, -1), `${renamed}:smaps:ok`, `${renamed}:fds:ok`]);
  }
});

test('no match: a processes section of `pid comm` lines, and nothing else per process', () => {
  for (const shell of SHELLS) {
    const secs = run(shell, sel({ names: [`x'; touch ${dir}/pwned; '`], pids: [999999999] }));
    assert.deepEqual(summary(secs), [':uname:ok', ':uptime:ok', ':ulimit-s:ok', ...board(shell).map((b) => ':' + b), ':processes:ok']);
    const lines = secs.at(-1)!.text.split('\n');
    assert.ok(lines.includes(`${odd} ${ODD}`), shell[0]);
    assert.ok(lines.includes(`${renamed} srv`));
    assert.equal(fs.existsSync(`${dir}/pwned`), false);
  }
});

test('--all leaves out kernel threads and the script itself', () => {
  const secs = run(SHELLS[0]!, sel({ all: true }));
  const pids = new Set(secs.filter((s) => s.pid !== undefined).map((s) => s.pid));
  assert.ok(pids.has(odd) && pids.has(renamed) && pids.has(process.pid));
  assert.equal(pids.has(2), false); // kthreadd
  // and no kernel thread: where kthreadd lists them, their maps are not even opened
  for (const k of fs.readFileSync('/proc/2/task/2/children', 'utf8').trim().split(' ').map(Number)) {
    if (fs.existsSync(`/proc/${k}`) && isKernelThread(k)) assert.equal(pids.has(k), false, `kernel thread ${k} was captured`);
  }
  for (const p of pids) {
    const maps = secs.find((s) => s.pid === p && s.name === 'maps')!;
    assert.ok(maps.status !== 'ok' || maps.text !== '', `pid ${p} has an empty maps`);
  }
});

const isKernelThread = (pid: number) => {
  try { return fs.readFileSync(`/proc/${pid}/maps`, 'latin1') === '' && !fs.existsSync(`/proc/${pid}/exe`); } catch { return false; }
};

test('format 4 with --all: the host takes out the capture\'s own session (the shell, the server process serving it, not the listener) from its stat lines; a process named sshd under another named sshd stays', async () => {
  // two `sshd` scripts stand for an SSH server: the listener, and the session process the shell runs under
  const srv = path.join(dir, 'fake-server');
  fs.mkdirSync(srv, { recursive: true });
  const sshd = path.join(srv, 'sshd');
  fs.writeFileSync(sshd, '#!/bin/sh\n"$@"\nexit $?\n', { mode: 0o755 });
  // a hostile pair that names itself like the server: not the capture's ancestors, so captured
  const fake = spawn(sshd, [sshd, '/bin/sleep', '600'], { stdio: 'ignore', detached: true });
  try {
    let sleeper = 0;
    for (let i = 0; i < 500 && !sleeper; i++) {
      const inner = childrenOf(fake.pid!)[0];
      sleeper = inner ? childrenOf(inner).find((c) => { try { return fs.readFileSync(`/proc/${c}/comm`, 'utf8') === 'sleep\n'; } catch { return false; } }) ?? 0 : 0;
      if (!sleeper) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(sleeper, 'the fake sshd pair started its sleep');
    const fakeInner = childrenOf(fake.pid!)[0]!;
    for (const shell of SHELLS) {
      const child = spawn(sshd, [sshd, shell[0], ...shell[1], '-s'], { env: envFor(shell), stdio: ['pipe', 'pipe', 'ignore'] });
      const out: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      const closed = new Promise<void>((res) => child.on('close', () => res()));
      child.stdin!.end(buildRemoteScript(sel({ all: true }), B));
      await closed;
      const text = Buffer.concat(out).toString('latin1');
      const session = /\n[^ ]+ session ([0-9]+) ([0-9]+)\n/.exec(text);
      assert.ok(session, `${shell[0]}: the session line`);
      const [shellPid, parent] = [Number(session[1]), Number(session[2])];
      const listed = parseCaptureText(text, shell[0], { requireEnd: true }).sections;
      const stat = listed.find((x) => x.pid === parent && x.name === 'stat')!;
      assert.equal(stat.text.replace(/^.*\) /s, '').split(' ')[1], String(child.pid), `${shell[0]}: the shell's parent is the inner sshd`);
      const all = new Set(listed.map((x) => x.pid));
      assert.ok(all.has(parent) && all.has(child.pid) && !all.has(shellPid), `${shell[0]}: the script lists the server processes, not itself`);
      const raw = captureFromRun({ text, bytes: text.length, stderr: '', exit: { code: 0 } }, B, 'test', 'local');
      const pids = new Set(raw.sections.map((x) => x.pid));
      assert.equal(raw.session, undefined, 'the session line is not kept');
      assert.equal(pids.has(parent), false, `${shell[0]}: the session's server process was captured`);
      assert.equal(pids.has(shellPid), false);
      assert.ok(pids.has(child.pid), `${shell[0]}: the listener (its parent is no server) is captured`);
      for (const p of [fake.pid!, fakeInner, sleeper, odd, renamed]) assert.ok(pids.has(p), `${shell[0]}: pid ${p} was taken out`);
    }
  } finally {
    process.kill(-fake.pid!, 'SIGKILL');
  }
});

test('a df without -t (an old BusyBox): each tmpfs mount is asked for alone, the same mounts in the df section', () => {
  const old = path.join(dir, 'bin-old-df');
  fs.mkdirSync(old, { recursive: true });
  for (const c of ['cat', 'tr', 'uname', 'sleep']) fs.symlinkSync('/bin/busybox', path.join(old, c));
  fs.writeFileSync(path.join(old, 'df'), '#!/bin/busybox sh\ncase $1 in -*t*) echo "df: unrecognized option" >&2; exit 1 ;; esac\nexec /bin/busybox df "$@"\n', { mode: 0o755 });
  const dfOf = (PATH: string) => {
    const text = execFileSync('/bin/busybox', ['sh', '-s'], { input: buildRemoteScript(sel({ pids: [odd] }), B), encoding: 'latin1', env: { PATH } });
    const df = parseCaptureText(text, 'ash', { requireEnd: true }).sections.find((x) => x.name === 'df')!;
    assert.equal(df.status, 'ok');
    // one line a mount point (parse/mounts.ts keeps the last): the loop asks for a mount point mounted twice twice
    return [...new Set(df.text.split('\n').filter((l) => l && !l.startsWith('Filesystem')).map((l) => l.split(/ +/).at(-1)))].sort();
  };
  const logged = path.join(dir, 'bin-new-df');
  fs.mkdirSync(logged, { recursive: true });
  for (const c of ['cat', 'tr', 'uname', 'sleep', 'df']) fs.symlinkSync('/bin/busybox', path.join(logged, c));
  const tmpfs = fs.readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.split(' ')[2] === 'tmpfs').map((l) => l.split(' ')[1]!);
  assert.ok(tmpfs.length > 0, 'this machine has a tmpfs mount');
  assert.deepEqual(dfOf(old), dfOf(logged));
  assert.deepEqual(dfOf(logged), [...new Set(tmpfs)].sort());
});

test('the exec request runs sh on the script from stdin whatever the login shell, and carries no boundary', () => {
  assert.equal(REMOTE_COMMAND, 'exec sh -s');
  const text = execFileSync('/bin/bash', ['-c', REMOTE_COMMAND], { input: buildRemoteScript(sel({ pids: [odd] }), B), encoding: 'latin1' });
  assert.deepEqual(summary(parseCaptureText(text, 'bash', { requireEnd: true }).sections).filter((s) => s.startsWith(`${odd}:`)).length, 7);
  assert.equal(execFileSync('/bin/busybox', ['sh', '-c', `command -v ${['awk', 'ps', 'pidof'].join(' ')} >/dev/null; echo $?`], { env: { PATH: bin }, encoding: 'utf8' }).trim(), '127');
});

test('a shell without ulimit and a board without uname: those sections are recorded as missing, the capture still parses', () => {
  for (const shell of SHELLS) {
    // functions shadow the builtin and the command, as on a BusyBox built without them
    const script = 'ulimit() { return 1; }\nuname() { return 1; }\n' + buildRemoteScript(sel({ pids: [odd] }), B);
    const out = execFileSync(shell[0], [...shell[1], '-s'], { input: script, env: envFor(shell), encoding: 'latin1' });
    const secs = parseCaptureText(out, shell[0], { requireEnd: true }).sections;
    assert.deepEqual(secs.filter((s) => s.pid === undefined).map((s) => `${s.name}:${s.status}`),
      ['uname:missing', 'uptime:ok', 'ulimit-s:missing', ...board(shell)], shell[0]);
    assert.deepEqual(parseCapture({ sections: secs }, { source: shell[0] }).ulimitStack, undefined);
  }
});

/** Runs the script under `shell` with a pause after listing; `during` runs while it sleeps, then the pause is cut short. */
async function runPaused(shell: [string, string[]], s: Selection, during: () => Promise<void> | void, env = envFor(shell)): Promise<string> {
  const child = spawn(shell[0], [...shell[1], '-s'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const out: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  const closed = new Promise<void>((res) => child.on('close', () => res()));
  child.stdin!.end(buildRemoteScript(s, B, { pauseAfterListing: 30 }));
  let pause = 0;
  for (let i = 0; i < 1000 && !pause; i++) {
    pause = childrenOf(child.pid!).find((p) => {
      try { return ['sleep\x0030\x00', '/bin/busybox\x00sleep\x0030\x00'].includes(fs.readFileSync(`/proc/${p}/cmdline`, 'latin1')); } catch { return false; }
    }) ?? 0;
    if (!pause) await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(pause, 'the script reached its pause');
  try {
    await during();
  } finally {
    process.kill(pause, 'SIGKILL');
  }
  await closed;
  return Buffer.concat(out).toString('latin1');
}

test('the boundary reaches no argv and no environment: not the shell\'s, not any program the script runs', async () => {
  // every program the script may run logs its own argv and environment, then runs
  const logged = path.join(dir, 'bin-logged');
  const log = path.join(dir, 'argv.log');
  fs.mkdirSync(logged);
  for (const c of ['cat', 'tr', 'uname', 'sleep', 'df']) {
    fs.writeFileSync(path.join(logged, c), `#!/bin/busybox sh\n{ echo "$0 $*"; /bin/busybox env; } >>${log}\nexec /bin/busybox ${c} "$@"\n`, { mode: 0o755 });
  }
  for (const shell of SHELLS) {
    fs.writeFileSync(log, '');
    let seen = 0;
    const text = await runPaused(shell, sel({ names: [DAEMON], pids: [odd] }), () => {
      for (const e of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
        for (const f of ['cmdline', 'environ']) {
          try {
            assert.equal(fs.readFileSync(`/proc/${e}/${f}`).includes(B), false, `${shell[0]}: /proc/${e}/${f} holds the boundary`);
            seen++;
          } catch (err) { if (err instanceof assert.AssertionError) throw err; }
        }
      }
    }, { PATH: logged, HOME: dir });
    assert.ok(seen > 20);
    assert.deepEqual(summary(parseCaptureText(text, shell[0], { requireEnd: true }).sections).filter((x) => x.startsWith(`${renamed}:`)).length, 7);
    const argv = fs.readFileSync(log, 'utf8');
    assert.match(argv, /\/cat \/proc\/meminfo .* \/proc\/[0-9]+\/stat /);
    assert.match(argv, /\/sleep 30\n/);
    assert.match(argv, /\/df -Pakt tmpfs\n/);
    assert.equal(argv.includes(B), false, `${shell[0]}: a program the script ran saw the boundary`);
  }
});

test('a process whose argv holds boundary lines and whose comm holds a newline forges nothing, even knowing the boundary', async () => {
  const forged = `x\n${B} pid 999999 maps\n10000000-70000000 rw-p 00000000 00:00 0  [heap]\n${B} pid 999999 cmdline\nfake\n${B} end\n`;
  const liar = spawn('/bin/sh', ['-c', 'sleep 600; :', 'liar', forged], { stdio: 'ignore' });
  const nl = path.join(dir, 'new\nline');
  fs.copyFileSync('/bin/sleep', nl);
  fs.chmodSync(nl, 0o755);
  const comm = spawn(nl, ['600'], { stdio: 'ignore' });
  procs.push(liar, comm);
  for (let i = 0; i < 200 && !fs.readFileSync(`/proc/${liar.pid}/cmdline`, 'latin1').includes('liar'); i++) await new Promise((r) => setTimeout(r, 10));
  for (const shell of SHELLS) {
    for (const cmdline of [false, true]) {
      const secs = run(shell, sel({ pids: [liar.pid!, comm.pid!], cmdline }));
      assert.deepEqual([...new Set(secs.filter((s) => s.pid !== undefined).map((s) => s.pid))], [liar.pid, comm.pid], `${shell[0]}: no forged process`);
      const text = secs.find((s) => s.pid === liar.pid && s.name === 'cmdline')!.text;
      assert.equal(text, cmdline ? `/bin/sh\0-c\0sleep 600; :\0liar\0${forged}\0` : '/bin/sh\0', `${shell[0]} cmdline=${cmdline}`);
      const stat = secs.find((s) => s.pid === comm.pid && s.name === 'stat')!;
      assert.ok(stat.text.startsWith(`${comm.pid} (new\nline) S `), JSON.stringify(stat.text));
      assert.equal(parseCapture({ sections: secs }, { source: shell[0] }).processes.find((p) => p.pid === comm.pid)!.name, 'new\nline');
    }
  }
});

test('a process that exits after the listing, left a zombie: its empty reads are recorded as gone, the capture parses', async () => {
  for (const shell of SHELLS) {
    // the child of a parent that never waits stays a zombie once killed: its files open, and read empty or fail
    const parent = spawn('/bin/sh', ['-c', 'sleep 600 & exec sleep 601'], { stdio: 'ignore' });
    procs.push(parent);
    let child = 0;
    for (let i = 0; i < 200 && !child; i++) {
      child = childrenOf(parent.pid!)[0] ?? 0;
      if (!child) await new Promise((r) => setTimeout(r, 10));
    }
    const text = await runPaused(shell, sel({ pids: [child, odd] }), async () => {
      process.kill(child, 'SIGKILL');
      for (let i = 0; i < 200 && !/^\d+ \(sleep\) Z/.test(fs.readFileSync(`/proc/${child}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 10));
    });
    const secs = parseCaptureText(text, shell[0], { requireEnd: true }).sections;
    assert.deepEqual(summary(secs).filter((x) => x.startsWith(`${child}:`)).sort(),
      ['stat', 'status', 'limits', 'smaps_rollup', 'maps', 'cmdline', 'fds'].map((n) => `${child}:${n}:gone`).sort(), shell[0]);
    assert.equal(summary(secs).filter((x) => x.startsWith(`${odd}:`) && x.endsWith(':ok')).length, 7, 'the rest stored');
    const parsed = parseCapture({ sections: secs }, { source: shell[0] });
    assert.equal(parsed.processes.find((p) => p.pid === child)!.gone, true);
    parent.kill('SIGKILL');
  }
});

test('a shell that would run echo or printf as a program (bash with the builtins disabled) refuses before printing the boundary', () => {
  const script = 'enable -n echo printf\n' + buildRemoteScript(sel({ pids: [odd] }), B);
  const r = spawnSync('/bin/bash', ['--posix', '-s'], { input: script, encoding: 'latin1' });
  assert.equal(r.status, 97);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /runs echo or printf as a program/);
});

test('a process reaped between the open of its file and the read: the empty read is recorded as gone, the rest stored', async () => {
  // cat and tr that, given the victim's file (as stdin, or named: the one cat of format 3), hold still
  // after the shell opened it until told to go
  const slow = path.join(dir, 'bin-slow');
  const gate = path.join(dir, 'gate');
  fs.mkdirSync(slow);
  fs.mkdirSync(gate);
  const victim = spawn(path.join(dir, ODD), ['600'], { stdio: 'ignore' });
  procs.push(victim);
  for (const c of ['cat', 'tr']) {
    fs.writeFileSync(path.join(slow, c), `#!/bin/busybox sh
case "$(/bin/busybox readlink /proc/$$/fd/0) $* " in /proc/${victim.pid}/*|*" /proc/${victim.pid}/stat "*)
  /bin/busybox touch ${gate}/opened
  while [ ! -e ${gate}/go ]; do /bin/busybox usleep 10000; done ;;
esac
exec /bin/busybox ${c} "$@"
`, { mode: 0o755 });
  }
  for (const c of ['uname', 'sleep']) fs.symlinkSync('/bin/busybox', path.join(slow, c));
  const child = spawn('/bin/busybox', ['sh', '-s'], { env: { PATH: slow }, stdio: ['pipe', 'pipe', 'ignore'] });
  const out: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  const closed = new Promise<void>((res) => child.on('close', () => res()));
  child.stdin!.end(buildRemoteScript(sel({ pids: [victim.pid!, odd] }), B));
  for (let i = 0; i < 1000 && !fs.existsSync(`${gate}/opened`); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(fs.existsSync(`${gate}/opened`), 'the script opened the victim\'s first file');
  const exited = new Promise((res) => victim.once('exit', res));
  victim.kill('SIGKILL');
  await exited; // reaped by this process: /proc/PID is gone, the open file reads nothing
  fs.writeFileSync(`${gate}/go`, '');
  await closed;
  const secs = parseCaptureText(Buffer.concat(out).toString('latin1'), 'busybox', { requireEnd: true }).sections;
  const stat = secs.find((s) => s.pid === victim.pid && s.name === 'stat')!;
  assert.deepEqual([stat.status, stat.text], ['gone', '']);
  assert.equal(summary(secs).filter((x) => x.startsWith(`${odd}:`) && x.endsWith(':ok')).length, 7, 'the rest stored');
  const parsed = parseCapture({ sections: secs }, { source: 'busybox' });
  assert.equal(parsed.processes.find((p) => p.pid === victim.pid)!.gone, true);
});

test('argv[0] is read by BusyBox ash and bash themselves (read -d \'\'), no tr per process; its bytes travel as before under every shell', async () => {
  // newline, 0x01, a backslash, a tab, trailing spaces and bytes above 0x7f in the program's name; a second word that must not leave the board
  const name = '/opt/x\ny\x01z\\w\t\xe9\xff  ';
  const p = spawn('/bin/sh', ['-c', 'sleep 600; :', 'x', 'secret-arg'], { stdio: 'ignore', argv0: name });
  procs.push(p);
  for (let i = 0; i < 200 && !fs.readFileSync(`/proc/${p.pid}/cmdline`, 'latin1').includes('secret-arg'); i++) await new Promise((r) => setTimeout(r, 10));
  // on the wire its newline is 0x01, read back as a newline (as a 0x01 of its own is)
  const want = Buffer.from(name, 'utf8').toString('latin1').replaceAll('\x01', '\n') + '\0';
  const logged = path.join(dir, 'bin-counted');
  const log = path.join(dir, 'ran.log');
  fs.mkdirSync(logged, { recursive: true });
  for (const c of ['cat', 'tr', 'uname', 'sleep']) {
    fs.writeFileSync(path.join(logged, c), `#!/bin/busybox sh\necho "${c}" >>${log}\nexec /bin/busybox ${c} "$@"\n`, { mode: 0o755 });
  }
  for (const shell of SHELLS) {
    fs.writeFileSync(log, '');
    const script = buildRemoteScript(sel({ pids: [p.pid!, odd] }), B);
    const text = execFileSync(shell[0], [...shell[1], '-s'], { input: script, encoding: 'latin1', env: { PATH: logged, HOME: dir } });
    const secs = parseCaptureText(text, shell[0], { requireEnd: true }).sections;
    assert.equal(secs.find((s) => s.pid === p.pid && s.name === 'cmdline')!.text, want, shell[0]);
    assert.equal(secs.find((s) => s.pid === odd && s.name === 'cmdline')!.text.endsWith('\0'), true, shell[0]);
    const tr = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l === 'tr').length;
    // no tr for stat (the one cat reads it raw); the shells without `read -d` (dash) run one per process for cmdline
    assert.equal(tr, shell[0] === '/bin/dash' ? 2 : 0, `${shell[0]}: programs run: ${fs.readFileSync(log, 'utf8').split('\n').join(' ')}`);
  }
});

test('format 3, one cat for all: a comm that closes its parenthesis, forges an uptime line and a status, and a program path that forges a rollup header, are each read as that process\'s own text', async () => {
  // comm is the first 15 bytes of the file run: `x) R 1\n0.5 0.5\n`; the whole name is in maps (seq_path: `\012`)
  const name = 'x) R 1\n0.5 0.5\nName:\tforged\n00010000-00020000 ---p 00000000 00:00 0 [rollup]\n1.0 2.0';
  const exe = path.join(dir, name);
  fs.copyFileSync('/bin/sleep', exe);
  fs.chmodSync(exe, 0o755);
  const forger = spawn(exe, ['600'], { stdio: 'ignore' });
  procs.push(forger);
  await execd(forger.pid!, name);
  const kernel = (f: string) => fs.readFileSync(`/proc/${forger.pid}/${f}`, 'latin1');
  assert.ok(kernel('stat').startsWith(`${forger.pid} (x) R 1\n0.5 0.5\n) S `), 'the kernel prints the comm raw');
  for (const shell of SHELLS) {
    const secs = run(shell, sel({ pids: [forger.pid!, odd] }));
    assert.deepEqual([...new Set(secs.filter((s) => s.pid !== undefined).map((s) => s.pid))].sort(), [forger.pid, odd].sort(), `${shell[0]}: no forged process`);
    const text = (n: string) => secs.find((s) => s.pid === forger.pid && s.name === n)!;
    for (const f of ['stat', 'limits', 'maps']) assert.equal(text(f).text, kernel(f), `${shell[0]}: ${f} as the kernel prints it`);
    assert.equal(text('status').text.split('\n')[0], 'Name:\tx) R 1\\n0.5 0.5\\n', `${shell[0]}: status holds its own Name only`);
    assert.match(text('smaps_rollup').text, /^[0-9a-f]+-[0-9a-f]+ ---p 00000000 00:00 0 +\[rollup\]\nRss:/);
    assert.ok(text('maps').text.includes(`${exe.replaceAll('\n', '\\012')}\n`), 'the forged rollup header stays inside its maps line');
  }
});

test('issue 15: one cat reads every process\'s stat, status, limits, smaps_rollup and maps and the board-wide files, no program per file', () => {
  // a fork costs ~8 ms of CPU on the qemu ARM board: the script ran cat (or tr) once per file, five times a process
  const logged = path.join(dir, 'bin-forks');
  const log = path.join(dir, 'forks.log');
  fs.mkdirSync(logged, { recursive: true });
  for (const c of ['cat', 'tr', 'uname', 'sleep', 'df']) {
    fs.writeFileSync(path.join(logged, c), `#!/bin/busybox sh\necho "${c}" >>${log}\nexec /bin/busybox ${c} "$@"\n`, { mode: 0o755 });
  }
  for (const shell of SHELLS) {
    fs.writeFileSync(log, '');
    const text = execFileSync(shell[0], [...shell[1], '-s'], { input: buildRemoteScript(sel({ pids: [odd, renamed, process.pid] }), B), encoding: 'latin1', env: { PATH: logged, HOME: dir } });
    const secs = parseCaptureText(text, shell[0], { requireEnd: true }).sections;
    assert.equal(summary(secs).filter((x) => x.endsWith(':ok') && /^[0-9]/.test(x)).length, 21, `${shell[0]}: 7 sections of each of the 3 processes`);
    const ran = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.equal(ran.filter((c) => c === 'cat').length, 1, `${shell[0]}: programs run: ${ran.join(' ')}`);
    // dash has no `read -d ''`: it reads each argv[0] with tr
    assert.equal(ran.filter((c) => c === 'tr').length, shell[0] === '/bin/dash' ? 3 : 0, `${shell[0]}: programs run: ${ran.join(' ')}`);
  }
});
