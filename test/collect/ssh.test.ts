/*! The SSH collector against real servers (OpenSSH sshd and Dropbear on 127.0.0.1, see
 * test/servers/harness.ts): logins, host keys, ProxyJump, limits, dropped connections,
 * hostile names. The processes captured are this machine's, started by the test. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CaptureError } from '../../src/errors.js';
import type { RawCapture } from '../../src/model/capture.js';
import { SshSource, type SshOptions } from '../../src/collect/ssh.js';
import type { SshTarget } from '../../src/collect/connect.js';
import { captureMany } from '../../src/collect/many.js';
import { parseCapture } from '../../src/parse/index.js';
import type { Selection } from '../../src/collect/source.js';
import { childrenOf, commOf, descendantsOf, KEY_USER, parentOf, PASSPHRASE, PASSWORD, PW_USER, runAs, startServers, stopProcess, type Server, type Servers } from '../servers/harness.js';

let S: Servers;
const procs: { pid: number; kill(sig?: NodeJS.Signals): boolean }[] = [];
let odd: number; // comm `a) b (c`
let meta: number; // comm `$(id)'"`
let pwProc: number;

before(async () => {
  S = await startServers();
  const start = async (user: string, name: string) => { const p = await runAs(S, user, name); procs.push(p); return p.pid; };
  odd = await start(KEY_USER, 'a) b (c');
  meta = await start(KEY_USER, `$(id)'"`);
  pwProc = await start(PW_USER, 'pw-sleeper');
});
after(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await S?.stop();
});

const sel = (s: Partial<Selection>): Selection => ({ pids: [], names: [], all: false, smaps: false, ...s });
const target = (srv: Server, user = KEY_USER, keys = [S.key]): SshTarget => ({ host: '127.0.0.1', port: srv.port, user, identityFiles: keys });
const source = (t: SshTarget, o: SshOptions = {}) =>
  new SshSource('test', t, { knownHostsFiles: [S.knownHosts], env: { HOME: S.dir }, connectTimeoutMs: 60_000, ...o });
const sectionsOf = (raw: RawCapture, pid: number) => raw.sections.filter((s) => s.pid === pid).map((s) => `${s.name}:${s.status}`);
const OK6 = ['stat:ok', 'status:ok', 'limits:ok', 'smaps_rollup:ok', 'maps:ok', 'cmdline:ok', 'fds:ok'];
/** With --smaps: smaps is read after cmdline, before the fds are counted. */
const OK7 = [...OK6.slice(0, -1), 'smaps:ok', 'fds:ok'];
const logFrom = (srv: Server) => { const at = fs.statSync(srv.log).size; return () => fs.readFileSync(srv.log, 'utf8').slice(at); };
const fp = (line: string) => {
  const f = path.join(S.dir, 'fp.pub');
  fs.writeFileSync(f, line + '\n');
  return execFileSync('ssh-keygen', ['-lf', f], { encoding: 'utf8' }).split(' ')[1]!;
};
async function rejects(p: Promise<unknown>, re: RegExp): Promise<CaptureError> {
  const err = await p.then(() => assert.fail('expected a CaptureError'), (e: unknown) => e);
  assert.ok(err instanceof CaptureError, `not a CaptureError: ${String(err)}`);
  assert.equal(err.exitCode, 3);
  assert.match(err.message, re);
  return err;
}

