/*! Real SSH servers for the collector's tests: OpenSSH sshd and Dropbear on 127.0.0.1,
 * free ports, host and client keys made fresh in a temp dir, two system users (one logs in
 * with a key, one with a password; made by the first run that needs them, removed by the last
 * one that ends: several test files use them at once). stop() ends only what it started. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { asleepInSyscall } from '../helpers.js';

export const KEY_USER = 'mapsdiff-key';
export const PW_USER = 'mapsdiff-pw';
export const PASSWORD = 'pw-Secret-1';
export const PASSPHRASE = 'open sesame';

export interface Server {
  port: number;
  /** `ssh-ed25519 AAAA...` */
  hostKeyLine: string;
  log: string;
  proc: ChildProcess;
}

export interface Servers {
  dir: string;
  sshd: Server;
  dropbear: Server;
  /** Authorised for KEY_USER on both servers. */
  key: string;
  /** The same authorised key, encrypted with PASSPHRASE. */
  encryptedKey: string;
  /** Not authorised anywhere. */
  wrongKey: string;
  /** known_hosts with both servers (sshd's entry hashed by ssh-keygen -H, dropbear's plain). */
  knownHosts: string;
  uid: (user: string) => { uid: number; gid: number };
  stop(): Promise<void>;
}

const sh = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { input, encoding: 'utf8' });

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A system user with a home that Dropbear's permission checks accept; idempotent. */
function ensureUser(name: string, password: string | null, pubKey: string | null): void {
  const home = `/var/lib/mapsdiff-test/${name}`;
  withUsersLock(() => {
    try { sh('id', [name]); } catch {
      sh('useradd', ['--system', '--create-home', '--home-dir', home, '--shell', '/bin/sh', name]);
    }
  });
  // '*': no password, but not locked ('!'), which Dropbear and sshd would refuse for keys too
  if (password === null) sh('usermod', ['-p', '*', name]);
  else sh('chpasswd', [], `${name}:${password}\n`);
  const ids = uidOf(name);
  const ssh = path.join(home, '.ssh');
  fs.mkdirSync(ssh, { recursive: true, mode: 0o700 });
  fs.chmodSync(home, 0o755);
  const keys = path.join(ssh, 'authorized_keys');
  // several test files (and several runs) use these users at once: each adds its own key and
  // takes only it away at the end (Dropbear reads only this file; sshd gets a file per run)
  withUsersLock(() => {
    const have = fs.existsSync(keys) ? fs.readFileSync(keys, 'utf8') : '';
    if (pubKey && !have.split('\n').includes(pubKey.trim())) fs.writeFileSync(keys, have + pubKey.trim() + '\n', { mode: 0o600 });
    else if (!have) fs.writeFileSync(keys, '', { mode: 0o600 });
  });
  for (const p of [ssh, keys]) fs.chownSync(p, ids.uid, ids.gid);
}

/** This process holds the test users while it runs servers: a file named by its pid. */
const HOLDERS = '/var/lib/mapsdiff-test/.holders';
let holds = 0;
function holdUsers(): void {
  if (holds++ === 0) withUsersLock(() => { fs.mkdirSync(HOLDERS, { recursive: true }); fs.writeFileSync(path.join(HOLDERS, String(process.pid)), ''); });
}

/** The last run to end removes the test users and their homes: none is left in /etc/passwd. */
function releaseUsers(): void {
  if (--holds > 0) return;
  withUsersLock(() => {
    fs.rmSync(path.join(HOLDERS, String(process.pid)), { force: true });
    const alive = fs.readdirSync(HOLDERS).filter((p) => {
      try { process.kill(Number(p), 0); return true; } catch { fs.rmSync(path.join(HOLDERS, p), { force: true }); return false; }
    });
    if (alive.length) return;
    for (const u of [KEY_USER, PW_USER, NOPW_USER]) {
      try { sh('id', [u]); } catch { continue; }
      sh('userdel', ['--force', '--remove', u]);
    }
  });
}

