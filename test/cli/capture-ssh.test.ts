/*! `mapsdiff capture` and `watch` over SSH, as a user runs them: several targets at once
 * (real sshd and Dropbear on 127.0.0.1), one that fails losing none of the others, and
 * Ctrl-C during a capture storing nothing. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { binPath, nodeFlags, uniqueName } from '../helpers.js';
import { KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';
import { mapsdiff, tempStore } from './run.js';

const NAME = uniqueName('md-vic'); // this run's own: a name only its processes have

let S: Servers;
let home: string;
let victim: { pid: number } & import('node:child_process').ChildProcess;
let env: NodeJS.ProcessEnv;
const dest = (port: number) => `${KEY_USER}@127.0.0.1:${port}`;

before(async () => {
  S = await startServers();
  victim = await runAs(S, KEY_USER, NAME);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-home-'));
  fs.mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
  fs.copyFileSync(S.key, path.join(home, '.ssh', 'id_ed25519')); // found the way ssh finds it
  fs.copyFileSync(S.knownHosts, path.join(home, '.ssh', 'known_hosts'));
  env = { HOME: home, SSH_AUTH_SOCK: '', MAPSDIFF_PASSWORD: '' };
});
after(async () => {
  await stopProcess(victim);
  await S.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

test('two SSH targets at once, each its own snapshot; an unreachable third is reported and loses none of them', async () => {
  const store = tempStore();
  const r = await mapsdiff(['capture', dest(S.sshd.port), dest(S.dropbear.port), '127.0.0.1:1', '--process', NAME], { store, env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /127\.0\.0\.1:1: cannot connect/);
  assert.match(r.stderr, /1 of 3 target\(s\) failed; the others were stored/);
  for (const port of [S.sshd.port, S.dropbear.port]) {
    assert.match(r.stderr, new RegExp(`^${KEY_USER}@127\\.0\\.0\\.1:${port}: connecting$`, 'm'), 'a progress line per target');
    assert.match(r.stderr, new RegExp(`^${KEY_USER}@127\\.0\\.0\\.1:${port}: logged in, capturing$`, 'm'));
  }
  const lines = r.stdout.trim().split('\n').sort();
  assert.equal(lines.length, 2);
  assert.match(lines.join('\n'), new RegExp(`${KEY_USER}@127\\.0\\.0\\.1:${S.sshd.port}: t\\d \\(1 process\\(es\\)\\)`));
  const list = JSON.parse((await mapsdiff(['list', '--json'], { store })).stdout);
  assert.deepEqual(list.snapshots.map((m: { via: string }) => m.via), ['ssh', 'ssh']);
  for (const m of list.snapshots) {
    const j = JSON.parse((await mapsdiff(['show', m.name, '--json'], { store })).stdout);
    assert.equal(j.processes[0].pid, victim.pid);
    assert.equal(j.processes[0].name, NAME);
  }
});

test('capture --json: the stored snapshots and the failed targets, with their exit codes', async () => {
  const store = tempStore();
  const r = await mapsdiff(['capture', dest(S.dropbear.port), '127.0.0.1:1', '--process', NAME, '--json'], { store, env });
  assert.equal(r.code, 3);
  const j = JSON.parse(r.stdout);
  assert.equal(j.snapshots.length, 1);
  assert.equal(j.snapshots[0].target, dest(S.dropbear.port));
  assert.equal(j.snapshots[0].processes, 1);
  assert.equal(j.failed.length, 1);
  assert.equal(j.failed[0].exitCode, 3);
  assert.match(j.failed[0].error, /cannot connect/);
});

test('watch two SSH targets: each gets its captures, on its own schedule', async () => {
  const store = tempStore();
  const r = await mapsdiff(['watch', dest(S.sshd.port), dest(S.dropbear.port), '--every', '300ms', '--count', '2', '--process', NAME], { store, env });
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse((await mapsdiff(['list', '--json'], { store })).stdout);
  const byTarget = new Map<string, number>();
  for (const m of list.snapshots) byTarget.set(m.target, (byTarget.get(m.target) ?? 0) + 1);
  assert.deepEqual([...byTarget.values()], [2, 2]);
});

test('Ctrl-C during a capture: exit 130 at once, nothing stored', async () => {
  // a "board" that accepts the connection and never speaks: the capture hangs in the handshake
  // readiness, not a sleep: the connection arriving means the CLI has loaded, installed its
  // signal handlers (bin/mapsdiff.js does so before main runs) and is inside the capture
  let connected!: () => void;
  const inCapture = new Promise<void>((r) => (connected = r));
  const silent = net.createServer(() => connected());
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  const store = tempStore();
  try {
    const child = spawn(process.execPath, [...nodeFlags, binPath, '--store', store, 'capture', `root@127.0.0.1:${port}`, '--pid', '1'],
      { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await inCapture;
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    assert.equal(code, 130, stderr);
    assert.ok(Date.now() - t0 < 3000, 'stops at once, not at the 10 s connect timeout');
    assert.match(stderr, /SIGINT: stopping; nothing half-made is stored/);
    assert.equal(fs.existsSync(path.join(store, 'snapshots')) ? fs.readdirSync(path.join(store, 'snapshots')).length : 0, 0);
  } finally {
    silent.close();
  }
});

test("another user's process: its maps are 'denied', said so; alone it is refused and nothing stored", async () => {
  const store = tempStore();
  // this test runs as root; the SSH login is the unprivileged test user, who may not read root's maps
  const alone = await mapsdiff(['capture', dest(S.sshd.port), '--pid', String(process.pid)], { store, env });
  assert.equal(alone.code, 3);
  assert.match(alone.stderr, new RegExp(`no process's /proc/PID/maps could be read \\(pid ${process.pid}: permission denied\\); capture as root`));
  assert.equal(JSON.parse((await mapsdiff(['list', '--json'], { store })).stdout).snapshots.length, 0);
  const both = await mapsdiff(['capture', dest(S.dropbear.port), '--pid', String(process.pid), '--pid', String(victim.pid)], { store, env });
  assert.equal(both.code, 0, both.stderr);
  const j = JSON.parse((await mapsdiff(['show', '--json'], { store })).stdout);
  const root = j.processes.find((p: { pid: number }) => p.pid === process.pid);
  assert.ok(root.denied.includes('maps'), JSON.stringify(root.denied));
  assert.deepEqual(root.vmas, []);
  assert.ok(j.processes.find((p: { pid: number }) => p.pid === victim.pid).vmas.length > 0);
  assert.match((await mapsdiff(['show'], { store })).stdout, /not readable by the capturing user: .*maps/);
});

test('a complete capture whose remote shell exited non-zero is stored with its exit status, and capture and show say so', async () => {
  // a key whose authorized_keys entry forces a wrapper that runs the capture and then fails
  const forced = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-home-'));
  try {
    fs.mkdirSync(path.join(forced, '.ssh'), { mode: 0o700 });
    const key = path.join(forced, '.ssh', 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'forced', '-f', key]);
    fs.appendFileSync(path.join(S.dir, 'authorized', KEY_USER), `command="sh -s; exit 3" ${fs.readFileSync(`${key}.pub`, 'utf8')}`);
    fs.copyFileSync(S.knownHosts, path.join(forced, '.ssh', 'known_hosts'));
    const store = tempStore();
    const r = await mapsdiff(['capture', dest(S.sshd.port), '--process', NAME], { store, env: { ...env, HOME: forced } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 't0\n');
    assert.match(r.stderr, /warning: the capture was complete and is stored as t0, but the remote shell ended with exit status 3/);
    const shown = await mapsdiff(['show', 't0'], { store });
    assert.match(shown.stdout, /^warning: the remote shell ended with exit status 3 \(the capture itself was complete\)$/m);
    assert.deepEqual(JSON.parse((await mapsdiff(['show', 't0', '--json'], { store })).stdout).remoteExit, { code: 3 });
    const plain = await mapsdiff(['capture', dest(S.sshd.port), '--process', NAME], { store, env });
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /remote shell/);
    assert.doesNotMatch((await mapsdiff(['show', 't1'], { store })).stdout, /remote shell/);
  } finally {
    fs.rmSync(forced, { recursive: true, force: true });
  }
});