describe('logging in', () => {
  test('key file, Dropbear: a comm with spaces and parentheses, every section verbatim', async () => {
    const raw = await source(target(S.dropbear)).collect(sel({ names: ['a) b (c'] }));
    // in any order: a file the one cat of format 3 may not read (slabinfo, not root) is reported before it
    assert.deepEqual(raw.sections.filter((s) => s.pid === undefined).map((s) => s.name).sort(),
      ['uname', 'uptime', 'ulimit-s', 'meminfo', 'boot_id', 'max_map_count', 'file-nr', 'slabinfo', 'buddyinfo', 'mounts', 'df'].sort());
    assert.equal(raw.sections.find((s) => s.name === 'boot_id')!.text, fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
    assert.deepEqual(sectionsOf(raw, odd), OK6);
    const stat = raw.sections.find((s) => s.pid === odd && s.name === 'stat')!;
    assert.ok(stat.text.startsWith(`${odd} (a) b (c) S `), stat.text);
    const maps = raw.sections.find((s) => s.pid === odd && s.name === 'maps')!;
    assert.equal(maps.text, fs.readFileSync(`/proc/${odd}/maps`, 'utf8'));
    assert.equal(raw.sections.find((s) => s.pid === odd && s.name === 'cmdline')!.text, `${S.dir}/bin/a) b (c\u0000`, 'only argv[0] by default');
    const full = await source(target(S.dropbear)).collect(sel({ names: ['a) b (c'], cmdline: true }));
    assert.equal(full.sections.find((s) => s.pid === odd && s.name === 'cmdline')!.text, `${S.dir}/bin/a) b (c\u0000600\u0000`, 'every argument with --cmdline');
    assert.equal(raw.sections.find((s) => s.name === 'ulimit-s')!.text, execFileSync('sh', ['-c', 'ulimit -s'], { encoding: 'utf8' }));
  });

  test('key file, OpenSSH: one connection and one exec for three processes, shown by the server log', async () => {
    const log = logFrom(S.sshd);
    const raw = await source(target(S.sshd)).collect(sel({ names: ['a) b (c', `$(id)'"`], pids: [pwProc, 999999999], smaps: true }));
    assert.deepEqual(sectionsOf(raw, meta), OK7);
    assert.deepEqual(sectionsOf(raw, odd), OK7);
    // another user's process: /proc lets this user see it exists, not read its maps
    assert.deepEqual(sectionsOf(raw, pwProc).filter((s) => s.startsWith('maps')), ['maps:denied']);
    // sshd may write the session's lines just after the client is done: wait for them (readiness, not a fixed sleep)
    for (let i = 0; i < 200 && !/Starting session: command for mapsdiff-key/.test(log()); i++) await new Promise((r) => setTimeout(r, 50));
    const text = log();
    assert.equal(text.match(/Connection from 127\.0\.0\.1 port/g)?.length, 1, text);
    assert.equal(text.match(/req exec/g)?.length, 1);
    assert.equal(text.match(/Starting session: command for mapsdiff-key/g)?.length, 1);
  });

  test('regression: Nagle is off on the SSH socket (each login step waited up to 40 ms for a delayed ACK)', async () => {
    // which sockets were set TCP_NODELAY, by the port they connect to: the capture's own, made by ssh2
    const set = new Map<number | undefined, boolean>();
    const orig = net.Socket.prototype.setNoDelay;
    net.Socket.prototype.setNoDelay = function (this: net.Socket, on?: boolean) {
      set.set(this.remotePort, on !== false);
      return orig.call(this, on);
    };
    try {
      const raw = await source(target(S.dropbear)).collect(sel({ pids: [odd] }));
      assert.deepEqual(sectionsOf(raw, odd), OK6);
    } finally {
      net.Socket.prototype.setNoDelay = orig;
    }
    assert.equal(set.get(S.dropbear.port), true, `setNoDelay calls by port: ${JSON.stringify([...set])}`);
  });

  test('ssh-agent: a real agent holding the key, no key file given', async () => {
    const sock = path.join(S.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
      execFileSync('ssh-add', [S.key], { env: { SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const log = logFrom(S.sshd);
      const raw = await source(target(S.sshd, KEY_USER, []), { env: { HOME: S.dir, SSH_AUTH_SOCK: sock } }).collect(sel({ pids: [odd] }));
      assert.deepEqual(sectionsOf(raw, odd), OK6);
      assert.match(log(), /Accepted publickey for mapsdiff-key/);
    } finally {
      await stopProcess(agent);
    }
  });

  test('password from MAPSDIFF_PASSWORD, Dropbear', async () => {
    const raw = await source(target(S.dropbear, PW_USER, []), { env: { HOME: S.dir, MAPSDIFF_PASSWORD: PASSWORD } }).collect(sel({ names: ['pw-sleeper'] }));
    assert.deepEqual(sectionsOf(raw, pwProc), OK6);
    assert.match(fs.readFileSync(S.dropbear.log, 'utf8'), /Password auth succeeded for 'mapsdiff-pw'/);
  });

  test('keyboard-interactive (PAM on sshd): the env password, then a typed answer', async () => {
    const log = logFrom(S.sshd);
    await source(target(S.sshd, PW_USER, []), { env: { HOME: S.dir, MAPSDIFF_PASSWORD: PASSWORD } }).collect(sel({ pids: [pwProc] }));
    const asked: string[] = [];
    const prompt = async (q: string, echo: boolean) => { asked.push(`${q}|${echo}`); return PASSWORD; };
    await source(target(S.sshd, PW_USER, []), { prompt }).collect(sel({ pids: [pwProc] }));
    assert.equal(log().match(/Accepted keyboard-interactive\/pam for mapsdiff-pw/g)?.length, 2);
    assert.deepEqual(asked, [`(mapsdiff-pw@127.0.0.1:${S.sshd.port}) Password: |false`]);
  });

  test('an encrypted key: the passphrase is asked for; with no one to ask, the key is skipped', async () => {
    const asked: string[] = [];
    const prompt = async (q: string) => { asked.push(q); return PASSPHRASE; };
    await source(target(S.dropbear, KEY_USER, [S.encryptedKey]), { prompt }).collect(sel({ pids: [odd] }));
    assert.deepEqual(asked, [`Enter passphrase for key '${S.encryptedKey}': `]);
    await rejects(source(target(S.dropbear, KEY_USER, [S.encryptedKey])).collect(sel({ pids: [odd] })),
      /authentication failed for mapsdiff-key@127\.0\.0\.1:\d+ \(tried: none, key .*client_key_enc \(encrypted; no terminal/);
  });

  test('a wrong key is refused with what was tried', async () => {
    await rejects(source(target(S.sshd, KEY_USER, [S.wrongKey])).collect(sel({ pids: [odd] })),
      /authentication failed for mapsdiff-key@127\.0\.0\.1:\d+ \(tried: none, key \S*wrong_key\)/);
  });
});

describe('host keys', () => {
  const kh = (name: string, text: string) => { const f = path.join(S.dir, name); fs.writeFileSync(f, text); return f; };

  test('an unknown host is refused with its fingerprint and how to accept it', async () => {
    const empty = kh('kh-empty', '');
    await rejects(source(target(S.dropbear), { knownHostsFiles: [empty] }).collect(sel({ pids: [odd] })),
      new RegExp(`\\[127\\.0\\.0\\.1\\]:${S.dropbear.port} is not known; its ssh-ed25519 key fingerprint is ${fp(S.dropbear.hostKeyLine).replace(/[+/]/g, '\\$&')}\\. .*--accept-new`));
    assert.equal(fs.readFileSync(empty, 'utf8'), '');
  });

  test('a changed host key is refused, even with --accept-new', async () => {
    const other = fs.readFileSync(`${S.wrongKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const f = kh('kh-changed', `# comment\n[127.0.0.1]:${S.sshd.port} ${other}\n`);
    for (const acceptNew of [false, true]) {
      await rejects(source(target(S.sshd), { knownHostsFiles: [f], acceptNew }).collect(sel({ pids: [odd] })),
        new RegExp(`HOST KEY CHANGED for \\[127\\.0\\.0\\.1\\]:${S.sshd.port}: .*kh-changed:2 .*ssh-keygen -R`));
    }
    assert.equal(fs.readFileSync(f, 'utf8').split('\n').length, 3);
  });

  test('--accept-new records the key as OpenSSH would (plain and hashed), then it is known', async () => {
    for (const hashKnownHosts of [false, true]) {
      const f = kh(`kh-new-${hashKnownHosts}`, '');
      const notices: string[] = [];
      await source(target(S.sshd), { knownHostsFiles: [f], acceptNew: true, hashKnownHosts, onNotice: (m) => notices.push(m) }).collect(sel({ pids: [odd] }));
      const line = fs.readFileSync(f, 'utf8');
      if (hashKnownHosts) assert.match(line, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 AAAA\S+\n$/);
      else assert.equal(line, `[127.0.0.1]:${S.sshd.port} ${S.sshd.hostKeyLine}\n`);
      assert.match(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${S.sshd.port}`, '-f', f], { encoding: 'utf8' }), /ssh-ed25519/);
      assert.equal(notices.length, 1);
      await source(target(S.sshd), { knownHostsFiles: [f] }).collect(sel({ pids: [odd] }));
      assert.equal(fs.readFileSync(f, 'utf8'), line);
    }
  });

  test('a pinned fingerprint replaces known_hosts; a wrong pin refuses', async () => {
    const empty = kh('kh-empty2', '');
    await source(target(S.dropbear), { knownHostsFiles: [empty], hostKey: fp(S.dropbear.hostKeyLine) }).collect(sel({ pids: [odd] }));
    await rejects(source(target(S.dropbear), { hostKey: fp(S.sshd.hostKeyLine) }).collect(sel({ pids: [odd] })), /is not the pinned SHA256:/);
  });
});

describe('ProxyJump', () => {
  test('through sshd to Dropbear, each host key checked under its own name', async () => {
    const t: SshTarget = { ...target(S.dropbear), jump: target(S.sshd) };
    const log = logFrom(S.sshd);
    const raw = await source(t).collect(sel({ pids: [odd] }));
    assert.deepEqual(sectionsOf(raw, odd), OK6);
    assert.match(log(), new RegExp(`server_request_direct_tcpip: originator 127\\.0\\.0\\.1 port 0, target 127\\.0\\.0\\.1 port ${S.dropbear.port}\\b`));
    const onlyJump = path.join(S.dir, 'kh-jump');
    fs.writeFileSync(onlyJump, fs.readFileSync(S.knownHosts, 'utf8').split('\n')[0] + '\n'); // sshd's (hashed) entry only
    await rejects(source(t, { knownHostsFiles: [onlyJump] }).collect(sel({ pids: [odd] })), new RegExp(`\\[127\\.0\\.0\\.1\\]:${S.dropbear.port} is not known`));
  });
});

describe('what the board sends', () => {
  test('hostile names are data: nothing runs, and no match lists what was there', async () => {
    const mark = `/tmp/mapsdiff-pwned-${process.pid}`;
    const names = [`x'; touch ${mark}1; '`, `$(touch ${mark}2)`, `\`touch ${mark}3\``, `"; touch ${mark}4; "`, `a\nb`, '*', '\\'];
    const err = await rejects(source(target(S.dropbear)).collect(sel({ names })), /no process matched; running there: .*a\) b \(c/);
    assert.match(err.message, /\$\(id\)'\\"/);
    for (const i of [1, 2, 3, 4]) assert.equal(fs.existsSync(`${mark}${i}`), false);
    const raw = await source(target(S.dropbear)).collect(sel({ names: [`$(id)'"`, ...names] }));
    assert.deepEqual(raw.sections.filter((s) => s.name === 'stat').map((s) => s.pid), [meta]);
  });

  test('a process that exits between listing and reading is recorded as gone, the rest kept', async () => {
    const victim = await runAs(S, KEY_USER, 'victim');
    procs.push(victim);
    let armed = false;
    const raw = await source(target(S.dropbear), {
      pauseAfterListing: 2,
      onProgress: (p) => { if (p.stage === 'receiving' && !armed) { armed = true; setTimeout(() => victim.kill('SIGKILL'), 700); } },
    }).collect(sel({ names: ['victim', 'a) b (c'] }));
    assert.deepEqual(sectionsOf(raw, victim.pid), ['stat:gone', 'status:gone', 'limits:gone', 'smaps_rollup:gone', 'maps:gone', 'cmdline:gone', 'fds:gone']);
    assert.deepEqual(sectionsOf(raw, odd), OK6);
  });

  test('the connection dropped mid-output (server session killed): nothing returned', async () => {
    let killed = 0;
    await rejects(source(target(S.dropbear), {
      pauseAfterListing: 3,
      onProgress: (p) => {
        if (p.stage !== 'receiving' || killed) return;
        for (const pid of childrenOf(S.dropbear.proc.pid!)) {
          const script = descendantsOf(pid); // left running, it would outlive the test (and be taken for the next test's shell)
          process.kill(pid, 'SIGKILL');
          killed++;
          for (const p of script) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
        }
      },
      // a session killed with bytes still unread on its socket is reset (RST), not closed (FIN): both are a drop
    }).collect(sel({ pids: [odd] })), /closed mid-capture after \d+ bytes|cut short after \d+ bytes \(no exit status|failed mid-capture after \d+ bytes \(read ECONNRESET\); nothing was stored/);
    assert.equal(killed, 1);
  });

  test('the remote command killed mid-output: cut short, nothing returned', async () => {
    let shPid = 0;
    await rejects(source(target(S.sshd), {
      pauseAfterListing: 3,
      onProgress: (p) => {
        if (p.stage !== 'receiving' || shPid) return;
        // this session's own sh, the child of sshd's session process: not the newest sh (the
        // script's subshells are sh too), nor one an earlier test's session left behind
        const shells = execFileSync('pgrep', ['-u', KEY_USER, '-x', 'sh'], { encoding: 'utf8' }).trim().split('\n').map(Number);
        shPid = shells.find((p) => /^sshd/.test(commOf(parentOf(p))))!;
        // sh and everything under it (a process listed may have exited since: ESRCH is no error here)
        for (const pid of [shPid, ...descendantsOf(shPid)]) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      },
    }).collect(sel({ pids: [odd] })), /cut short after \d+ bytes \((killed by SIGKILL|no exit status)/);
    assert.ok(shPid > 0);
  });

  test('output over the cap', async () => {
    await rejects(source(target(S.dropbear), { maxOutputBytes: 4096 }).collect(sel({ pids: [odd] })), /passed the maximum output size \(4 KiB\)/);
  });
});

describe('limits and several targets', () => {
  test('connect timeout: a port that accepts and never speaks', async () => {
    const held: net.Socket[] = [];
    let closed = 0;
    const silent = net.createServer((c) => { held.push(c); c.resume(); c.on('close', () => closed++); }); // accepts, says nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const t0 = Date.now();
    try {
      await rejects(source({ host: '127.0.0.1', port, user: KEY_USER, identityFiles: [S.key] }, { connectTimeoutMs: 400 }).collect(sel({ pids: [odd] })),
        /no answer from mapsdiff-key@127\.0\.0\.1:\d+ within the connect timeout \(0\.4 s\)/);
      assert.ok(Date.now() - t0 < 8000, 'gave up at the 0.4 s connect timeout, not the 10 s default');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual([held.length, closed], [1, 1], 'the collector dropped its socket');
    } finally {
      for (const c of held) c.destroy();
      silent.close();
    }
  });

  test('capture timeout, and Ctrl-C (abort)', async () => {
    await rejects(source(target(S.dropbear), { pauseAfterListing: 3, captureTimeoutMs: 600 }).collect(sel({ pids: [odd] })),
      /took longer than the capture timeout \(0\.6 s\); nothing was stored/);
    const ac = new AbortController();
    const p = source(target(S.dropbear), { pauseAfterListing: 3, onProgress: (e) => { if (e.stage === 'receiving') ac.abort(); } }).collect(sel({ pids: [odd] }), ac.signal);
    await rejects(p, /test: interrupted; nothing was stored/);
  });

  test('captureMany: one failing target loses none of the others', async () => {
    const sources = [source(target(S.dropbear)), source(target(S.sshd, KEY_USER, [S.wrongKey])), source(target(S.sshd))];
    const events: string[] = [];
    const res = await captureMany(sources, sel({ pids: [odd] }), 2, (s, e) => events.push(`${sources.indexOf(s as SshSource)}:${e.state}`));
    assert.deepEqual(res.map((r) => r.ok), [true, false, true]);
    assert.deepEqual(events.filter((e) => !e.endsWith('started')).sort(), ['0:done', '1:failed', '2:done']);
    assert.equal(events.slice(0, 2).every((e) => e.endsWith('started')), true); // two ran at once
    const bad = res[1]!;
    assert.ok(!bad.ok && bad.error instanceof CaptureError);
  });
});

describe('issue 9 and 10: what an --all capture keeps', () => {
  const ppidOf = (raw: RawCapture, pid: number) => {
    const st = raw.sections.find((s) => s.pid === pid && s.name === 'stat' && s.status === 'ok');
    return st ? Number(st.text.slice(st.text.lastIndexOf(')') + 2).split(' ')[1]) : undefined;
  };

  test('--all leaves out the capture\'s own session (the server processes serving it, its shell), not the listening daemon', async () => {
    for (const srv of [S.dropbear, S.sshd]) {
      const raw = await source(target(srv)).collect(sel({ all: true }));
      const pids = [...new Set(raw.sections.filter((s) => s.pid !== undefined).map((s) => s.pid!))];
      assert.ok(pids.includes(srv.proc.pid!), 'the listening daemon is captured');
      // every process of this connection descends from the daemon; none is left once the capture ends,
      // so none of the captured processes may have the daemon (or a captured child of it) as its parent
      const children = pids.filter((p) => ppidOf(raw, p) === srv.proc.pid);
      assert.deepEqual(children, [], `${srv === S.sshd ? 'sshd' : 'dropbear'}: a process of the capture's own session was captured`);
    }
  });

  test('short-lived processes exiting while --all captures read them: each is gone or whole, and every capture is stored', async () => {
    // the test's own churn: a shell (KEY_USER, so its children are readable) forever starting processes that
    // live 30-400 ms (reaped at once by the waiting shell), so that many are listed alive and exit while the capture reads them
    const churn = spawn('/bin/sh', ['-c', 'while :; do for t in 0.03 0.05 0.07 0.1 0.13 0.17 0.2 0.25 0.3 0.4; do sleep $t & done; wait; done'],
      { ...S.uid(KEY_USER), stdio: 'ignore' });
    procs.push(churn as { pid: number; kill(sig?: NodeJS.Signals): boolean });
    try {
      let seen = 0;
      let gone = 0;
      for (let i = 0; i < 12; i++) {
        const raw = await source(target(i % 2 ? S.sshd : S.dropbear)).collect(sel({ all: true }));
        const parsed = parseCapture(raw, { source: `capture ${i}` }); // throws on any section a dying process cut
        seen += parsed.processes.filter((p) => p.stat?.ppid === churn.pid).length;
        gone += parsed.processes.filter((p) => p.gone).length;
        assert.ok(parsed.processes.some((p) => p.pid === odd && !p.gone));
        // a process is either whole or gone: never an ok stat or maps section that is empty
        for (const p of parsed.processes.filter((q) => !q.gone && q.denied.length === 0)) assert.ok(p.stat && p.vmas.length > 0, `pid ${p.pid}`);
      }
      // listed alive, then read whole or found gone (on a slow machine all are gone by the time they are read)
      assert.ok(seen + gone > 0, 'the churn\'s processes were among those captured');
    } finally {
      churn.kill('SIGKILL');
    }
  });

  test('a complete capture whose remote shell exited non-zero is kept, with its exit status', async () => {
    // a forced command (authorized_keys command=) that runs the capture and then fails, as a board's wrapper might
    const key = path.join(S.dir, 'forced_key');
    if (!fs.existsSync(key)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'forced', '-f', key]);
      fs.appendFileSync(path.join(S.dir, 'authorized', KEY_USER), `command="sh -s; exit 3" ${fs.readFileSync(`${key}.pub`, 'utf8')}`);
    }
    const raw = await source(target(S.sshd, KEY_USER, [key])).collect(sel({ pids: [odd] }));
    assert.deepEqual(sectionsOf(raw, odd), OK6);
    assert.deepEqual(raw.remoteExit, { code: 3, signal: undefined });
    const plain = await source(target(S.sshd)).collect(sel({ pids: [odd] }));
    assert.equal(plain.remoteExit?.code, 0);
  });
});
