/*! `mapsdiff export` read by the real engines: three captures of a process that grows (a
 * real python3 workload of ours), exported as Prometheus text that `promtool check metrics`
 * accepts and a real VictoriaMetrics imports and gives back with the same values at the
 * same timestamps (resident bytes per kind too: the captures read smaps); as OpenMetrics that `promtool tsdb create-blocks-from openmetrics`
 * backfills whole; as CSV and NDJSON with one row per sample. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mapsdiff, tempStore } from './run.js';
import { startWorkload, type Workload } from './workload.js';
import { startVictoriaMetrics, type Engine } from '../servers/engines.js';

interface Point { ts: number; value: number }

/** Prometheus text with timestamps -> series key (name and sorted labels) -> points. */
function parseText(text: string): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+) (\d+)$/.exec(line);
    assert.ok(m, `a sample line with a timestamp: ${line}`);
    const labels = [...m[2]!.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!] as const);
    const key = keyOf(m[1]!, Object.fromEntries(labels));
    out.set(key, [...(out.get(key) ?? []), { ts: Number(m[4]), value: Number(m[3]) }]);
  }
  return out;
}

const keyOf = (name: string, labels: Record<string, string>) =>
  name + '{' + Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',') + '}';

describe('export', () => {
  let cwd: string;
  let store: string;
  let work: Workload;

  before(async () => {
    cwd = tempStore();
    store = path.join(cwd, 'store');
    work = await startWorkload('fleet-grower');
    for (let i = 0; i < 3; i++) {
      const r = await mapsdiff(['capture', 'local', '--pid', String(work.pid), '--smaps'], { store, cwd });
      assert.equal(r.code, 0, r.stderr);
      await work.send('heap 32'); // +2 MiB of [heap] before the next capture
    }
  });
  after(() => {
    work?.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('export --format prometheus passes promtool check metrics, and holds every capture of the grower', async () => {
    const r = await mapsdiff(['export', '--format', 'prometheus', '-o', path.join(cwd, 'p.txt')], { store, cwd });
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(path.join(cwd, 'p.txt'), 'utf8');
    execFileSync('promtool', ['check', 'metrics'], { input: text }); // throws with promtool's complaint
    const list = JSON.parse((await mapsdiff(['list', '--json'], { store, cwd })).stdout).snapshots as { name: string; capturedAt: string }[];
    const virtual = parseText(text).get(keyOf('mapsdiff_process_memory_bytes', { target: 'local', process: 'python3', memtype: 'virtual' }))!;
    assert.deepEqual(virtual.map((p) => p.ts), list.map((m) => Date.parse(m.capturedAt)), 'one sample per capture, at its time (ms)');
    for (const [i, m] of list.entries()) {
      const show = JSON.parse((await mapsdiff(['show', m.name, '--json'], { store, cwd })).stdout);
      assert.equal(virtual[i]!.value, show.processes[0].totals.mapped);
    }
    assert.ok(virtual[2]!.value > virtual[0]!.value, 'the grower grew');
  });

  test('export --format openmetrics backfills with promtool tsdb create-blocks-from openmetrics, every sample', async () => {
    const file = path.join(cwd, 'om.txt');
    const r = await mapsdiff(['export', '--format', 'openmetrics', '-o', file], { store, cwd });
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.endsWith('# EOF\n'));
    assert.match(text, /^mapsdiff_process_memory_bytes\{target="local",process="python3",memtype="virtual"\} \d+ \d+(\.\d{1,3})?$/m, 'timestamps in seconds');
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const out = execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, path.join(cwd, 'tsdb')], { encoding: 'utf8' });
    const counts = out.split('\n').filter((l) => /^[0-9A-Z]{26} /.test(l)).map((l) => Number(l.trim().split(/\s+/)[4]));
    assert.equal(counts.reduce((a, b) => a + b, 0), samples, out);
  });

  test('export --format csv and ndjson write one row per sample of the text export', async () => {
    const text = (await mapsdiff(['export', '--format', 'prometheus'], { store, cwd })).stdout;
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const csv = (await mapsdiff(['export', '--format', 'csv'], { store, cwd })).stdout.trim().split('\n');
    assert.match(csv[0]!, /^timestamp,snapshot,metric,target,process,/);
    assert.equal(csv.length - 1, samples);
    const nd = (await mapsdiff(['export', '--format', 'ndjson', '--target', 'local', '--since', 't1'], { store, cwd })).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([...new Set(nd.map((r) => r.snapshot))], ['t1', 't2']);
    assert.ok(nd.some((r) => r.metric === 'mapsdiff_process_mapped_bytes' && r.labels.kind === 'heap' && r.labels.process === 'python3'));
  });

  test('export --target of a target the store lacks exits 2 naming the targets it has', async () => {
    const r = await mapsdiff(['export', '--target', 'board9'], { store, cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no captures of target "board9"; the store has local/);
  });

  // regression: the write stream's open error reached only end()'s callback, which ignored it: exit 0, no file
  test('export -o into a directory that does not exist exits 2 naming the file', async () => {
    const r = await mapsdiff(['export', '-o', path.join(cwd, 'no-such-dir', 'out.om')], { store, cwd });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot write .*no-such-dir\/out\.om: ENOENT/);
  });

  describe('into VictoriaMetrics', () => {
    let vm: Engine;
    before(async () => { vm = await startVictoriaMetrics(); });
    after(async () => { await vm?.stop(); });

    test('VictoriaMetrics imports export --format prometheus and returns the same values at the same timestamps', async () => {
      const text = (await mapsdiff(['export', '--format', 'prometheus'], { store, cwd })).stdout;
      const imported = await fetch(`${vm.url}/api/v1/import/prometheus`, { method: 'POST', body: text });
      assert.equal(imported.status, 204, await imported.text());
      await fetch(`${vm.url}/internal/force_flush`);
      const r = await fetch(`${vm.url}/api/v1/export?match[]=${encodeURIComponent('{__name__=~"mapsdiff_.*"}')}`);
      assert.equal(r.status, 200);
      const got = new Map<string, Point[]>();
      for (const line of (await r.text()).trim().split('\n')) {
        const s = JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
        const { __name__, ...labels } = s.metric;
        got.set(keyOf(__name__!, labels), s.timestamps.map((ts, i) => ({ ts, value: s.values[i]! })));
      }
      const want = parseText(text);
      assert.equal(got.size, want.size, 'every series');
      for (const [key, points] of want) assert.deepEqual(got.get(key), points, key);
    });

    test('VictoriaMetrics returns resident bytes per kind equal to the Rss of that kind in each stored snapshot (captured with --smaps)', async () => {
      const text = (await mapsdiff(['export', '--format', 'prometheus'], { store, cwd })).stdout;
      const imported = await fetch(`${vm.url}/api/v1/import/prometheus`, { method: 'POST', body: text });
      assert.equal(imported.status, 204, await imported.text());
      await fetch(`${vm.url}/internal/force_flush`);
      const list = JSON.parse((await mapsdiff(['list', '--json'], { store, cwd })).stdout).snapshots as { name: string; capturedAt: string }[];
      for (const kind of ['heap', 'code']) {
        const r = await fetch(`${vm.url}/api/v1/export?match[]=${encodeURIComponent(`mapsdiff_process_resident_bytes{kind="${kind}",process="python3"}`)}`);
        const lines = (await r.text()).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { values: number[]; timestamps: number[] });
        assert.equal(lines.length, 1, `one ${kind} series`);
        // the test above imported the same samples: VictoriaMetrics keeps both copies (no dedup configured)
        const at = new Map<number, number>();
        lines[0]!.timestamps.forEach((ts, i) => {
          assert.ok(!at.has(ts) || at.get(ts) === lines[0]!.values[i], `one value at ${ts}`);
          at.set(ts, lines[0]!.values[i]!);
        });
        assert.deepEqual([...at.keys()], list.map((m) => Date.parse(m.capturedAt)), 'one sample per capture, at its time');
        for (const m of list) {
          const show = JSON.parse((await mapsdiff(['show', m.name, '--json'], { store, cwd })).stdout);
          const vmas = show.processes[0].vmas as { kind: string; resident: { rss: number } }[];
          assert.equal(at.get(Date.parse(m.capturedAt)), vmas.filter((v) => v.kind === kind).reduce((s, v) => s + v.resident.rss, 0), `${m.name}: resident ${kind}`);
        }
      }
    });
  });
});
