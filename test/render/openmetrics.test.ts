/*! The metrics layer without a network: a real board capture (fixtures/captures) through
 * the metric table and both text formats; what a failed probe gives; namesake processes;
 * label values a board sends escaped; and docs/metrics.md naming every family and label. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { collectFamilies, processLabels } from '../../src/render/metric-samples.js';
import { renderExposition } from '../../src/render/openmetrics.js';
import { ALL_METRICS } from '../../src/render/metric-defs.js';
import { HEALTH_METRICS } from '../../src/cli/serve/health.js';
import { fixture, repoRoot } from '../helpers.js';
import { meta } from './build.js';

function boardCapture(edit: (text: string) => string = (t) => t) {
  const raw = parseCaptureText(edit(fixture('captures/qemu-armhf-virt-leaker-steady.capture')), 'fixture');
  const parsed = parseCapture(raw, { source: 'fixture' });
  return { report: buildReport(meta('t0'), parsed, { machine: 'armv7l' }), parsed };
}

const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

test('a board capture gives every process family per process, and the kinds add up to its VSZ', () => {
  const c = boardCapture();
  const text = renderExposition(collectFamilies({ target: 'armhf', capture: c, probe: { ok: true, seconds: 1.5, capturedAtMs: 0 } }), 'prometheus');
  const leaker = c.report.processes.find((p) => p.name === 'leaker')!;
  const value = (sel: string) => Number(new RegExp(`^${sel.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
  const l = 'target="armhf",process="leaker"';
  assert.equal(value(`mapsdiff_process_memory_bytes{${l},memtype="virtual"}`), leaker.totals.mapped);
  const kinds = lines(text).filter((x) => x.startsWith(`mapsdiff_process_mapped_bytes{${l},`)).map((x) => Number(x.split(' ')[1]));
  assert.equal(kinds.reduce((a, b) => a + b, 0), leaker.totals.mapped);
  assert.equal(value(`mapsdiff_process_stack_limit_bytes{${l}}`), 8 * 1024 * 1024);
  assert.equal(value(`mapsdiff_meminfo_bytes{target="armhf",key="MemTotal"}`), c.parsed.meminfo!.MemTotal!.value * 1024);
  assert.equal(value('mapsdiff_capture_success{target="armhf"}'), 1);
  assert.doesNotMatch(text, /^mapsdiff_(?!process_info)[a-z_]+\{[^}]*(pid|start_time)=/m, 'pid and start time only on the _info series');
});

test('open fds and their limit per process, slab caches and tmpfs use of the board (issue 12\'s sections) are exported', () => {
  const B = 'MAPSDIFF-SECTION';
  const c = boardCapture((text) => text.replace(`${B} pid 100 limits`, `${B} pid 100 fds\n37\n${B} pid 100 limits`).replace(`${B} uname`, [
    `${B} slabinfo`, 'slabinfo - version: 2.1',
    '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>',
    'sock_inode_cache     120    140    640   25    4 : tunables    0    0    0 : slabdata      6      6      0',
    `${B} mounts`, 'tmpfs /dev/shm tmpfs rw,nosuid,nodev,size=61340k 0 0', 'proc /proc proc rw 0 0',
    `${B} df`, 'Filesystem     1024-blocks    Used Available Capacity Mounted on', 'tmpfs   61340   128   61212   0% /dev/shm',
    `${B} uname`].join('\n')));
  const text = renderExposition(collectFamilies({ target: 'armhf', capture: c, probe: { ok: true, seconds: 1, capturedAtMs: 0 } }), 'prometheus');
  const value = (sel: string) => Number(new RegExp(`^${sel.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
  const pid100 = c.report.processes.find((p) => p.pid === 100)!;
  const l = `target="armhf",process="${pid100.name}"`;
  assert.equal(value(`mapsdiff_process_open_fds{${l}}`), 37);
  assert.equal(value(`mapsdiff_process_open_fds_limit{${l}}`), 1024);
  assert.equal(value('mapsdiff_slab_bytes{target="armhf",cache="sock_inode_cache"}'), 140 * 640);
  assert.equal(value('mapsdiff_tmpfs_used_bytes{target="armhf",mount="/dev/shm"}'), 128 * 1024);
  assert.equal(value('mapsdiff_tmpfs_size_bytes{target="armhf",mount="/dev/shm"}'), 61340 * 1024);
  assert.doesNotMatch(text, /mount="\/proc"/, 'only tmpfs mounts');
});

test('a failed probe answers success 0 and its reason, and not one series of the capture', () => {
  const c = boardCapture();
  const text = renderExposition(collectFamilies({ target: 'armhf', capture: c, probe: { ok: false, seconds: 2, capturedAtMs: 0, reason: 'timeout' } }), 'prometheus');
  assert.deepEqual(lines(text), [
    'mapsdiff_capture_success{target="armhf"} 0',
    'mapsdiff_capture_error_info{target="armhf",reason="timeout"} 1',
    'mapsdiff_capture_duration_seconds{target="armhf"} 2',
  ]);
});

test('namesake processes are told apart by start time: httpd, httpd#2, httpd#3', () => {
  const labels = processLabels([
    { pid: 30, name: 'httpd', startTime: 900 }, { pid: 12, name: 'httpd', startTime: 100 }, { pid: 20, name: 'httpd', startTime: 500 }, { pid: 5, name: '', startTime: 1 },
  ]);
  assert.deepEqual([...labels].sort((a, b) => a[0] - b[0]), [[5, '?'], [12, 'httpd'], [20, 'httpd#2'], [30, 'httpd#3']]);
});

test('a process name with a quote, a backslash and a newline from the board is escaped in label values', () => {
  // comm is at most 15 bytes and may hold any byte but NUL; status Name: escapes only \n and \\
  const c = boardCapture();
  c.report.processes[0]!.name = 'a"b\\c\nd';
  const text = renderExposition(collectFamilies({ target: 'x', capture: c }), 'openmetrics');
  assert.match(text, /process="a\\"b\\\\c\\nd"/);
  assert.equal(text.split('\n').filter((l) => l.includes('process="a')).every((l) => /^mapsdiff_[a-z_]+\{/.test(l)), true);
});

test('OpenMetrics: info families drop _info, units declared and suffixed, seconds timestamps, # EOF; Prometheus text: ms', () => {
  const c = boardCapture();
  const fams = collectFamilies({ target: 'armhf', capture: c, timestampMs: 1764558245123 });
  const om = renderExposition(fams, 'openmetrics');
  assert.match(om, /^# TYPE mapsdiff_process info$/m);
  assert.match(om, /^mapsdiff_process_info\{target="armhf",process="leaker",pid="\d+",start_time="\d+"\} 1 1764558245.123$/m);
  assert.match(om, /^# UNIT mapsdiff_process_memory_bytes bytes$/m);
  assert.ok(om.endsWith('\n# EOF\n'));
  for (const m of om.matchAll(/^# UNIT (\S+) (\S+)$/gm)) assert.ok(m[1]!.endsWith('_' + m[2]), `${m[1]} ends in its unit`);
  const prom = renderExposition(fams, 'prometheus');
  assert.match(prom, /^# TYPE mapsdiff_process_info gauge$/m);
  assert.match(prom, /^mapsdiff_board_uptime_seconds\{target="armhf"\} [0-9.]+ 1764558245123$/m);
  assert.doesNotMatch(prom, /# EOF|# UNIT/);
});

test('docs/metrics.md documents every metric family and every label', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'metrics.md'), 'utf8');
  for (const f of [...ALL_METRICS, ...HEALTH_METRICS]) {
    assert.ok(doc.includes('`' + f.name + '`'), `${f.name} is documented`);
    for (const l of f.labels) assert.ok(doc.includes('`' + l + '`'), `label ${l} of ${f.name} is documented`);
  }
});
