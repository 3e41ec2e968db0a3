/*! Issue 14's resident metrics read back by the real engines: a real Prometheus scrapes
 * `serve --smaps --process NAME` /probe of this machine, where our own C program NAME (built
 * here with gcc: a name only it has) fills 2 MiB of [heap] when told; each
 * scrape's `mapsdiff_process_resident_bytes{kind}` must equal the Rss of that kind in the
 * snapshot the probe stored, and the MemAvailable trend gauges must say what `mapsdiff
 * trend` says of the same captures. (export into VictoriaMetrics: test/cli/export.test.ts.) */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { mapsdiff, tempStore } from './run.js';
import { uniqueName } from '../helpers.js';
import { probeScrapeConfig, promQuery, startPrometheus, startServe, type Engine, type Matrix, type Serve } from '../servers/engines.js';

interface Vma { kind: string; resident?: { rss: number } | null }

const NAME = uniqueName('mdres'); // comm keeps 15 bytes: the whole name

/** `grow` on stdin: 32 blocks of 64 KiB malloc'd (brk: [heap]) and filled, then `ok`. */
const GROWER = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  char line[64];
  setvbuf(stdout, NULL, _IOLBF, 0);
  puts("ready");
  while (fgets(line, sizeof line, stdin)) {
    for (int i = 0; i < 32; i++) { char *p = malloc(64 * 1024); if (!p) return 1; memset(p, 1, 64 * 1024); }
    puts("ok");
  }
  return 0;
}
`;

interface Grower { pid: number; grow(): Promise<void>; stop(): void }

async function startGrower(dir: string): Promise<Grower> {
  fs.writeFileSync(path.join(dir, 'grower.c'), GROWER);
  const bin = path.join(dir, NAME);
  execFileSync('gcc', ['-O0', '-o', bin, path.join(dir, 'grower.c')]);
  const child: ChildProcess = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (want: string) => {
    const r = await lines.next();
    if (r.done || r.value !== want) throw new Error(`${NAME}: expected ${want}, got ${r.done ? 'its exit' : r.value}`);
  };
  await next('ready');
  return { pid: child.pid!, grow: async () => { child.stdin!.write('grow\n'); await next('ok'); }, stop: () => child.kill() };
}

describe('Prometheus scraping serve --smaps /probe of a growing local process', () => {
  let cwd: string;
  let store: string;
  let work: Grower;
  let bin: string;
  let serve: Serve;
  let prom: Engine;

  before(async () => {
    cwd = tempStore();
    store = path.join(cwd, 'store');
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-grower-'));
    work = await startGrower(bin);
    serve = await startServe(store, ['--smaps', '--process', NAME], { cwd });
    prom = await startPrometheus(probeScrapeConfig(['local'], serve.address, 2));
  });
  after(async () => {
    await prom?.stop();
    await serve?.stop();
    work?.stop();
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  const query = (q: string): Promise<Matrix> => promQuery(prom.url, q);
  const ingested = async (n: number) => {
    for (let i = 0; ; i++) {
      const r = await query('mapsdiff_capture_timestamp_seconds{instance="local"}[10m]');
      if ((r[0]?.values.length ?? 0) >= n) return r[0]!.values;
      if (i >= 1200) assert.fail(`Prometheus ingested ${r[0]?.values.length ?? 0} probes in 240 s; serve said: ${serve.stderr()}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  };

  test('resident bytes per kind equal each stored snapshot, and the MemAvailable gauges equal trend of the same captures', async () => {
    await ingested(2);
    await work.grow(); // 2 MiB of [heap], filled: resident
    const stamps = await ingested(4);
    const at = (m: Matrix) => new Map(m[0]!.values.map(([ts, v]) => [ts, Number(v)]));
    const heap = at(await query(`mapsdiff_process_resident_bytes{instance="local",kind="heap"}[10m]`));
    const anon = at(await query(`mapsdiff_process_resident_bytes{instance="local",kind="anon"}[10m]`));
    const list = JSON.parse((await mapsdiff(['list', '--json'], { store, cwd })).stdout).snapshots as { name: string; capturedAt: string }[];
    const byTime = new Map(list.map((m) => [Date.parse(m.capturedAt) / 1000, m.name]));
    const heaps: number[] = [];
    for (const [ts, stamp] of stamps) {
      const name = byTime.get(Number(stamp))!;
      assert.ok(name, `the scrape at ${ts} answered a stored snapshot's capture time`);
      const show = JSON.parse((await mapsdiff(['show', name, '--json'], { store, cwd })).stdout);
      assert.deepEqual(show.smaps, { mode: 'full', read: [work.pid] }, `${name} says it read smaps in full`);
      const vmas = show.processes[0].vmas as Vma[];
      const rss = (kind: string) => vmas.filter((v) => v.kind === kind).reduce((s, v) => s + v.resident!.rss, 0);
      assert.equal(heap.get(ts), rss('heap'), `${name}: resident [heap]`);
      assert.equal(anon.get(ts), rss('anon'), `${name}: resident anon`);
      heaps.push(heap.get(ts)!);
    }
    assert.ok(heaps[heaps.length - 1]! >= heaps[0]! + 2 * 1024 * 1024 - 64 * 1024, `the heap grew resident: ${heaps.join(', ')}`);

    // the last scrape's MemAvailable gauges judge the captures up to that probe's snapshot
    const [lastTs, lastStamp] = stamps[stamps.length - 1]!;
    const lastName = byTime.get(Number(lastStamp))!;
    const upTo = list.slice(0, list.findIndex((m) => m.name === lastName) + 1).slice(-10).map((m) => m.name);
    const trend = JSON.parse((await mapsdiff(['trend', ...upTo, '--json'], { store, cwd })).stdout);
    const mem = trend.segments[trend.segments.length - 1].memAvailable;
    const gauge = async (name: string) => {
      const m = await query(`${name}{instance="local"}[10m]`);
      return m.length ? at(m).get(lastTs) : undefined;
    };
    // serve judges its probes in memory, trend reads them back: the same numbers, summed in another order
    const rate = (await gauge('mapsdiff_trend_memavailable_rate_bytes_per_second'))!;
    assert.ok(Math.abs(rate - mem.rate / 3600) <= 1e-9 * Math.abs(mem.rate / 3600), `trend of ${upTo.join(' ')}: ${rate} vs ${mem.rate / 3600}`);
    assert.equal(await gauge('mapsdiff_trend_memavailable_leak'), mem.verdict === 'leak' ? 1 : 0, mem.verdict);
    const left = await gauge('mapsdiff_trend_memavailable_time_left_seconds');
    if (mem.timeLeft === null) assert.equal(left, undefined, 'no time left unless consumed');
    // trend --json rounds time left to whole seconds; the gauge keeps the fraction
    else assert.ok(Math.abs(left! - mem.timeLeft) <= 0.5 + 1e-9 * mem.timeLeft, `time left ${left} vs ${mem.timeLeft}`);
    // the first probe judged one capture: no MemAvailable gauge at all
    const first = await query(`mapsdiff_trend_memavailable_rate_bytes_per_second{instance="local"}[10m]`);
    assert.ok(!first[0]!.values.some(([ts]) => ts === stamps[0]![0]), 'nothing to judge in one capture');
  });
});
