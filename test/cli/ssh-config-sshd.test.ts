/*! ~/.ssh/config read as OpenSSH reads it, one test per rule, each a real `mapsdiff capture`
 * against real OpenSSH sshd (and Dropbear) on 127.0.0.1 with a temp HOME holding the config
 * (issue 13). The system /etc/ssh/ssh_config is read too, as ssh would. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KEY_USER, runAs, startServers, stopProcess, type Server, type Servers } from '../servers/harness.js';
import { mapsdiff, tempStore } from './run.js';

let S: Servers;
let T: Servers; // a second sshd (and Dropbear), for two jump hosts
let victim: ChildProcess & { pid: number };
const homes: string[] = [];

before(async () => {
  S = await startServers();
  T = await startServers();
  victim = await runAs(S, KEY_USER, 'md-cfg');
});
after(async () => {
  await stopProcess(victim);
  await S?.stop();
  await T?.stop();
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

const line = (srv: Server) => srv.hostKeyLine; // `ssh-ed25519 AAAA...`
/** A temp HOME with .ssh/config and other files under it; `~` in file names is that HOME. */
function home(config: string, files: Record<string, string> = {}): string {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-sshcfg-'));
  homes.push(h);
  fs.mkdirSync(path.join(h, '.ssh'), { mode: 0o700 });
  const fill = (t: string) => t.replaceAll('~', h);
  fs.writeFileSync(path.join(h, '.ssh', 'config'), fill(config));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(h, name)), { recursive: true });
    fs.writeFileSync(path.join(h, name), fill(text));
  }
  return h;
}
const env = (h: string, extra: NodeJS.ProcessEnv = {}) => ({ HOME: h, SSH_AUTH_SOCK: '', MAPSDIFF_PASSWORD: '', ...extra });
async function capture(h: string, target: string, extra: string[] = [], e: NodeJS.ProcessEnv = {}) {
  return mapsdiff(['capture', target, '--process', 'md-cfg', ...extra], { store: tempStore(), env: env(h, e) });
}
/** A Host block reaching the test sshd as the key user; `more` lines added inside it. */
const board = (srv: Server, more: string[] = [], key = S.key) =>
  ['Host board', '  HostName 127.0.0.1', `  Port ${srv.port}`, `  User ${KEY_USER}`, `  IdentityFile ${key}`, ...more.map((m) => `  ${m}`), ''].join('\n');
const logFrom = (srv: Server) => { const at = fs.statSync(srv.log).size; return () => fs.readFileSync(srv.log, 'utf8').slice(at); };

test('UserKnownHostsFile in a Host block is used, not ~/.ssh/known_hosts', async () => {
  const h = home(board(S.sshd, ['UserKnownHostsFile ~/pinned/board_hosts']), {
    'pinned/board_hosts': `[127.0.0.1]:${S.sshd.port} ${line(S.sshd)}\n`,
    '.ssh/known_hosts': '',
  });
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
});

test('empty per-alias UserKnownHostsFile refuses with exit 3 while ~/.ssh/known_hosts holds the key', async () => {
  const h = home(board(S.sshd, ['UserKnownHostsFile ~/.ssh/board_empty']), {
    '.ssh/board_empty': '',
    '.ssh/known_hosts': `[127.0.0.1]:${S.sshd.port} ${line(S.sshd)}\n`,
  });
  const r = await capture(h, 'board');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`the host \\[127\\.0\\.0\\.1\\]:${S.sshd.port} is not known`));
  assert.equal(fs.readFileSync(path.join(h, '.ssh', 'board_empty'), 'utf8'), '', 'nothing recorded');
});

test('HostKeyAlias names the known_hosts entry (the alias alone, no [host]:port)', async () => {
  const h = home(board(S.sshd, ['HostKeyAlias Lab-Board-7']), { '.ssh/known_hosts': `lab-board-7 ${line(S.sshd)}\n` });
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
  // and the real name is not what is looked up
  const h2 = home(board(S.sshd, ['HostKeyAlias lab-board-7']), { '.ssh/known_hosts': `[127.0.0.1]:${S.sshd.port} ${line(S.sshd)}\n` });
  const r2 = await capture(h2, 'board');
  assert.equal(r2.code, 3);
  assert.match(r2.stderr, /the host lab-board-7 is not known/);
});

