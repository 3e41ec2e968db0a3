/*! SSH capture speed against the plain OpenSSH client on the same loopback servers
 * (real sshd and Dropbear, started here): one process, every process, and 16 targets
 * at once against one. Printed as ratios. Needs root and Debian's openssh-server and
 * dropbear-bin (.ci/install-ssh.sh). */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { SshSource } from '../src/collect/ssh.js';
import { captureMany } from '../src/collect/many.js';
import type { Selection } from '../src/collect/source.js';
import { KEY_USER, runAs, startServers, stopProcess, type Server, type Servers } from '../test/servers/harness.js';
import { ms, ratio } from './measure.js';

const sel = (s: Partial<Selection>): Selection => ({ pids: [], names: [], all: false, smaps: false, ...s });

async function best(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    b = Math.min(b, performance.now() - t);
  }
  return b;
}

export async function benchSsh(): Promise<void> {
  let servers: Servers;
  try {
    servers = await startServers();
  } catch (err) {
    console.log(`ssh: not run (${(err as Error).message.split('\n')[0]}); run as root after .ci/install-ssh.sh`);
    return;
  }
  const proc = await runAs(servers, KEY_USER, 'bench-target');
  try {
    for (const [label, server] of [['sshd', servers.sshd], ['dropbear', servers.dropbear]] as [string, Server][]) {
      const dest = { host: '127.0.0.1', port: server.port, user: KEY_USER, identityFiles: [servers.key] };
      const source = () => new SshSource(label, dest, { knownHostsFiles: [servers.knownHosts], env: { HOME: servers.dir } });
      const bare = await best(5, async () => {
        const r = spawnSync('ssh', ['-i', servers.key, '-p', String(server.port), '-o', `UserKnownHostsFile=${servers.knownHosts}`,
          '-o', 'BatchMode=yes', `${KEY_USER}@127.0.0.1`, `cat /proc/${proc.pid}/maps`], { stdio: ['ignore', 'ignore', 'ignore'] });
        if (r.status !== 0) throw new Error(`ssh ${label} failed`);
      });
      const one = await best(5, () => source().collect(sel({ pids: [proc.pid] })));
      const all = await best(3, () => source().collect(sel({ all: true })));
      console.log(`ssh ${label}: bare 'ssh HOST cat /proc/PID/maps' ${ms(bare)}; capture of one process ${ms(one)} (${ratio(one, bare)}); of every process ${ms(all)} (${ratio(all, bare)})`);
      // Dropbear takes at most 5 unauthenticated connections from one address (MAX_UNAUTH_PER_IP)
      const n = label === 'sshd' ? 16 : 5;
      const many = await best(3, async () => {
        const rs = await captureMany(Array.from({ length: n }, () => source()), sel({ pids: [proc.pid] }), n);
        const failed = rs.filter((r) => !r.ok).length;
        if (failed) throw new Error(`${failed} of ${n} captures failed`);
      });
      console.log(`ssh ${label}: ${n} targets at once ${ms(many)} = ${ratio(many, one)} the time of one`);
    }
  } finally {
    await stopProcess(proc);
    await servers.stop();
  }
}
