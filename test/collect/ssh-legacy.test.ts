/*! A board whose SSH server is from before 2014: real OpenSSH sshd restricted to what old
 * Dropbear offers (diffie-hellman-group14-sha1, aes128-cbc, hmac-sha1, an ssh-rsa host
 * key). The collector must still log in, preferring modern algorithms when there are any. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SshSource } from '../../src/collect/ssh.js';
import { freePort, KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';
import { uniqueName } from '../helpers.js';

const NAME = uniqueName('md-leg'); // this run's own: a name only its processes have

let S: Servers;
let legacy: ChildProcess;
let port: number;
let log: string;
let victim: ChildProcess & { pid: number };

before(async () => {
  S = await startServers();
  victim = await runAs(S, KEY_USER, NAME);
  const f = (n: string) => path.join(S.dir, n);
  execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', '', '-f', f('legacy_host')]);
  port = await freePort();
  log = f('legacy.log');
  fs.writeFileSync(f('legacy_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${f('legacy_host')}`, `PidFile ${f('legacy.pid')}`,
    `AuthorizedKeysFile ${f('authorized')}/%u`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
    'KexAlgorithms diffie-hellman-group14-sha1', 'Ciphers aes128-cbc', 'MACs hmac-sha1', 'HostKeyAlgorithms ssh-rsa',
    'LogLevel DEBUG', '',
  ].join('\n'));
  fs.writeFileSync(log, '');
  legacy = spawn('/usr/sbin/sshd', ['-D', '-f', f('legacy_config'), '-E', log], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !/Server listening/.test(fs.readFileSync(log, 'utf8')); i++) await new Promise((r) => setTimeout(r, 50));
  const pub = fs.readFileSync(f('legacy_host.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(f('legacy_known_hosts'), `[127.0.0.1]:${port} ${pub}\n`);
});
after(async () => {
  await stopProcess(legacy);
  await stopProcess(victim);
  await S.stop();
});

test('an old board (group14-sha1, aes128-cbc, ssh-rsa only): logs in and captures', async () => {
  const source = new SshSource('oldboard', { host: '127.0.0.1', port, user: KEY_USER, identityFiles: [S.key] },
    { knownHostsFiles: [path.join(S.dir, 'legacy_known_hosts')], env: { HOME: S.dir } });
  const raw = await source.collect({ pids: [victim.pid], names: [], all: false, smaps: false });
  const maps = raw.sections.find((s) => s.name === 'maps' && s.pid === victim.pid)!;
  assert.equal(maps.status, 'ok');
  assert.equal(maps.text, fs.readFileSync(`/proc/${victim.pid}/maps`, 'utf8'));
  const text = fs.readFileSync(log, 'utf8');
  assert.match(text, /kex: algorithm: diffie-hellman-group14-sha1/);
  assert.match(text, /cipher: aes128-cbc/);
});

test('a modern server is still reached with a modern key exchange (the legacy ones only come last)', async () => {
  const source = new SshSource('board', { host: '127.0.0.1', port: S.sshd.port, user: KEY_USER, identityFiles: [S.key] },
    { knownHostsFiles: [S.knownHosts], env: { HOME: S.dir } });
  await source.collect({ pids: [victim.pid], names: [], all: false, smaps: false });
  assert.match(fs.readFileSync(S.sshd.log, 'utf8'), /kex: algorithm: curve25519-sha256/);
});