test('first match wins across Host blocks: the first Port obtained is kept, later blocks fill in the rest', async () => {
  const h = home([
    'Host board', '  HostName 127.0.0.1', `  Port ${S.sshd.port}`,
    'Host b* !bx', '  Port 1', `  User ${KEY_USER}`, `  IdentityFile ${S.key}`, `  UserKnownHostsFile ${S.knownHosts}`, '',
  ].join('\n'));
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^t\d+$/m);
});

test('Include with a glob relative to ~/.ssh, in file-name order, the first value winning', async () => {
  const h = home('Include conf.d/*.conf\n', {
    '.ssh/conf.d/10-board.conf': board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`]),
    '.ssh/conf.d/20-later.conf': 'Host board\n  Port 1\n',
    '.ssh/conf.d/ignored.txt': 'Host board\n  Port 2\n',
  });
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
});

test('Match host: matches the HostName, so a block for the address applies to the alias', async () => {
  const h = home([
    'Host board', '  HostName 127.0.0.1',
    'Match host 10.*,127.0.0.1 !user nobody', `  Port ${S.sshd.port}`, `  User ${KEY_USER}`, `  IdentityFile ${S.key}`, `  UserKnownHostsFile ${S.knownHosts}`,
    'Match originalhost board', '  Port 1', '',
  ].join('\n'));
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
});

test('negated Host pattern: "Host b* !bad" does not apply to bad (and a pattern makes a name an alias)', async () => {
  const h = home([
    'Host b* !bad', '  HostName 127.0.0.1', `  Port ${S.sshd.port}`, `  User ${KEY_USER}`, `  IdentityFile ${S.key}`, `  UserKnownHostsFile ${S.knownHosts}`,
    'Host bad', '  HostName 127.0.0.1', '  Port 1', '',
  ].join('\n'));
  assert.equal((await capture(h, 'board')).code, 0);
  const r = await capture(h, 'bad');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot connect to \S+@127\.0\.0\.1:1\b/);
});

test('two-hop ProxyJump: through one sshd, then another, to Dropbear; each hop under its own Host block', async () => {
  const kh = path.join(S.dir, 'kh-both');
  fs.writeFileSync(kh, fs.readFileSync(S.knownHosts, 'utf8') + fs.readFileSync(T.knownHosts, 'utf8'));
  const h = home([
    'Host board', '  HostName 127.0.0.1', `  Port ${T.dropbear.port}`, `  IdentityFile ${T.key}`, '  ProxyJump j1,j2',
    'Host j1', '  HostName 127.0.0.1', `  Port ${S.sshd.port}`, `  IdentityFile ${S.key}`,
    'Host j2', '  HostName 127.0.0.1', `  Port ${T.sshd.port}`, `  IdentityFile ${T.key}`,
    'Host *', `  User ${KEY_USER}`, `  UserKnownHostsFile ${kh}`, '',
  ].join('\n'));
  const log1 = logFrom(S.sshd);
  const log2 = logFrom(T.sshd);
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
  const hop1 = new RegExp(`server_request_direct_tcpip: originator 127\\.0\\.0\\.1 port 0, target 127\\.0\\.0\\.1 port ${T.sshd.port}\\b`);
  const hop2 = new RegExp(`server_request_direct_tcpip: originator 127\\.0\\.0\\.1 port 0, target 127\\.0\\.0\\.1 port ${T.dropbear.port}\\b`);
  // sshd writes its last lines as the session ends: wait for them (readiness, not a fixed sleep)
  for (let i = 0; i < 500 && !(hop1.test(log1()) && hop2.test(log2())); i++) await new Promise((res) => setTimeout(res, 20));
  assert.match(log1(), hop1);
  assert.match(log2(), hop2);
});

test('ProxyCommand nc-like spawn: a relay run with sh -c after %h %p %r substitution carries the connection', async () => {
  const relay = path.join(S.dir, 'relay.cjs');
  fs.writeFileSync(relay, [
    "const net = require('net'); const fs = require('fs');",
    'const [host, port, user, mark] = process.argv.slice(2);',
    "fs.writeFileSync(mark, `${host} ${port} ${user}`);",
    'const s = net.connect(Number(port), host);',
    'process.stdin.pipe(s); s.pipe(process.stdout);',
    "s.on('error', (e) => { console.error(e.message); process.exit(1); }); s.on('close', () => process.exit(0));", '',
  ].join('\n'));
  const mark = path.join(S.dir, 'relay-ran');
  const h = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`, `ProxyCommand ${process.execPath} ${relay} %h %p %r ${mark}`]));
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(mark, 'utf8'), `127.0.0.1 ${S.sshd.port} ${KEY_USER}`);
  // a command that fails says what it said
  const h2 = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`, 'ProxyCommand echo no route to %h >&2; exit 7']));
  const r2 = await capture(h2, 'board');
  assert.equal(r2.code, 3);
  assert.match(r2.stderr, /ProxyCommand "echo no route to 127\.0\.0\.1 >&2; exit 7" ended, exit status 7; it said: "no route to 127\.0\.0\.1"/);
});

test('@revoked key refuses, even with a plain entry for the same key', async () => {
  const h = home(board(S.sshd), { '.ssh/known_hosts': `[127.0.0.1]:${S.sshd.port} ${line(S.sshd)}\n@revoked * ${line(S.sshd)}\n` });
  const r = await capture(h, 'board', ['--accept-new']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /is marked @revoked in .*known_hosts:2; refusing to connect/);
});

test('@cert-authority lines are refused by name: the host is unknown, not trusted', async () => {
  const h = home(board(S.sshd), { '.ssh/known_hosts': `@cert-authority * ${line(T.sshd)}\n` });
  const r = await capture(h, 'board');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /known_hosts:1 names a @cert-authority for it, but mapsdiff's SSH client does not check host certificates \(--ssh-client openssh does\)/);
});

test('IdentitiesOnly ignores the agent', async () => {
  const sock = path.join(S.dir, 'agent-io.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', [S.key], { env: { SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const withAgent = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`], S.wrongKey));
    assert.equal((await capture(withAgent, 'board', [], { SSH_AUTH_SOCK: sock })).code, 0, 'the agent logs in when allowed');
    const only = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`, 'IdentitiesOnly yes'], S.wrongKey));
    const r = await capture(only, 'board', [], { SSH_AUTH_SOCK: sock });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /authentication failed for .*\(tried: none, key \S*wrong_key, /);
    assert.doesNotMatch(r.stderr, /tried: [^)]*ssh-agent/);
    const none = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`, 'IdentityAgent none'], S.wrongKey));
    assert.equal((await capture(none, 'board', [], { SSH_AUTH_SOCK: sock })).code, 3, 'IdentityAgent none: no agent either');
    const byPath = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`, `IdentityAgent ${sock}`], S.wrongKey));
    assert.equal((await capture(byPath, 'board')).code, 0, 'IdentityAgent PATH: that agent, SSH_AUTH_SOCK unset');
  } finally {
    await stopProcess(agent);
  }
});

test('StrictHostKeyChecking accept-new records the key, without --accept-new', async () => {
  const h = home(board(S.sshd, ['UserKnownHostsFile ~/.ssh/kh_new', 'StrictHostKeyChecking accept-new']), { '.ssh/kh_new': '' });
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /recorded the host key of \[127\.0\.0\.1\]:\d+ ssh-ed25519 SHA256:\S+ -> \S+kh_new/);
  assert.match(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${S.sshd.port}`, '-f', path.join(h, '.ssh', 'kh_new')], { encoding: 'utf8' }), /ssh-ed25519/);
  // yes refuses the unknown host; the command line's --accept-new wins over it, as ssh -o would
  const y = home(board(S.sshd, ['UserKnownHostsFile ~/.ssh/kh_y', 'StrictHostKeyChecking yes']), { '.ssh/kh_y': '' });
  assert.equal((await capture(y, 'board')).code, 3);
  assert.equal((await capture(y, 'board', ['--accept-new'])).code, 0);
});

