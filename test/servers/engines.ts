/*! Real metrics engines for the fleet tests: Debian's prometheus and victoria-metrics
 * (.ci/install-metrics.sh), each on a free 127.0.0.1 port with a temp config and storage
 * dir, ready when its own readiness endpoint answers; stop() ends only the process it
 * started and removes its dir. And `serve` itself, ready when it prints where it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { binPath, nodeFlags } from '../helpers.js';
import { freePort, stopProcess } from './harness.js';

export interface Engine {
  url: string;
  dir: string;
  log: string;
  stop(): Promise<void>;
}

/** Polls `url` until it answers 200 (the engine's readiness), failing early when the process exits. */
async function waitReady(url: string, proc: ChildProcess, log: string, what: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}): ${fs.readFileSync(log, 'utf8').slice(-800)}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready at ${url} within 60 s: ${fs.readFileSync(log, 'utf8').slice(-800)}`);
}

function spawnLogged(cmd: string, args: string[], log: string): ChildProcess {
  const out = fs.openSync(log, 'a');
  const p = spawn(cmd, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return p;
}

/** Prometheus with `config` (YAML) written to a temp file. */
/** A Prometheus config scraping `serve`'s /probe for each target (snmp_exporter's relabelling:
 * the target goes in ?target=, the instance label keeps it, the address becomes serve's). */
export function probeScrapeConfig(targets: string[], serveAddress: string, intervalSeconds: number): string {
  return [
    'global:', `  scrape_interval: ${intervalSeconds}s`, `  scrape_timeout: ${intervalSeconds}s`,
    'scrape_configs:', '  - job_name: mapsdiff', '    metrics_path: /probe',
    '    static_configs:', `      - targets: [${targets.join(', ')}]`,
    '    relabel_configs:',
    '      - source_labels: [__address__]', '        target_label: __param_target',
    '      - source_labels: [__param_target]', '        target_label: instance',
    '      - target_label: __address__', `        replacement: ${serveAddress}`, '',
  ].join('\n');
}

/** A range vector as Prometheus's /api/v1/query answers it. */
export type Matrix = { metric: Record<string, string>; values: [number, string][] }[];

/** A PromQL query against a started Prometheus; its answer must be `success`. */
export async function promQuery(url: string, q: string): Promise<Matrix> {
  const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const j = await r.json() as { status: string; data: { result: Matrix } };
  if (j.status !== 'success') throw new Error(`Prometheus query ${q}: ${JSON.stringify(j)}`);
  return j.data.result;
}

export async function startPrometheus(config: string): Promise<Engine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-prom-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const log = path.join(dir, 'prometheus.log');
  const proc = spawnLogged('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => { await stopProcess(proc); fs.rmSync(dir, { recursive: true, force: true }); };
  try {
    await waitReady(`${url}/-/ready`, proc, log, 'prometheus');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dir, log, stop };
}

export async function startVictoriaMetrics(): Promise<Engine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-vm-'));
  const port = await freePort();
  const log = path.join(dir, 'vm.log');
  const proc = spawnLogged('victoria-metrics', [
    `-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${path.join(dir, 'data')}`, '-retentionPeriod=100y', '-loggerLevel=WARN',
  ], log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => { await stopProcess(proc); fs.rmSync(dir, { recursive: true, force: true }); };
  try {
    await waitReady(`${url}/health`, proc, log, 'victoria-metrics');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dir, log, stop };
}

export interface Serve {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** host:port */
  address: string;
  pid: number;
  stderr(): string;
  stop(): Promise<void>;
}

/** `mapsdiff --store STORE serve --listen 127.0.0.1:0 ARGS`, ready once it prints the address it listens on. */
export async function startServe(store: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Serve> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env.MAPSDIFF_STORE;
  const proc = spawn(process.execPath, [...nodeFlags, binPath, '--store', store, 'serve', '--listen', '127.0.0.1:0', ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const lines = readline.createInterface({ input: proc.stderr! });
  const address = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => {
      err += l + '\n';
      const m = /listening on http:\/\/(\S+)/.exec(l);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
  return {
    url: `http://${address}`, address, pid: proc.pid!,
    stderr: () => err,
    stop: () => stopProcess(proc),
  };
}