/** Takes this run's key out of the user's authorized_keys again. */
function unauthorize(name: string, pubKey: string): void {
  const keys = `/var/lib/mapsdiff-test/${name}/.ssh/authorized_keys`;
  withUsersLock(() => {
    if (!fs.existsSync(keys)) return;
    const rest = fs.readFileSync(keys, 'utf8').split('\n').filter((l) => l !== '' && l !== pubKey.trim());
    fs.writeFileSync(keys, rest.map((l) => l + '\n').join(''));
  });
}

/** Runs `fn` holding a lock (a directory made with mkdir, atomic) over the test users' files. */
function withUsersLock(fn: () => void): void {
  const lock = '/var/lib/mapsdiff-test/.lock';
  fs.mkdirSync('/var/lib/mapsdiff-test', { recursive: true, mode: 0o755 });
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 2000) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // another run holds it for a few writes
    }
  }
  try {
    fn();
  } finally {
    fs.rmdirSync(lock);
  }
}

function uidOf(user: string): { uid: number; gid: number } {
  return { uid: Number(sh('id', ['-u', user]).trim()), gid: Number(sh('id', ['-g', user]).trim()) };
}

export async function waitForPort(port: number, proc: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${fs.readFileSync(log, 'utf8').slice(-500)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} did not start`);
}

export async function startServers(): Promise<Servers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-ssh-'));
  fs.chmodSync(dir, 0o755); // the test users run programs copied in here
  const f = (n: string) => path.join(dir, n);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'client', '-f', f('client_key')]);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'wrong', '-f', f('wrong_key')]);
  fs.copyFileSync(f('client_key'), f('client_key_enc'));
  sh('ssh-keygen', ['-q', '-p', '-N', PASSPHRASE, '-f', f('client_key_enc')]);
  const pub = fs.readFileSync(f('client_key.pub'), 'utf8');
  holdUsers();
  ensureUser(KEY_USER, null, pub);
  ensureUser(PW_USER, PASSWORD, null);

  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', f('sshd_host')]);
  fs.mkdirSync(f('authorized'), { mode: 0o755 });
  fs.writeFileSync(f(`authorized/${KEY_USER}`), pub);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation dir
  const sshdPort = await freePort();
  fs.writeFileSync(f('sshd_config'), [
    `Port ${sshdPort}`, 'ListenAddress 127.0.0.1', `HostKey ${f('sshd_host')}`, `PidFile ${f('sshd.pid')}`,
    `AuthorizedKeysFile ${f('authorized')}/%u`, 'StrictModes no', 'UsePAM yes',
    'KbdInteractiveAuthentication yes', 'PasswordAuthentication yes', 'PermitRootLogin no',
    'AllowTcpForwarding yes', 'LogLevel DEBUG', 'MaxStartups 100',
    // so that this user reaches keyboard-interactive (PAM) on sshd; Dropbear tests plain password
    `Match User ${PW_USER}`, '  PasswordAuthentication no', '',
  ].join('\n'));
  const sshdLog = f('sshd.log');
  fs.writeFileSync(sshdLog, '');
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-f', f('sshd_config'), '-E', sshdLog], { stdio: 'ignore' });
  try {
    return await startRest(sshd);
  } catch (err) {
    await stopProcess(sshd); // a failed setup leaves no server behind
    throw err;
  }

  async function startRest(sshd: ChildProcess): Promise<Servers> {
    await waitForPort(sshdPort, sshd, sshdLog);

    sh('dropbearkey', ['-t', 'ed25519', '-f', f('dropbear_host')]);
    const dbLine = sh('dropbearkey', ['-y', '-f', f('dropbear_host')]).split('\n').find((l) => l.startsWith('ssh-'))!;
    const dbPort = await freePort();
    const dbLog = f('dropbear.log');
    const out = fs.openSync(dbLog, 'a');
    const dropbear = spawn('dropbear', ['-F', '-E', '-p', `127.0.0.1:${dbPort}`, '-r', f('dropbear_host'), '-P', f('dropbear.pid')],
      { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    await waitForPort(dbPort, dropbear, dbLog);

    const sshdLine = fs.readFileSync(f('sshd_host.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const dbKey = dbLine.split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(f('known_hosts'), `[127.0.0.1]:${sshdPort} ${sshdLine}\n`);
    sh('ssh-keygen', ['-q', '-H', '-f', f('known_hosts')]);
    fs.appendFileSync(f('known_hosts'), `[127.0.0.1]:${dbPort} ${dbKey}\n`);
    fs.chmodSync(f('known_hosts'), 0o644);

    return {
      dir,
      sshd: { port: sshdPort, hostKeyLine: sshdLine, log: sshdLog, proc: sshd },
      dropbear: { port: dbPort, hostKeyLine: dbKey, log: dbLog, proc: dropbear },
      key: f('client_key'),
      encryptedKey: f('client_key_enc'),
      wrongKey: f('wrong_key'),
      knownHosts: f('known_hosts'),
      uid: uidOf,
      async stop() {
        // let finished sessions exit first: orphaned, they would stay zombies where pid 1 does not reap
        for (let i = 0; i < 60 && [sshd, dropbear].some((p) => childrenOf(p.pid!).length > 0); i++) await new Promise((r) => setTimeout(r, 50));
        await Promise.all([sshd, dropbear].map((p) => stopProcess(p)));
        unauthorize(KEY_USER, pub);
        releaseUsers();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Runs a copy of /bin/sleep named `name` (so comm is `name`) as `user`, until stopped. */
export async function runAs(servers: Servers, user: string, name: string, seconds = 600): Promise<ChildProcess & { pid: number }> {
  const bin = path.join(servers.dir, 'bin');
  fs.mkdirSync(bin, { recursive: true, mode: 0o755 });
  const file = path.join(bin, name);
  if (!fs.existsSync(file)) fs.copyFileSync('/bin/sleep', file);
  fs.chmodSync(file, 0o755);
  const p = spawn(file, [String(seconds)], { ...servers.uid(user), stdio: 'ignore' });
  // ready once it sleeps in its syscall: comm is set at exec, before the dynamic loader has
  // mapped the libraries, so a test reading maps right after the new comm (the first test of a
  // loaded CI run did) could see them change under it
  for (let i = 0; i < 1000; i++) {
    if (commOf(p.pid!) === name.slice(0, 15) && asleepInSyscall(p.pid!)) return p as ChildProcess & { pid: number };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} did not start`);
}

