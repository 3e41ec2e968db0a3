/*! Per-hop settings from ssh_config, against real sshd on 127.0.0.1: keepalives dropping a
 * board that stops answering (ServerAliveInterval/CountMax), and StrictHostKeyChecking ask. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CaptureError } from '../../src/errors.js';
import { SshSource, type SshOptions } from '../../src/collect/ssh.js';
import type { SshTarget } from '../../src/collect/connect.js';
import { childrenOf, KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';

let S: Servers;
let victim: Awaited<ReturnType<typeof runAs>>;
before(async () => {
  S = await startServers();
  victim = await runAs(S, KEY_USER, 'md-alive');
});
after(async () => {
  await stopProcess(victim);
  await S?.stop();
});

const sel = { pids: [0], names: [], all: false, smaps: false };
const target = (more: Partial<SshTarget> = {}): SshTarget => ({ host: '127.0.0.1', port: S.sshd.port, user: KEY_USER, identityFiles: [S.key], ...more });
const source = (t: SshTarget, o: SshOptions = {}) => new SshSource('test', t, { knownHostsFiles: [S.knownHosts], env: { HOME: S.dir }, connectTimeoutMs: 5000, ...o });
const descendants = (pid: number): number[] => childrenOf(pid).flatMap((c) => [c, ...descendants(c)]);

test('ServerAliveInterval and CountMax: a board that stops answering mid-capture is dropped after interval x count', async () => {
  const stopped: number[] = [];
  const t0 = Date.now();
  let at = 0;
  try {
    const err = await source(target({ serverAlive: { intervalMs: 300, countMax: 2 } }), {
      pauseAfterListing: 20, captureTimeoutMs: 15_000,
      onProgress: (p) => {
        if (p.stage !== 'receiving' || stopped.length) return;
        at = Date.now();
        // the server's processes for this connection stop: nothing answers the keepalives
        // (a short-lived child, the script's own cat, may have exited since it was listed: ESRCH is no error here)
        for (const pid of descendants(S.sshd.proc.pid!)) { try { process.kill(pid, 'SIGSTOP'); stopped.push(pid); } catch { /* gone */ } }
      },
    }).collect({ ...sel, pids: [victim.pid] }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof CaptureError, String(err));
    assert.match(err.message, /the connection failed mid-capture after \d+ bytes \(Keepalive timeout\); nothing was stored/);
    const took = Date.now() - at;
    assert.ok(took >= 600 && took < 5000, `dropped after ${took} ms`);
    assert.ok(stopped.length > 0);
  } finally {
    for (const pid of stopped) try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
  }
  assert.ok(Date.now() - t0 < 15_000, 'well before the capture timeout');
});

test('StrictHostKeyChecking ask: the question on the terminal; yes records the key, anything else refuses', async () => {
  const kh = path.join(S.dir, 'kh-ask');
  fs.writeFileSync(kh, '');
  const asked: string[] = [];
  const answer = (a: string) => async (q: string) => { asked.push(q); return a; };
  const no = await source(target({ strictHostKeyChecking: 'ask', knownHostsFiles: [kh] }), { prompt: answer('no') })
    .collect({ ...sel, pids: [victim.pid] }).then(() => null, (e: unknown) => e);
  assert.ok(no instanceof CaptureError && /is not known/.test(no.message), String(no));
  assert.equal(fs.readFileSync(kh, 'utf8'), '');
  const raw = await source(target({ strictHostKeyChecking: 'ask', knownHostsFiles: [kh] }), { prompt: answer('yes') }).collect({ ...sel, pids: [victim.pid] });
  assert.ok(raw.sections.some((s) => s.pid === victim.pid && s.name === 'maps' && s.status === 'ok'));
  assert.equal(fs.readFileSync(kh, 'utf8'), `[127.0.0.1]:${S.sshd.port} ${S.sshd.hostKeyLine}\n`);
  assert.match(asked[0]!, new RegExp(`^The authenticity of host '${KEY_USER}@127\\.0\\.0\\.1:\\d+' can't be established\\.\\nssh-ed25519 key fingerprint is SHA256:\\S+\\.\\nAre you sure you want to continue connecting \\(yes/no\\)\\? $`));
  assert.equal(asked.length, 2);
});
