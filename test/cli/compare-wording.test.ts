/*! `compare` as text reads in one style (issue 16): an unchanged process is one line, with
 * --all too; sizes in tables are pmap-like KiB columns, sizes in sentences human units. Real
 * processes the test starts, captured from this machine's /proc. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fixture, namedSleeper, uniqueName } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';
import { startWorkload } from './workload.js';

test('compare --all: an unchanged process is one line; tables are KiB columns, sentences human units', async () => {
  const store = tempStore();
  const w = await startWorkload();
  const sleeper = spawn(namedSleeper(uniqueName('md-same')), ['600'], { stdio: 'ignore' });
  try {
    const pids = ['--pid', String(w.pid), '--pid', String(sleeper.pid)];
    const c0 = await mapsdiff(['capture', 'local', ...pids], { store });
    assert.equal(c0.code, 0, c0.stderr);
    await w.send('heap 16'); // 1 MiB of brk
    const c1 = await mapsdiff(['capture', 'local', ...pids], { store });
    assert.equal(c1.code, 0, c1.stderr);
    for (const args of [['compare', '--all'], ['compare']]) {
      const r = await mapsdiff(args, { store });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      const sleeperLines = lines.filter((l) => new RegExp(`^(pid )?${sleeper.pid}\\b`).test(l));
      assert.equal(sleeperLines.length, 2, `${args.join(' ')}: the summary row and one line:\n${r.stdout}`);
      assert.match(sleeperLines[1]!, new RegExp(`^pid ${sleeper.pid}  md-same\\S*  no region changed: VSZ [\\d.]+ [KM]iB in \\d+ maps lines`));
      // --all lists the unchanged regions of a process that changed, never those of a process that did not
      assert.ok(!lines.some((l) => /^ {2}same /.test(l) && l.includes('md-same')), `no row of the sleeper's regions:\n${r.stdout}`);
      if (args.includes('--all')) assert.match(r.stdout, /^ {2}same +code /m, "--all: the workload's unchanged code is listed");
      else assert.doesNotMatch(r.stdout, /^ {2}same /m);
      // the workload grew: its tables in KiB columns, its sentences in human units
      assert.match(r.stdout, /^ {2}heap +\d+K +\d+K +\+\d+K$/m, 'by-kind table: KiB columns');
      assert.match(r.stdout, new RegExp(`^${w.pid} +python3 +\\d+K +\\d+K +\\+\\d+K`, 'm'), 'the process table: KiB columns');
      assert.match(r.stdout, /^ {2}grown +heap +[0-9a-f]+-[0-9a-f]+ +[0-9a-f]+-[0-9a-f]+ +\d+K +\d+K +\+\d+K +\[heap\]$/m, 'the region table: KiB columns');
      assert.match(r.stdout, new RegExp(`^pid ${w.pid}  python3  VSZ [\\d.]+ MiB -> [\\d.]+ MiB \\(\\+[\\d.]+ [KM]iB\\)`, 'm'), 'the sentence: human units');
      // the board section's lines are sentences (indented under their heading), not table rows
      const tableRows = r.stdout.replace(/^board {2}\(.*\n(?: {2}.*\n)*/m, '').split('\n').filter((l) => /^ {2}\S/.test(l) || /^\d/.test(l));
      assert.doesNotMatch(tableRows.join('\n'), /\d (B|KiB|MiB|GiB)\b/, 'no human unit in a table row');
    }
  } finally {
    w.stop();
    sleeper.kill();
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('compare: the stack line tells "limit unlimited" from "limit unknown", and says "over" a limit the stack passed', async () => {
  const store = tempStore();
  try {
    const maps = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps'); // [stack] 132 KiB
    const grown = maps.replace('00102000-00124000 rw-p 00000000 00:00 0          [heap]', '00102000-00144000 rw-p 00000000 00:00 0          [heap]');
    assert.notEqual(grown, maps);
    const pair = async (t: string, extra: string[]) => {
      for (const [name, text] of [[`${t}0`, maps], [`${t}1`, grown]] as const) {
        const imp = await mapsdiff(['import', '-', '--pid', '1', '--target', t, '--name', name, ...extra], { store, input: text });
        assert.equal(imp.code, 0, imp.stderr);
      }
      const r = await mapsdiff(['compare', `${t}0`, `${t}1`], { store });
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    assert.match(await pair('unl', ['--ulimit-s', 'unlimited']), /^stack 132 KiB -> 132 KiB \(limit unlimited, from ulimit -s\); thread stacks 0 -> 0$/m);
    assert.match(await pair('unk', []), /^stack 132 KiB -> 132 KiB \(limit unknown: no limits or ulimit -s captured\); thread stacks 0 -> 0$/m);
    assert.match(await pair('lim', ['--ulimit-s', '8192']), /^stack 132 KiB -> 132 KiB of 8 MiB limit; thread stacks 0 -> 0$/m);
    const over = await pair('ovr', ['--ulimit-s', '64']);
    assert.match(over, /^stack 132 KiB -> 132 KiB, over its 64 KiB limit; thread stacks 0 -> 0$/m);
    assert.doesNotMatch(over, /near/);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});
