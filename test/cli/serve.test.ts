/*! `mapsdiff serve` as Prometheus meets it, over real HTTP: the multi-target exporter's
 * answers (400 without a target, 401 without the token), a board that never answers failing
 * with its reason before the scrape timeout, probes queueing per target, and several real
 * SSH servers (sshd and Dropbear on 127.0.0.1) probed at once, each probe stored as the
 * snapshot whose numbers it answered. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { mapsdiff, tempStore } from './run.js';
import { startServe, type Serve } from '../servers/engines.js';
import { KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';

/** A TCP port that accepts and then says nothing: a board whose sshd hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); srv.close(() => r()); }),
  };
}

const probeUrl = (s: Serve, target: string) => `${s.url}/probe?target=${encodeURIComponent(target)}`;
const series = (body: string) => body.split('\n').filter((l) => l && !l.startsWith('#'));

describe('serve: the exporter protocol', () => {
  let cwd: string;
  let serve: Serve;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const token = 'fleet-test-token-0123456789';

  before(async () => {
    cwd = tempStore();
    fs.writeFileSync(path.join(cwd, 'token'), token + '\n');
    silent = await silentServer();
    serve = await startServe(path.join(cwd, 'store'), ['--all', '--per-target', '1', '--token-file', path.join(cwd, 'token')], { cwd });
  });
  after(async () => {
    await serve?.stop();
    await silent?.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  const auth = { Authorization: `Bearer ${token}` };

  test('without the bearer token every page answers 401 and says how to authenticate', async () => {
    for (const page of ['/metrics', '/probe?target=local']) {
      const r = await fetch(serve.url + page);
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    const wrong = await fetch(serve.url + '/metrics', { headers: { Authorization: 'Bearer not-the-token-at-all!' } });
    assert.equal(wrong.status, 401);
    const ok = await fetch(serve.url + '/metrics', { headers: auth });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /^mapsdiff_serve_probes_total\{result="success"\} \d+$/m);
  });

  test('a probe without a target answers 400 naming the parameter', async () => {
    const r = await fetch(serve.url + '/probe', { headers: auth });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /target parameter is missing/);
  });

  test('a scrape-timeout header that is not a number of seconds answers 400', async () => {
    const r = await fetch(probeUrl(serve, 'local'), { headers: { ...auth, 'X-Prometheus-Scrape-Timeout-Seconds': 'soon' } });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /X-Prometheus-Scrape-Timeout-Seconds must be a positive number/);
  });

  test('a board that never answers fails with reason timeout before the scrape timeout, and no other series', async () => {
    const t0 = Date.now();
    const r = await fetch(probeUrl(serve, `root@127.0.0.1:${silent.port}`), { headers: { ...auth, 'X-Prometheus-Scrape-Timeout-Seconds': '2' } });
    const elapsed = Date.now() - t0;
    assert.equal(r.status, 200, 'the scrape worked; the capture did not');
    assert.ok(elapsed >= 1400 && elapsed < 2000, `answered after ${elapsed} ms: the 2 s scrape timeout less the 0.5 s offset`);
    const body = await r.text();
    assert.deepEqual(series(body).map((l) => l.replace(/ [0-9.]+$/, '')), [
      `mapsdiff_capture_success{target="root@127.0.0.1:${silent.port}"}`,
      `mapsdiff_capture_error_info{target="root@127.0.0.1:${silent.port}",reason="timeout"}`,
      `mapsdiff_capture_duration_seconds{target="root@127.0.0.1:${silent.port}"}`,
    ]);
    assert.match(body, /^mapsdiff_capture_success\{[^}]*\} 0$/m);
    assert.match(r.headers.get('x-mapsdiff-error') ?? '', /did not finish within the probe's 1.5 s/);
  });

  test('with --per-target 1 a second probe of the same board waits its turn, and past its own deadline fails as busy', async () => {
    const target = `root@127.0.0.1:${silent.port}`;
    const first = fetch(probeUrl(serve, target), { headers: { ...auth, 'X-Prometheus-Scrape-Timeout-Seconds': '3' } }).then((r) => r.text());
    await waitFor(async () => /mapsdiff_serve_probes_in_flight 1/.test(await (await fetch(serve.url + '/metrics', { headers: auth })).text()));
    const second = await (await fetch(probeUrl(serve, target), { headers: { ...auth, 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' } })).text();
    assert.match(second, /reason="busy"/);
    assert.match(await first, /reason="timeout"/);
    const health = await (await fetch(serve.url + '/metrics', { headers: auth })).text();
    assert.match(health, /^mapsdiff_serve_probe_failures_total\{reason="busy"\} 1$/m);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached in 4 s');
}

describe('serve: probes of real SSH servers', () => {
  let servers: Servers;
  let sleeper: Awaited<ReturnType<typeof runAs>>;
  let cwd: string;
  let store: string;
  let serve: Serve;
  const targets: string[] = [];

  before(async () => {
    servers = await startServers();
    sleeper = await runAs(servers, KEY_USER, 'fleet-sleeper');
    cwd = tempStore();
    store = path.join(cwd, 'store');
    fs.mkdirSync(path.join(cwd, 'targets'));
    // three behind sshd, two behind Dropbear (it takes 5 unauthenticated connections per address)
    for (const [i, port] of [servers.sshd.port, servers.sshd.port, servers.sshd.port, servers.dropbear.port, servers.dropbear.port].entries()) {
      const name = `board${i + 1}`;
      targets.push(name);
      fs.writeFileSync(path.join(cwd, 'targets', `${name}.json`), JSON.stringify({
        host: '127.0.0.1', port, user: KEY_USER, identityFile: servers.key, knownHosts: servers.knownHosts, processes: ['fleet-sleeper'],
      }));
    }
    serve = await startServe(store, [], { cwd });
  });
  after(async () => {
    await serve?.stop();
    if (sleeper) await stopProcess(sleeper);
    await servers?.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('five boards probed at once: each probe is stored, and answers the numbers of the snapshot it stored', async () => {
    const answers = await Promise.all(targets.map(async (t) => {
      // a generous scrape timeout: five SSH logins at once on a loaded 2-core machine (this test is
      // about concurrent probes each storing and answering its own snapshot, not about deadlines)
      const r = await fetch(probeUrl(serve, t), { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '60' } });
      return { target: t, snapshot: r.headers.get('x-mapsdiff-snapshot'), body: await r.text() };
    }));
    for (const a of answers) {
      assert.match(a.body, /^mapsdiff_capture_success\{target="[^"]+"\} 1$/m, a.body.slice(0, 500));
      assert.ok(a.snapshot, `${a.target}: stored`);
      const show = await mapsdiff(['show', a.snapshot!, '--json'], { store, cwd });
      assert.equal(show.code, 0, show.stderr);
      const j = JSON.parse(show.stdout);
      assert.equal(j.target, a.target);
      const p = j.processes.find((x: { pid: number }) => x.pid === sleeper.pid);
      const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(a.body)?.[1]);
      const labels = `target="${a.target}",process="fleet-sleeper"`;
      assert.equal(value(`mapsdiff_process_memory_bytes{${labels},memtype="virtual"}`), p.totals.mapped);
      assert.equal(value(`mapsdiff_process_mapped_bytes{${labels},kind="code"}`), p.totals.byKind.code);
      assert.equal(value(`mapsdiff_process_free_largest_bytes{${labels}}`), p.free.largest.size);
      assert.equal(value(`mapsdiff_process_stack_bytes{${labels}}`), p.stack.size);
      assert.equal(value(`mapsdiff_process_info{${labels},pid="${sleeper.pid}",start_time="${p.startTime}"}`), 1);
      assert.match(a.body, /^mapsdiff_meminfo_bytes\{target="[^"]+",key="MemAvailable"\} \d+$/m);
    }
    const list = JSON.parse((await mapsdiff(['list', '--json'], { store, cwd })).stdout);
    assert.equal(list.snapshots.length, targets.length, 'one snapshot per probe');
  });
});

// regression: `--store DIR serve --no-store` gave yargs store: [DIR, false], and serve stored
// every probe in ./.mapsdiff of its working directory instead of storing nothing
describe('serve --no-store', () => {
  let servers: Servers;
  let sleeper: Awaited<ReturnType<typeof runAs>>;
  let cwd: string;
  let serve: Serve;

  before(async () => {
    servers = await startServers();
    sleeper = await runAs(servers, KEY_USER, 'fleet-sleeper');
    cwd = tempStore();
    fs.mkdirSync(path.join(cwd, 'targets'));
    fs.writeFileSync(path.join(cwd, 'targets', 'board1.json'), JSON.stringify({
      host: '127.0.0.1', port: servers.sshd.port, user: KEY_USER, identityFile: servers.key, knownHosts: servers.knownHosts, processes: ['fleet-sleeper'],
    }));
    serve = await startServe(path.join(cwd, 'store'), ['--no-store'], { cwd });
  });
  after(async () => {
    await serve?.stop();
    if (sleeper) await stopProcess(sleeper);
    await servers?.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('serve --no-store after --store DIR answers the probe and stores nothing, anywhere', async () => {
    const r = await fetch(probeUrl(serve, 'board1'));
    assert.match(await r.text(), /^mapsdiff_capture_success\{target="board1"\} 1$/m);
    assert.equal(r.headers.get('x-mapsdiff-snapshot'), null);
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['targets'], 'no store made, neither --store DIR nor ./.mapsdiff');
  });
});
