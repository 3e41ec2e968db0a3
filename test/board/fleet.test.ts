/*! The fleet path end to end: a real Prometheus (Debian's) on 127.0.0.1 scrapes
 * `mapsdiff serve`'s /probe for the real 32-bit ARM board of ../shared/board, relabelled as
 * snmp_exporter's docs say (target -> __param_target, instance); then Prometheus's HTTP API
 * must hold the leaker's series equal, scrape by scrape, to what each probe stored as a
 * snapshot, and the trend gauge must say what `mapsdiff trend` says of the same captures. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';
import { repoRoot } from '../helpers.js';
import { probeScrapeConfig, promQuery, startPrometheus, startServe, type Engine, type Matrix, type Serve } from '../servers/engines.js';


describe('fleet: Prometheus scraping serve /probe of the armhf board', () => {
  let board: Board;
  let cwd: string;
  let store: string;
  let serve: Serve;
  let prom: Engine;

  before(async () => {
    board = await bootBoard('armhf', { LEAK_INTERVAL: '1' });
    cwd = tempStore();
    store = path.join(cwd, 'store');
    fs.mkdirSync(path.join(cwd, 'targets'));
    fs.writeFileSync(path.join(cwd, 'targets', 'armhf.json'), JSON.stringify({
      host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
      processes: ['leaker', 'steady'], ceiling: '0xbf000000',
    }));
    serve = await startServe(store, [], { cwd });
    // a capture of the qemu board takes ~1 s alone and several under load: Prometheus's default 10 s
    prom = await startPrometheus(probeScrapeConfig(['armhf'], serve.address, 10));
  });
  after(async () => {
    await prom?.stop();
    await serve?.stop();
    await board?.stop();
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  const query = (q: string): Promise<Matrix> => promQuery(prom.url, q);

  test("Prometheus holds the leaker's series equal to each snapshot its probes stored, and the trend gauge agrees with mapsdiff trend", async () => {
    const captures = 'mapsdiff_capture_timestamp_seconds{job="mapsdiff",instance="armhf",target="armhf"}[10m]';
    // readiness: three successful probes ingested (each a capture of the board, each stored)
    for (let i = 0; ; i++) {
      const r = await query(captures);
      if ((r[0]?.values.length ?? 0) >= 3) break;
      if (i >= 1200) assert.fail(`Prometheus ingested ${r[0]?.values.length ?? 0} successful probes in 240 s; serve said: ${serve.stderr()}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    const up = await query('up{job="mapsdiff",instance="armhf"}[10m]');
    assert.ok(up[0]!.values.every(([, v]) => v === '1'), 'every scrape of /probe worked');

    const stamps = (await query(captures))[0]!.values;
    const at = (m: Matrix) => new Map(m[0]!.values.map(([ts, v]) => [ts, Number(v)]));
    const leaker = (name: string, more = '') => query(`${name}{instance="armhf",process="leaker"${more && ',' + more}}[10m]`).then(at);
    const virtual = await leaker('mapsdiff_process_memory_bytes', 'memtype="virtual"');
    const heap = await leaker('mapsdiff_process_mapped_bytes', 'kind="heap"');
    const gap = await leaker('mapsdiff_process_free_largest_bytes');
    const threads = await leaker('mapsdiff_process_threads');
    const list = JSON.parse((await mapsdiff(['list', '--json'], { store, cwd })).stdout).snapshots as { name: string; capturedAt: string }[];
    const byTime = new Map(list.map((m) => [Date.parse(m.capturedAt) / 1000, m.name]));
    const heaps: number[] = [];
    for (const [ts, stamp] of stamps) {
      const name = byTime.get(Number(stamp));
      assert.ok(name, `the scrape at ${ts} answered capture time ${stamp}, a stored snapshot's`);
      const show = JSON.parse((await mapsdiff(['show', name, '--json'], { store, cwd })).stdout);
      const p = show.processes.find((x: { name: string }) => x.name === 'leaker');
      assert.equal(virtual.get(ts), p.totals.mapped, `${name}: VSZ`);
      assert.equal(heap.get(ts), p.totals.byKind.heap, `${name}: [heap]`);
      assert.equal(gap.get(ts), p.free.largest.size, `${name}: largest free gap`);
      assert.ok(threads.get(ts)! >= 1);
      heaps.push(heap.get(ts)!);
    }
    assert.ok(heaps[heaps.length - 1]! > heaps[0]!, `the leaker's heap grew across the scrapes: ${heaps.join(', ')}`);

    // the trend gauge of the last scrape judges the captures up to that probe's snapshot
    const [lastTs, lastStamp] = stamps[stamps.length - 1]!;
    const lastName = byTime.get(Number(lastStamp))!;
    const upTo = list.slice(0, list.findIndex((m) => m.name === lastName) + 1).slice(-10).map((m) => m.name);
    const trend = JSON.parse((await mapsdiff(['trend', ...upTo, '--json'], { store, cwd })).stdout);
    const total = trend.processes.find((x: { name: string }) => x.name === 'leaker').regions
      .find((r: { scope: string; measure: string }) => r.scope === 'total' && r.measure === 'virtual');
    const gauge = await leaker('mapsdiff_trend_leak', 'measure="total",memtype="virtual"');
    assert.equal(gauge.get(lastTs), total.verdict === 'leak' ? 1 : 0, `trend of ${upTo.join(' ')}: ${total.verdict}`);
  });

  test('every query of the shipped Grafana dashboard runs on this Prometheus, and its board panels have data', async () => {
    const dash = JSON.parse(fs.readFileSync(path.join(repoRoot, 'grafana', 'mapsdiff-board.json'), 'utf8'));
    // the last scrape must be a successful probe: after a failed one its series are stale, by design
    for (let i = 0; (await query('mapsdiff_capture_success{instance="armhf"} == 1')).length === 0; i++) {
      if (i >= 600) assert.fail(`no successful probe in 120 s: ${serve.stderr()}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    const vars = (q: string) => q.replace(/\$target/g, 'armhf').replace(/\$process/g, 'leaker|steady');
    for (const v of dash.templating.list.filter((x: { type: string }) => x.type === 'query')) {
      const m = /^label_values\((.*), (\w+)\)$/.exec(vars(v.definition))!;
      const values = (await query(m[1]!)).map((r) => r.metric[m[2]!]);
      assert.ok(values.includes(v.name === 'target' ? 'armhf' : 'leaker'), `variable ${v.name}: ${values.join(', ')}; serve said: ${serve.stderr()}`);
    }
    for (const panel of dash.panels) {
      for (const t of panel.targets) {
        const result = await query(vars(t.expr)); // asserts status success: the PromQL parses and runs
        if (/by kind|free gap|MemAvailable|Threads|Capture$/.test(panel.title)) assert.ok(result.length > 0, `${panel.title}: ${t.expr} has data`);
      }
    }
  });
});