test('StrictHostKeyChecking no is refused (exit 2) unless --allow-strict-host-key-checking-no', async () => {
  const h = home(board(S.sshd, ['UserKnownHostsFile ~/.ssh/kh_no', 'StrictHostKeyChecking no']), { '.ssh/kh_no': '' });
  const r = await capture(h, 'board');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /config line 7: StrictHostKeyChecking no for board would trust any host key; .*--allow-strict-host-key-checking-no/);
  assert.equal((await capture(h, 'board', ['--allow-strict-host-key-checking-no'])).code, 0);
});

test('ConnectTimeout honoured: a listening socket that never answers fails after 1 s, not 10', async () => {
  const held: net.Socket[] = [];
  const silent = net.createServer((c) => { held.push(c); c.resume(); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const h = home(['Host silent', '  HostName 127.0.0.1', `  Port ${port}`, '  ConnectTimeout 1', ''].join('\n'));
    const t0 = Date.now();
    const r = await capture(h, 'silent');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no answer from \S+@127\.0\.0\.1:\d+ within the connect timeout \(1 s\)/);
    assert.ok(Date.now() - t0 < 6000, `took ${Date.now() - t0} ms`);
    assert.equal(held.length, 1);
  } finally {
    for (const c of held) c.destroy();
    silent.close();
  }
});

