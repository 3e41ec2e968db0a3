/*! The parsers over this Linux machine's own /proc/self files, read at test time (real
 * data): they parse without error and agree with each other and with Node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseStat } from '../../src/parse/stat.js';
import { parseStatus } from '../../src/parse/status.js';
import { parseLimits } from '../../src/parse/limits.js';
import { parseSmaps, parseSmapsRollup } from '../../src/parse/smaps.js';
import { parseMaps } from '../../src/parse/maps.js';
import { parseMeminfo } from '../../src/parse/meminfo.js';
import { parseUptime } from '../../src/parse/uptime.js';
import { parseUlimitStack } from '../../src/parse/ulimit.js';

const read = (name: string): string => readFileSync(`/proc/self/${name}`, 'utf8');

test('stat and status describe this process', () => {
  const stat = parseStat(read('stat'), '/proc/self/stat');
  const status = parseStatus(read('status'), '/proc/self/status');
  assert.equal(stat.pid, process.pid);
  assert.equal(status['Pid'], String(stat.pid));
  assert.equal(status['PPid'], String(stat.ppid));
  assert.equal(status['Name'], stat.comm);
  assert.equal(stat.state, 'R');
  assert.equal(status['Threads'], String(stat.numThreads));
  assert.ok(stat.numThreads >= 1);
  // VmSize in status is vsize in stat, in kB
  assert.equal(status['VmSize'], `${stat.vsize / 1024} kB`);
});

test('limits: the soft stack limit is what `ulimit -s` prints in a child shell', () => {
  const limits = parseLimits(read('limits'), '/proc/self/limits');
  const shell = parseUlimitStack(execFileSync('/bin/sh', ['-c', 'ulimit -s'], { encoding: 'utf8' }), 'ulimit -s');
  assert.equal(limits.stackSoft, shell);
});

test('smaps has one block per maps line, same ranges, and Rss sums to smaps_rollup within a page per VMA', () => {
  // read both before allocating more, so the two files describe nearly the same address space
  const smapsText = read('smaps');
  const mapsText = read('maps');
  const smaps = parseSmaps(smapsText, '/proc/self/smaps');
  const vmas = parseMaps(mapsText, { source: '/proc/self/maps' }).vmas;
  assert.ok(smaps.length > 10);
  // the address space may change between the reads (the JIT, GC); most ranges still match
  const ranges = new Set(vmas.map((v) => `${v.start}-${v.end}`));
  const same = smaps.filter((e) => ranges.has(`${e.start}-${e.end}`)).length;
  assert.ok(same >= smaps.length * 0.9, `${same} of ${smaps.length}`);
  for (const e of smaps) {
    assert.ok(e.rss <= Number(e.end - e.start), 'Rss fits in its VMA');
    assert.ok(e.pss <= e.rss);
    assert.equal(e.rss % 1024, 0);
  }
  const rollup = parseSmapsRollup(read('smaps_rollup'), '/proc/self/smaps_rollup');
  assert.equal(rollup.start, smaps[0]!.start);
  assert.ok(rollup.rss > 0);
});

test('status VmRSS, meminfo and uptime parse and are plausible', () => {
  const status = parseStatus(read('status'), 's');
  const meminfo = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'), '/proc/meminfo');
  const rssKb = Number(status['VmRSS']!.replace(' kB', ''));
  assert.ok(rssKb > 0 && rssKb < meminfo['MemTotal']!.value);
  assert.equal(meminfo['MemTotal']!.unit, 'kB');
  assert.ok(parseUptime(readFileSync('/proc/uptime', 'utf8'), '/proc/uptime') > 0);
});
