/*! Resolving what a user typed after `capture`: target files, ~/.ssh/config aliases
 * (read as OpenSSH reads them) with ProxyJump, plain user@host:port, and mistakes. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../src/errors.js';
import { resolveTarget } from '../../src/cli/target.js';
import { repoRoot } from '../helpers.js';

const made: string[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });
function sandbox(sshConfig = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-target-'));
  made.push(dir);
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'work', 'targets'), { recursive: true });
  if (sshConfig) fs.writeFileSync(path.join(home, '.ssh', 'config'), sshConfig);
  return { dir, home, ctx: { cwd: path.join(dir, 'work'), env: { HOME: home, USER: 'me' }, systemConfig: null } };
}
const usage = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof UsageError && re.test(e.message));

test('the example targets/board1.json: the qemu board on 127.0.0.1:2222', () => {
  const t = resolveTarget('board1', { cwd: repoRoot, env: { HOME: '/home/eng', USER: 'eng' }, systemConfig: null });
  assert.equal(t.label, 'board1');
  assert.deepEqual(t.ssh, { host: '127.0.0.1', port: 2222, user: 'root', identityFiles: ['/home/eng/.cache/mapsdiff-board/armhf/id_ed25519'] });
  assert.deepEqual(t.options.knownHostsFiles, ['/home/eng/.cache/mapsdiff-board/armhf/known_hosts']);
  assert.deepEqual(t.defaultSelection, { all: false, smaps: false, pids: [], names: ['leaker', 'steady'] });
  assert.equal(t.ceiling, 0xbf000000);
  assert.equal(t.options.maxOutputBytes, 64 * 1024 * 1024);
  assert.equal(t.options.connectTimeoutMs, 10_000);
});

test('a target file in the user config dir, with a pin, a jump host and pids', () => {
  const s = sandbox('Host jumpy\n  HostName 127.0.0.9\n  User hop\n  Port 2200\n  IdentityFile ~/.ssh/hop_key\n');
  const dir = path.join(s.home, '.config', 'mapsdiff', 'targets');
  fs.mkdirSync(dir, { recursive: true });
  const pin = 'SHA256:' + 'A'.repeat(43);
  fs.writeFileSync(path.join(dir, 'lab.json'), JSON.stringify({ host: '127.0.0.5', identityFile: ['keys/k1'], processes: [412, 'app'], smaps: true, hostKey: pin, proxyJump: 'jumpy' }));
  const t = resolveTarget('lab', s.ctx);
  assert.equal(t.label, 'lab');
  assert.deepEqual(t.ssh, {
    host: '127.0.0.5', port: 22, user: 'me', identityFiles: [path.join(dir, 'keys/k1')],
    jump: { host: '127.0.0.9', port: 2200, user: 'hop', identityFiles: [path.join(s.home, '.ssh/hop_key')] },
  });
  assert.equal(t.options.hostKey, pin);
  assert.deepEqual(t.defaultSelection, { all: false, smaps: true, pids: [412], names: ['app'] });
  // the user's config dir wins over the working directory's ./targets (docs/targets.md, "Which one wins")
  fs.writeFileSync(path.join(s.ctx.cwd, 'targets', 'lab.json'), '{"host": "127.0.0.6"}');
  const again = resolveTarget('lab', s.ctx);
  assert.equal(again.ssh.host, '127.0.0.5');
  assert.deepEqual(again.origin, { kind: 'file', file: path.join(dir, 'lab.json'), shadowed: [path.join(s.ctx.cwd, 'targets', 'lab.json')] });
});

test("a literal Host alias wins over ./targets/NAME.json; a Host pattern does not", () => {
  const s = sandbox('Host board1\n  HostName 127.0.0.8\nHost rack*\n  User ops\n');
  fs.writeFileSync(path.join(s.ctx.cwd, 'targets', 'board1.json'), '{"host": "127.0.0.6"}');
  fs.writeFileSync(path.join(s.ctx.cwd, 'targets', 'rack1.json'), '{"host": "127.0.0.7"}');
  const b = resolveTarget('board1', s.ctx);
  assert.equal(b.ssh.host, '127.0.0.8');
  assert.deepEqual(b.origin, { kind: 'ssh-config', file: path.join(s.home, '.ssh', 'config'), line: 1, shadowed: [path.join(s.ctx.cwd, 'targets', 'board1.json')] });
  const r = resolveTarget('rack1', s.ctx);
  assert.equal(r.ssh.host, '127.0.0.7');
  assert.deepEqual(r.origin, { kind: 'file', file: path.join(s.ctx.cwd, 'targets', 'rack1.json') });
  assert.equal(resolveTarget('targets/board1.json', s.ctx).ssh.host, '127.0.0.6', 'a path names the file');
});

test('a ~/.ssh/config alias: HostName, User, Port, IdentityFile, ProxyJump, Host * defaults', () => {
  const s = sandbox([
    'Host board2', '  HostName 127.0.0.2', '  Port 2022', '  IdentityFile %d/.ssh/board_%r', '  ProxyJump admin@127.0.0.3:2201',
    'Host *', '  User root', '  IdentityFile ~/.ssh/id_fallback', '',
  ].join('\n'));
  const t = resolveTarget('board2', s.ctx);
  assert.equal(t.label, 'board2');
  assert.deepEqual(t.ssh, {
    host: '127.0.0.2', port: 2022, user: 'root',
    identityFiles: [path.join(s.home, '.ssh/board_root'), path.join(s.home, '.ssh/id_fallback')],
    jump: { host: '127.0.0.3', port: 2201, user: 'admin', identityFiles: [path.join(s.home, '.ssh/id_fallback')] },
  });
  assert.deepEqual(t.options.knownHostsFiles, [path.join(s.home, '.ssh/known_hosts'), path.join(s.home, '.ssh/known_hosts2'), '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
});

test('plain user@host:port, host:port and a bare address', () => {
  const s = sandbox();
  assert.deepEqual(resolveTarget('root@127.0.0.1:2222', s.ctx), {
    label: 'root@127.0.0.1:2222', ssh: { host: '127.0.0.1', port: 2222, user: 'root', identityFiles: [] },
    options: { knownHostsFiles: [path.join(s.home, '.ssh/known_hosts'), path.join(s.home, '.ssh/known_hosts2'), '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'] },
    notices: [], origin: { kind: 'address' },
  });
  assert.equal(resolveTarget('127.0.0.1:2222', s.ctx).label, 'me@127.0.0.1:2222');
  assert.equal(resolveTarget('127.0.0.7', s.ctx).label, 'me@127.0.0.7:22');
  assert.equal(resolveTarget('root@[::1]:22', s.ctx).ssh.host, '::1');
});

test('mistakes are usage errors that say what to write', () => {
  const s = sandbox('Host *\n  ProxyCommand nc %h %p\nHost viaproxy\n  HostName 127.0.0.1\n');
  usage(() => resolveTarget('boadr1', s.ctx), /unknown target "boadr1": no boadr1\.json in .*targets.*Give user@host\[:port\]/);
  assert.equal(resolveTarget('viaproxy', s.ctx).ssh.proxyCommand, 'nc 127.0.0.1 22');
  const t = sandbox();
  const f = (name: string, body: string) => fs.writeFileSync(path.join(t.ctx.cwd, 'targets', `${name}.json`), body);
  f('typo', '{"host": "127.0.0.1", "prot": 22}');
  usage(() => resolveTarget('typo', t.ctx), /typo\.json: unknown field "prot"/);
  f('badport', '{"host": "127.0.0.1", "port": 70000}');
  usage(() => resolveTarget('badport', t.ctx), /"port" must be a port number 1-65535; got 70000/);
  f('nohost', '{"user": "root"}');
  usage(() => resolveTarget('nohost', t.ctx), /"host" is required/);
  f('broken', '{"host": ');
  usage(() => resolveTarget('broken', t.ctx), /cannot read the target file .*broken\.json/);
  f('badjump', '{"host": "127.0.0.1", "proxyJump": "a@127.0.0.2,b@@127.0.0.3"}');
  usage(() => resolveTarget('badjump', t.ctx), /ProxyJump "a@127\.0\.0\.2,b@@127\.0\.0\.3" for 127\.0\.0\.1 is not \[user@\]host\[:port\]/);
  usage(() => resolveTarget('root@127.0.0.1:99999', t.ctx), /port 99999 is not 1-65535/);
});
