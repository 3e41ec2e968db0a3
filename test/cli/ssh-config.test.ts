/*! ssh_config resolution as OpenSSH's readconf.c does it, without connecting: what each
 * keyword gives the hop, Match criteria, Include rules, tokens, and the settings named as not
 * applied. The connections themselves are in ssh-config-sshd.test.ts. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../src/errors.js';
import { resolveTarget } from '../../src/cli/target.js';

const made: string[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });
function sandbox(config: string, files: Record<string, string> = {}, system: string | null = null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-sshcfg-'));
  made.push(dir);
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(home, '.ssh', 'config'), config);
  for (const [n, t] of Object.entries(files)) { fs.mkdirSync(path.dirname(path.join(home, n)), { recursive: true }); fs.writeFileSync(path.join(home, n), t); }
  let systemConfig: string | null = null;
  if (system !== null) { systemConfig = path.join(dir, 'ssh_config'); fs.writeFileSync(systemConfig, system); }
  return { home, ctx: { cwd: dir, env: { HOME: home, USER: 'me', SSH_AUTH_SOCK: '/run/agent.sock' }, systemConfig } };
}
const usage = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof UsageError && re.test(e.message));

test('ServerAliveInterval and ServerAliveCountMax become the keepalive; ConnectTimeout the connect timeout', () => {
  const s = sandbox('Host b\n  ServerAliveInterval 5\n  ServerAliveCountMax 2\n  ConnectTimeout 3\nHost c\n  ServerAliveInterval 0\n');
  const b = resolveTarget('b', s.ctx);
  assert.deepEqual(b.ssh.serverAlive, { intervalMs: 5000, countMax: 2 });
  assert.equal(b.options.connectTimeoutMs, 3000);
  assert.deepEqual(resolveTarget('c', s.ctx).ssh.serverAlive, { intervalMs: 0, countMax: 3 }, '0 turns keepalives off');
  usage(() => resolveTarget('d', sandbox('Host d\n  ConnectTimeout soon\n').ctx), /ConnectTimeout \(.*config line 2\): "soon" is not a whole number of seconds/);
});

test('several IdentityFile lines add up, across blocks, in order, after the target file\'s; tokens and ~ expanded', () => {
  const s = sandbox('Host b\n  HostName 10.0.0.%h\n  IdentityFile ~/.ssh/k_%h_%r\nHost *\n  User root\n  IdentityFile "%d/.ssh/id two"\n', {});
  const t = resolveTarget('b', s.ctx);
  assert.equal(t.ssh.host, '10.0.0.b');
  assert.deepEqual(t.ssh.identityFiles, [path.join(s.home, '.ssh/k_10.0.0.b_root'), path.join(s.home, '.ssh/id two')]);
  usage(() => resolveTarget('c', sandbox('Host c\n  IdentityFile ~/.ssh/%C\n').ctx), /the token %C .* is not supported by mapsdiff's SSH client/);
});

test('UserKnownHostsFile with several files, none, tokens; GlobalKnownHostsFile; where accept-new records', () => {
  const s = sandbox([
    'Host two', '  UserKnownHostsFile ~/.ssh/kh_%h /shared/kh', '  GlobalKnownHostsFile /etc/kh_global',
    'Host off', '  UserKnownHostsFile none', '',
  ].join('\n'));
  const two = resolveTarget('two', s.ctx);
  assert.deepEqual(two.options.knownHostsFiles, [path.join(s.home, '.ssh/kh_two'), '/shared/kh', '/etc/kh_global']);
  assert.equal(two.ssh.recordTo, path.join(s.home, '.ssh/kh_two'));
  const off = resolveTarget('off', s.ctx);
  assert.deepEqual(off.options.knownHostsFiles, ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
  assert.equal(off.ssh.recordTo, null, 'none: nothing is recorded');
});

test('Match user sees the user given on the command line; Match originalhost the name typed; Match all; !negated criteria', () => {
  const s = sandbox([
    'Match originalhost board !user admin', '  Port 2201',
    'Match user admin', '  Port 2202',
    'Match all', '  Port 2203', '',
  ].join('\n'));
  assert.equal(resolveTarget('root@board', s.ctx).ssh.port, 2201);
  assert.equal(resolveTarget('admin@board', s.ctx).ssh.port, 2202);
  assert.equal(resolveTarget('root@other.lab', s.ctx).ssh.port, 2203);
  usage(() => resolveTarget('x.lab', sandbox('Match all host x\n  Port 1\n').ctx), /"all" cannot be combined/);
  usage(() => resolveTarget('x.lab', sandbox('Match localnetwork 10.0.0.0/8\n  Port 1\n').ctx), /Match localnetwork is not supported .*--ssh-client openssh/);
});

test('Match final: a second pass once HostName is known, values already set staying set', () => {
  const s = sandbox('Host b\n  HostName 10.1.2.3\nMatch final host 10.1.*\n  User late\n  HostName 10.9.9.9\n');
  const t = resolveTarget('b', s.ctx);
  assert.equal(t.ssh.user, 'late');
  assert.equal(t.ssh.host, '10.1.2.3');
});

test('Include: relative to ~/.ssh, ~ allowed, a Match inside an included file does not leak out; inside an inactive block it is read, not applied', () => {
  const s = sandbox('Host other\n  Include ~/.ssh/never.conf\nHost b\n  Include inc/a.conf\n  Port 2000\n', {
    '.ssh/inc/a.conf': 'Match host nothing\n  User nobody\n',
    '.ssh/never.conf': 'User never\nHost *\n  User never2\n',
  });
  const t = resolveTarget('b', s.ctx);
  assert.equal(t.ssh.port, 2000, 'Port after the Include still belongs to Host b');
  assert.equal(t.ssh.user, 'me');
  usage(() => resolveTarget('b', sandbox('Host b\n  Include ~/.ssh/config\n').ctx), /too many nested Include levels \(ssh allows 16\)/);
});

test('Include in the system config is relative to /etc/ssh, and the user config wins over it', () => {
  const s = sandbox('Host b\n  Port 2100\n', {}, 'Host *\n  Port 22\n  User sys\n  Include does-not-exist-*.conf\n');
  const t = resolveTarget('b', s.ctx);
  assert.deepEqual([t.ssh.port, t.ssh.user], [2100, 'sys']);
  usage(() => resolveTarget('x.lab', sandbox('', {}, 'Include ~/x.conf\n').ctx), /bad include path ~\/x\.conf \(~ is for the user's config only\)/);
});

test('a group- or world-writable config is refused, as ssh refuses it', () => {
  const s = sandbox('Host b\n  Port 2100\n');
  fs.chmodSync(path.join(s.home, '.ssh', 'config'), 0o666);
  usage(() => resolveTarget('b', s.ctx), /bad owner or permissions on .*config \(ssh refuses it too\)/);
});

test('ProxyJump none and ProxyCommand none turn off a Host * proxy; of the two, the first read wins', () => {
  const s = sandbox([
    'Host direct', '  ProxyJump none', 'Host cmdfirst', '  ProxyCommand nc %h %p', '  ProxyJump j',
    'Host jumpfirst', '  ProxyJump j', '  ProxyCommand nc %h %p',
    'Host j', '  HostName 10.0.0.1', '  ProxyJump none', 'Host *', '  ProxyJump j', '',
  ].join('\n'));
  assert.equal(resolveTarget('direct', s.ctx).ssh.jump, undefined);
  assert.equal(resolveTarget('cmdfirst', s.ctx).ssh.proxyCommand, 'nc cmdfirst 22');
  assert.equal(resolveTarget('cmdfirst', s.ctx).ssh.jump, undefined);
  const jf = resolveTarget('jumpfirst', s.ctx).ssh;
  assert.equal(jf.proxyCommand, undefined);
  assert.equal(jf.jump?.host, '10.0.0.1');
});

test('ProxyJump a,b: b is reached through a (its own ProxyJump overridden), a through its own config', () => {
  const s = sandbox([
    'Host t', '  ProxyJump u1@a:2201,b', 'Host b', '  ProxyJump never', '  HostName 10.0.0.2',
    'Host a', '  HostName 10.0.0.1', '  ProxyJump gw', 'Host gw', '  HostName 10.0.0.254', '',
  ].join('\n'));
  const t = resolveTarget('t', s.ctx).ssh;
  assert.equal(t.jump?.host, '10.0.0.2');
  assert.deepEqual([t.jump?.jump?.host, t.jump?.jump?.port, t.jump?.jump?.user], ['10.0.0.1', 2201, 'u1']);
  assert.equal(t.jump?.jump?.jump?.host, '10.0.0.254');
  usage(() => resolveTarget('l1', sandbox('Host l1\n  ProxyJump l2\nHost l2\n  ProxyJump l1\n').ctx), /more than 8 ProxyJump hops in a row/);
});

test('IdentityAgent: none, SSH_AUTH_SOCK, $VAR, a path with ~; IdentitiesOnly, BatchMode, HostKeyAlias lower-cased', () => {
  const s = sandbox([
    'Host n', '  IdentityAgent none', 'Host e', '  IdentityAgent SSH_AUTH_SOCK', 'Host v', '  IdentityAgent $MY_AGENT',
    'Host p', '  IdentityAgent ~/.ssh/agent.sock', '  IdentitiesOnly yes', '  BatchMode yes', '  HostKeyAlias Board-7', '',
  ].join('\n'));
  s.ctx.env = { ...s.ctx.env, MY_AGENT: '/run/mine.sock' } as typeof s.ctx.env;
  assert.equal(resolveTarget('n', s.ctx).ssh.identityAgent, null);
  assert.equal(resolveTarget('e', s.ctx).ssh.identityAgent, '/run/agent.sock');
  assert.equal(resolveTarget('v', s.ctx).ssh.identityAgent, '/run/mine.sock');
  const p = resolveTarget('p', s.ctx).ssh;
  assert.deepEqual([p.identityAgent, p.identitiesOnly, p.batchMode, p.hostKeyAlias], [path.join(s.home, '.ssh/agent.sock'), true, true, 'board-7']);
});

test('settings not applied are named with file and line; unknown keywords too, unless IgnoreUnknown names them', () => {
  const s = sandbox('Host b\n  CertificateFile ~/.ssh/id-cert.pub\n  PKCS11Provider /usr/lib/p11.so\n  GSSAPIAuthentication yes\n  Compression no\n  Frobnicate 1\n  LogLevel DEBUG\n' +
    'Host c\n  IgnoreUnknown Frob*\n  Frobnicate 1\n  KexAlgorithms +diffie-hellman-group1-sha1\n');
  const n = resolveTarget('b', s.ctx).notices!.map((m) => m.replace(/^.*config /, ''));
  assert.deepEqual(n, [
    "line 2: CertificateFile is not supported by mapsdiff's SSH client, ignored; use --ssh-client openssh to have the system ssh apply it",
    "line 3: PKCS11Provider is not supported by mapsdiff's SSH client, ignored; use --ssh-client openssh to have the system ssh apply it",
    "line 4: GSSAPIAuthentication yes is not supported by mapsdiff's SSH client, ignored; use --ssh-client openssh to have the system ssh apply it",
    'line 6: unknown keyword Frobnicate, ignored (ssh itself would refuse it unless IgnoreUnknown names it)',
  ]);
  assert.deepEqual(resolveTarget('c', s.ctx).notices!.map((m) => m.replace(/^.*config /, '')),
    ["line 11: KexAlgorithms +diffie-hellman-group1-sha1 not applied: mapsdiff offers modern algorithms first and old Dropbear's last"]);
  usage(() => resolveTarget('r', sandbox('Host r\n  RevokedHostKeys ~/.ssh/revoked\n').ctx), /RevokedHostKeys is not read .* would then accept a key revoked there/);
});

test('GSSAPIAuthentication yes in the system config (Debian\'s default) is passed over quietly; in the user\'s own config it is named', () => {
  const s = sandbox('Host b\n  User root\n', {}, 'Host *\n  SendEnv LANG LC_*\n  HashKnownHosts yes\n  GSSAPIAuthentication yes\n');
  assert.deepEqual(resolveTarget('b', s.ctx).notices ?? [], []);
  const u = sandbox('Host b\n  GSSAPIAuthentication yes\n', {}, 'Host *\n  GSSAPIAuthentication yes\n');
  assert.deepEqual(resolveTarget('b', u.ctx).notices!.map((m) => m.replace(/^.*config /, '')),
    ["line 2: GSSAPIAuthentication yes is not supported by mapsdiff's SSH client, ignored; use --ssh-client openssh to have the system ssh apply it"]);
});

test('a Host pattern makes a name an alias; a catch-all Host * does not (a typo stays an unknown target)', () => {
  const s = sandbox('Host board*\n  HostName 10.0.0.7\nHost *\n  User root\n');
  const t = resolveTarget('board12', s.ctx);
  assert.deepEqual([t.label, t.ssh.host, t.ssh.user], ['board12', '10.0.0.7', 'root']);
  usage(() => resolveTarget('boadr1', s.ctx), /unknown target "boadr1"/);
});

test('--ssh-client openssh hands the alias to ssh, with -F when HOME is not the passwd home', () => {
  const s = sandbox('Host b\n  HostName 10.0.0.1\n');
  const t = resolveTarget('b', { ...s.ctx, sshClient: 'openssh' });
  assert.deepEqual(t.openssh, { destination: 'b', args: ['-F', path.join(s.home, '.ssh', 'config')] });
  const u = resolveTarget('root@10.0.0.9:2222', { ...s.ctx, sshClient: 'openssh' });
  assert.deepEqual(u.openssh?.args.slice(2), ['-l', 'root', '-p', '2222']);
  assert.equal(u.label, 'root@10.0.0.9:2222');
});