test('settings mapsdiff does not apply are named: a notice for ControlMaster, a refusal for Ciphers and Match exec', async () => {
  const h = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`, 'ControlMaster auto', 'ControlPath ~/.ssh/cm-%r@%h:%p', 'ForwardAgent no']));
  const r = await capture(h, 'board');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /config line 7: ControlMaster auto is not supported by mapsdiff's SSH client, ignored; use --ssh-client openssh/);
  assert.match(r.stderr, /config line 8: ControlPath \S+ is not supported/);
  assert.doesNotMatch(r.stderr, /ForwardAgent/);
  const c = home(board(S.sshd, ['Ciphers aes256-ctr']));
  const rc = await capture(c, 'board');
  assert.equal(rc.code, 2);
  assert.match(rc.stderr, /Ciphers aes256-ctr restricts the algorithms; mapsdiff's SSH client cannot apply that list/);
  const e = home(`Match originalhost board exec "true"\n  Port 1\n${board(S.sshd)}`);
  const re = await capture(e, 'board');
  assert.equal(re.code, 2);
  assert.match(re.stderr, /config line 1: "Match exec" would run a command to decide; .*--ssh-client openssh/);
});

test('--ssh-client openssh captures the same sections as the built-in client', async () => {
  const h = home(board(S.sshd, [`UserKnownHostsFile ${S.knownHosts}`]));
  const store = tempStore();
  const sections = async (name: string) => {
    const j = JSON.parse((await mapsdiff(['show', name, '--json'], { store })).stdout);
    return j.processes.map((p: { pid: number; name: string; vmas: unknown[] }) => ({ pid: p.pid, name: p.name, vmas: p.vmas }));
  };
  const a = await mapsdiff(['capture', 'board', '--process', 'md-cfg', '--name', 'builtin'], { store, env: env(h) });
  assert.equal(a.code, 0, a.stderr);
  const log = logFrom(S.sshd);
  const b = await mapsdiff(['capture', 'board', '--process', 'md-cfg', '--name', 'openssh', '--ssh-client', 'openssh'], { store, env: env(h) });
  assert.equal(b.code, 0, b.stderr);
  // sshd may write the line just after the client is done: wait for it (readiness, not a fixed sleep)
  for (let i = 0; i < 500 && !/Remote protocol version 2\.0, remote software version OpenSSH_/.test(log()); i++) await new Promise((res) => setTimeout(res, 20));
  assert.match(log(), /Remote protocol version 2\.0, remote software version OpenSSH_/, 'the system ssh made this connection');
  assert.deepEqual(await sections('openssh'), await sections('builtin'));
  assert.equal((await sections('openssh'))[0].pid, victim.pid);
  // a target file can choose it too, its fields passed on the ssh command line
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-sshcfg-work-'));
  homes.push(work);
  fs.mkdirSync(path.join(work, 'targets'));
  fs.writeFileSync(path.join(work, 'targets', 'lab.json'), JSON.stringify({
    host: '127.0.0.1', port: S.sshd.port, user: KEY_USER, identityFile: S.key, knownHosts: S.knownHosts, sshClient: 'openssh',
  }));
  const f = await mapsdiff(['capture', 'lab', '--process', 'md-cfg', '--name', 'fromfile'], { store, env: env(home('')), cwd: work });
  assert.equal(f.code, 0, f.stderr);
  assert.deepEqual(await sections('fromfile'), await sections('builtin'));
  // the system ssh's refusals are capture failures with what it said
  const bad = home(board(S.sshd, ['UserKnownHostsFile ~/.ssh/none_here']));
  const r = await mapsdiff(['capture', 'board', '--process', 'md-cfg', '--ssh-client', 'openssh'], { store, env: env(bad) });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /board: ssh failed \(exit status 255\): .*Host key verification failed/);
});
