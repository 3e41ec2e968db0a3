/*! The fleet load: `mapsdiff serve` answering probes of 50 targets at once (45 behind one
 * sshd with MaxStartups raised, 5 behind Dropbear, which takes 5 unauthenticated
 * connections per address), each stored, against Prometheus's default 10 s scrape timeout;
 * the time of one probe alone for the ratio; serve's own peak memory after each round, to
 * show it stays bounded. Needs root and .ci/install-ssh.sh. */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { KEY_USER, runAs, startServers, stopProcess, type Servers } from '../test/servers/harness.js';
import { startServe } from '../test/servers/engines.js';
import { ms, ratio } from './measure.js';

const N = 50;
const SCRAPE_TIMEOUT_S = 10;
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 4);

/** utime + stime of a process, seconds (USER_HZ 100). */
const cpuSeconds = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const heapMiB = (health: string) => (Number(/^mapsdiff_serve_heap_used_bytes (\S+)$/m.exec(health)?.[1]) / 1048576).toFixed(0);
const statusKiB = (pid: number, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

export async function benchFleet(): Promise<void> {
  let servers: Servers;
  try {
    servers = await startServers();
  } catch (err) {
    console.log(`fleet: not run (${(err as Error).message.split('\n')[0]}); run as root after .ci/install-ssh.sh`);
    return;
  }
  const proc = await runAs(servers, KEY_USER, 'fleet-bench');
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-fleet-bench-'));
  fs.mkdirSync(path.join(cwd, 'targets'));
  const targets = Array.from({ length: N }, (_, i) => `board${i + 1}`);
  targets.forEach((t, i) => fs.writeFileSync(path.join(cwd, 'targets', `${t}.json`), JSON.stringify({
    host: '127.0.0.1', port: i < N - 5 ? servers.sshd.port : servers.dropbear.port, user: KEY_USER,
    identityFile: servers.key, knownHosts: servers.knownHosts, processes: ['fleet-bench'],
  })));
  const serve = await startServe(path.join(cwd, 'store'), ['--concurrency', String(N)], { cwd });
  const probe = async (t: string) => {
    const t0 = performance.now();
    const r = await fetch(`${serve.url}/probe?target=${t}`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': String(SCRAPE_TIMEOUT_S) } });
    const ok = /^mapsdiff_capture_success\{[^}]*\} 1$/m.test(await r.text());
    return { ms: performance.now() - t0, ok };
  };
  try {
    let one = Infinity;
    for (let i = 0; i < 3; i++) one = Math.min(one, (await probe('board1')).ms);
    const rss0 = statusKiB(serve.pid, 'VmRSS');
    for (let round = 1; round <= ROUNDS; round++) {
      const t0 = performance.now();
      const cpu0 = cpuSeconds(serve.pid);
      const rs = await Promise.all(targets.map(probe));
      const cpu = cpuSeconds(serve.pid) - cpu0;
      const wall = performance.now() - t0;
      const failed = rs.filter((r) => !r.ok).length;
      const slowest = Math.max(...rs.map((r) => r.ms));
      console.log(`fleet round ${round}: ${N} probes at once ${ms(wall)} (${ratio(wall, one)} one probe alone, ${ms(one)}); slowest ${ms(slowest)} of the ${SCRAPE_TIMEOUT_S} s scrape timeout; ` +
        `${failed} failed; serve's CPU ${cpu.toFixed(1)} s; serve RSS ${(statusKiB(serve.pid, 'VmRSS') / 1024).toFixed(0)} MiB (idle ${(rss0 / 1024).toFixed(0)} MiB), peak ${(statusKiB(serve.pid, 'VmHWM') / 1024).toFixed(0)} MiB, JS heap ${heapMiB(await (await fetch(`${serve.url}/metrics`)).text())} MiB`);
    }
  } finally {
    await serve.stop();
    await stopProcess(proc);
    await servers.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}
