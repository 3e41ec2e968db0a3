/*! `serial:` targets that cannot be opened fail with what, where and what to do (exit 3,
 * nothing stored): no such port, not a serial port, a port another program holds. The
 * serialport package is loaded only for serial:, so a copy of mapsdiff whose serialport has no
 * native binding (installed with --ignore-scripts where no prebuilt one fits) still captures
 * everything else, and refuses serial: saying how to get it. Real ptys from socat. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mapsdiff, tempStore } from './run.js';
import { ptyPair, type Pty } from '../board/pty.js';
import { nodeFlags, repoRoot, tempDir } from '../helpers.js';

let store: string;
before(() => { store = path.join(tempStore(), 'store'); });

const nothingStored = async () => {
  const l = await mapsdiff(['list', '--json'], { store });
  assert.equal(l.code, 0, l.stderr);
  assert.deepEqual(JSON.parse(l.stdout).snapshots, []);
};

test('serial: a port that does not exist: exit 3, the path named, and where the ports are', async () => {
  const r = await mapsdiff(['capture', 'serial:/dev/ttyUSB-mapsdiff-none?baud=115200', '--pid', '1'], { store });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot open \/dev\/ttyUSB-mapsdiff-none at 115200 baud \(No such file or directory.*\); no such port; the ports here are under \/dev \(ls \/dev\/ttyUSB\*/);
  assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  await nothingStored();
});

test('serial: a file that is not a serial port (/dev/null): exit 3, saying it is not one', async () => {
  const r = await mapsdiff(['capture', 'serial:/dev/null?baud=9600', '--pid', '1'], { store });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot open \/dev\/null at 9600 baud .*\/dev\/null is not a serial port, or it does not take 9600 baud/);
  await nothingStored();
});

test('serial: a port another program holds (flock, as minicom and picocom take it): exit 3, close it first', async () => {
  const pty: Pty = await ptyPair();
  let holder: ChildProcess | undefined;
  try {
    // the lock is on the open file, which the shell's fd 9 keeps; the shell becomes sleep, the pid killed after
    holder = spawn('sh', ['-c', 'exec 9<"$1"; flock --exclusive 9; echo locked; exec sleep 600', 'sh', pty.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      holder!.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('locked')) res(); });
      holder!.once('exit', (c) => rej(new Error(`flock exited ${c}`)));
    });
    const r = await mapsdiff(['capture', `serial:${pty.path}?baud=115200`, '--pid', '1'], { store });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /another program holds the port \(minicom, picocom, screen, a getty\?\); close it first; nothing was stored/);
    await nothingStored();
  } finally {
    holder?.kill();
    await pty.cut();
  }
});

test('a copy of mapsdiff whose serialport binding is missing captures local, and refuses serial: saying how to get it (exit 3)', async () => {
  // the package as installed: bin, dist/src, node_modules; the binding's prebuilt builds removed,
  // as on a platform none fits when npm ran with --ignore-scripts (nothing compiled)
  const dir = tempDir('mapsdiff-nobinding-');
  fs.cpSync(path.join(repoRoot, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'dist', 'src'), path.join(dir, 'dist', 'src'), { recursive: true });
  // from node_modules' real place: a copy of a symlinked node_modules would be the link itself,
  // and the binding removed below would be the checkout's own
  fs.cpSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  assert.ok(!fs.lstatSync(path.join(dir, 'node_modules')).isSymbolicLink());
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  const binding = path.join(dir, 'node_modules', '@serialport', 'bindings-cpp');
  fs.rmSync(path.join(binding, 'prebuilds'), { recursive: true, force: true });
  fs.rmSync(path.join(binding, 'build'), { recursive: true, force: true });
  const run = (args: string[]) => new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, path.join(dir, 'bin', 'mapsdiff.js'), '--store', path.join(dir, 'store'), ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  const local = await run(['capture', 'local', '--pid', String(process.pid), '--name', 'here']);
  assert.equal(local.code, 0, local.stderr);
  assert.equal(local.stdout.trim(), 'here');
  const s = await run(['capture', 'serial:/dev/ttyUSB0?baud=115200', '--pid', '1']);
  assert.equal(s.code, 3, s.stderr);
  assert.match(s.stderr, /serial: needs the serialport package and its native binding, which did not load here \(No native build was found.*\); reinstall mapsdiff with its optional dependencies .*or reach the port through ser2net as serial\+tcp:\/\/; nothing was stored/);
});


test('regression: serial-line-cut-while-waiting: the port gone before any prompt ends the capture at once (exit 3, the line named)', async () => {
  // mapsdiff holds ttyA and waits for a prompt; the test, at ttyB, sees its first bytes (it wakes
  // the console), then kills socat: ttyA is hung up, and from then on read(2) there returns 0
  const pty: Pty = await ptyPair();
  try {
    const run = mapsdiff(['capture', `serial:${pty.path}?baud=115200`, '--pid', '1'], { store, timeout: 60_000 }); // killed (code 99) rather than waiting out its 300 s
    const other = fs.createReadStream(pty.other!);
    await new Promise<void>((res, rej) => {
      other.once('data', () => res());
      other.once('error', rej);
      void run.then((r) => rej(new Error(`mapsdiff ended (exit ${r.code}) before it woke the console: ${r.stderr}`)));
    });
    await pty.cut();
    other.destroy();
    const r = await run;
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /the serial line \S+ttyA was cut \(the port went away\)/);
    assert.doesNotMatch(r.stderr, /did not finish within/);
    await nothingStored();
  } finally { await pty.cut(); }
});

const sttyOf = (dev: string): string => {
  const r = spawnSync('stty', ['-F', dev, '-g'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

test('regression: serial-settings-left-raw: the port is left as it was found (its termios, stty -g, the same before and after a capture)', async () => {
  // a real interactive sh on the other end (ttyB), as a board's getty shell; mapsdiff opens ttyA
  const pty: Pty = await ptyPair();
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  // a console's line discipline on that end (socat made it raw): CR read as Enter, echo
  assert.equal(spawnSync('stty', ['-F', pty.other!, 'sane']).status, 0);
  const home = tempDir('mapsdiff-serial-sh-'); // the console shell's working directory: nothing it does lands in the repository
  const sh = spawn('sh', ['-c', 'exec sh -i <"$1" >"$1" 2>&1', 'sh', pty.other!], { cwd: home, stdio: 'ignore', env: { ...process.env, PS1: '$ ', ENV: '' } });
  try {
    await new Promise<void>((res, rej) => { sleeper.once('spawn', res); sleeper.once('error', rej); });
    // settings a terminal program might have left, nothing like mapsdiff's raw 8N1 at 115200
    // (not echo: once they are back, ttyA would echo the shell's output back to it as commands)
    const set = spawnSync('stty', ['-F', pty.path, '9600', 'icanon', '-echo', 'icrnl', 'opost', 'isig'] /* a pty keeps 8 bits, no parity */, { encoding: 'utf8' });
    assert.equal(set.status, 0, set.stderr);
    const found = sttyOf(pty.path);
    const r = await mapsdiff(['capture', `serial:${pty.path}?baud=115200`, '--pid', String(sleeper.pid)], { store, timeout: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse((await mapsdiff(['show', r.stdout.trim(), '--json'], { store })).stdout);
    assert.equal(shown.processes[0].pid, sleeper.pid, 'the capture went through the console');
    assert.equal(sttyOf(pty.path), found, 'the port\'s settings as mapsdiff found them');
  } finally {
    sh.kill();
    sleeper.kill();
    await pty.cut();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