/** SIGTERM the process (by its pid), SIGKILL after 2 s. */
export function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill('SIGKILL'), 2000);
    p.once('exit', () => { clearTimeout(t); resolve(); });
    p.kill('SIGTERM');
  });
}

/** Pids whose parent is `pid` (from /proc/PID/stat; no ps needed). */
/** A process's parent pid (0 once it has exited). */
export function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch { return 0; /* exited */ }
}

/** A process's comm ('' once it has exited). */
export function commOf(pid: number): string {
  try { return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd(); } catch { return ''; }
}

export function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e) && parentOf(Number(e)) === pid).map(Number);
}

/** Children, their children, and so on. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (let next = childrenOf(pid); next.length; next = next.flatMap(childrenOf)) out.push(...next);
  return out;
}

export const NOPW_USER = 'mapsdiff-nopw';

/** A Dropbear started with -B (blank password logins allowed), and a user whose password
 * is empty: a development board where root has no password at all. */
export async function startBlankPasswordDropbear(): Promise<{ port: number; hostKeyLine: string; log: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-nopw-'));
  holdUsers();
  ensureUser(NOPW_USER, null, null);
  sh('passwd', ['-d', NOPW_USER]); // an empty password, not a locked one
  sh('dropbearkey', ['-t', 'ed25519', '-f', path.join(dir, 'host')]);
  const line = sh('dropbearkey', ['-y', '-f', path.join(dir, 'host')]).split('\n').find((l) => l.startsWith('ssh-'))!;
  const port = await freePort();
  const log = path.join(dir, 'dropbear.log');
  const out = fs.openSync(log, 'a');
  const proc = spawn('dropbear', ['-F', '-E', '-B', '-p', `127.0.0.1:${port}`, '-r', path.join(dir, 'host'), '-P', path.join(dir, 'pid')],
    { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await waitForPort(port, proc, log);
  return {
    port, hostKeyLine: line.split(' ').slice(0, 2).join(' '), log,
    async stop() {
      await stopProcess(proc);
      sh('usermod', ['-p', '*', NOPW_USER]); // no blank password left behind on this machine
      releaseUsers();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
