/*! Capture format 3's `cat` section (parse/capture-batch.ts): one cat's text split back into
 * its files by how the kernel prints each one, against files of this very process and against
 * texts a hostile comm or path would give; what does not add up refuses the whole stream. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ParseError } from '../../src/errors.js';
import { parseCaptureText } from '../../src/parse/capture.js';
import { splitBatch, readBatchWord } from '../../src/parse/capture-batch.js';

const B = 'Bq1w2e3r4t5y6u7i8o9p0';
const UP = '1234.56 789.01\n';
const mine = (f: string) => fs.readFileSync(`/proc/self/${f}`, 'latin1');
const ROLLUP = '00010000-ffff1000 ---p 00000000 00:00 0                          [rollup]\nRss:                1234 kB\nPss:                 567 kB\n';
const all = (pid: number) => readBatchWord(`${pid}:stlrm`)!;

test('the files of this process, and the board-wide ones, split back to exactly what the kernel printed', () => {
  const files = { stat: mine('stat'), status: mine('status'), limits: mine('limits'), smaps_rollup: mine('smaps_rollup'), maps: mine('maps') };
  const meminfo = fs.readFileSync('/proc/meminfo', 'latin1');
  const mounts = fs.readFileSync('/proc/mounts', 'latin1');
  const body = meminfo + UP + mounts + UP + Object.values(files).join('') + UP + Object.values(files).join('').replace(/^\d+ /, '77 ') + UP;
  const got = splitBatch(body, [readBatchWord('meminfo')!, readBatchWord('mounts')!, all(process.pid), all(77)]);
  assert.deepEqual(got.slice(0, 2), [{ name: 'meminfo', text: meminfo }, { name: 'mounts', text: mounts }]);
  assert.deepEqual(got.slice(2, 7).map((f) => [f.pid, f.name, f.text]), Object.entries(files).map(([n, t]) => [process.pid, n, t]));
  assert.equal(got[7]!.text, files.stat.replace(/^\d+ /, '77 '));
});

test('a comm that closes its parenthesis and forges an uptime line, a status and the next stat: stat ends at its last `)` within 64 bytes', () => {
  const comm = 'x) R 1\n0.5 0.5\n'; // 15 bytes, all a process may set with prctl(PR_SET_NAME)
  const stat = `412 (${comm}) S 1 412 412 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 5 2211840 100 4294967295 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;
  const status = 'Name:\tx) R 1\\n0.5 0.5\\n\nUmask:\t0022\nState:\tS (sleeping)\n';
  const got = splitBatch(stat + status + UP, [readBatchWord('412:st')!]);
  assert.deepEqual(got.map((f) => f.text), [stat, status]);
  // a 64-byte kernel thread name ending in `)` (proc_task_name: %.64s)
  const long = `${'k'.repeat(63)})`;
  const kstat = `2 (${long}) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 4294967295 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;
  assert.equal(splitBatch(kstat + UP, [readBatchWord('2:s')!])[0]!.text, kstat);
});

test('a maps path that holds a rollup header, a stat and an uptime line is one maps line (seq_path escapes its newlines)', () => {
  const maps = '00400000-00401000 r-xp 00000000 08:01 12 /tmp/a\\012413 (y) S 1\\0121.0 2.0\\01200010000-00020000 ---p 00000000 00:00 0 [rollup]\n'
    + '00401000-00402000 rw-p 00000000 00:00 0                          [anon:1.0 2.0]\n';
  const got = splitBatch(ROLLUP + maps + UP, [readBatchWord('412:rm')!]);
  assert.deepEqual(got.map((f) => f.text), [ROLLUP, maps]);
});

test('files left empty (a process reaped while cat read it) leave the next process\'s files where they are', () => {
  const other = `413 (b) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;
  const maps = '00400000-00401000 r-xp 00000000 08:01 12 /bin/b\n';
  const got = splitBatch(UP + other + ROLLUP + maps + UP, [all(412), readBatchWord('413:srm')!]);
  assert.deepEqual(got.map((f) => `${f.pid}:${f.name}:${f.text.length}`), ['412:stat:0', '412:status:0', '412:limits:0', '412:smaps_rollup:0', '412:maps:0',
    `413:stat:${other.length}`, `413:smaps_rollup:${ROLLUP.length}`, `413:maps:${maps.length}`]);
});

test('text that is not the files named refuses the whole stream: no uptime line after a process, text after the last file, a stat without its `)`', () => {
  const maps = '00400000-00401000 r-xp 00000000 08:01 12 /bin/b\n';
  assert.throws(() => splitBatch(maps, [readBatchWord('412:m')!]), /not followed by the \/proc\/uptime line/);
  assert.throws(() => splitBatch(maps + UP + 'junk\n', [readBatchWord('412:m')!]), /text after the last file/);
  assert.throws(() => splitBatch(`412 (${'z'.repeat(70)}) S 1\n` + UP, [readBatchWord('412:s')!]), /stat is not/);
  // a maps line named [rollup], which no kernel prints, cannot pass as maps either
  assert.throws(() => splitBatch(maps + ROLLUP + UP, [readBatchWord('412:m')!]), /not followed by the \/proc\/uptime line/);
});

test('format 3 framing: pids and files named once and in cat\'s order, a closing line of its own, gone pids among those it names; version 2 has no cat section', () => {
  const stat = '412 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
  const stream = (v: number, head: string, close: string) => `mapsdiff-capture ${v} ${B}\n${B} ${head}\n${stat}${UP}\n${B} ${close}\n${B} end\n`;
  const secs = parseCaptureText(stream(3, 'cat 412:s', 'cat gone 412'), 'x', { requireEnd: true }).sections;
  assert.deepEqual(secs, [{ name: 'stat', pid: 412, status: 'gone', text: stat }]);
  assert.equal(parseCaptureText(stream(3, 'cat 412:s', 'cat ok'), 'x').sections[0]!.status, 'ok');
  const refused = (head: string, close: string, re: RegExp, v = 3) => {
    const err = assert.throws(() => parseCaptureText(stream(v, head, close), 'x'), (e: unknown) => e instanceof ParseError && re.test(e.message));
    return err;
  };
  refused('cat 412:ms', 'cat ok', /neither PID:FILES/);
  refused('cat 412:s 412:s', 'cat ok', /named twice/);
  refused('cat 412:s', 'cat gone 413', /not its own/);
  refused('cat 412:s', 'pid 412 stat ok', /not its own/);
  refused('cat', 'cat ok', /names no process/);
  refused('cat 412:s', 'cat ok', /unknown section name/, 2);
});

test('regression: a process read as it exited (its smaps_rollup and maps empty, the shell\'s check after the cat still found it) is gone, not an ok process with no mappings', () => {
  // stat and status were read before exit_mm, smaps_rollup and maps after it; exit_fs had not run
  // yet, so the shell's /proc/PID/cwd check said alive and closed the section with `cat ok`
  const stat = '412 (a) R 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
  const status = 'Name:\ta\nState:\tR (running)\n';
  const text = `mapsdiff-capture 3 ${B}\n${B} cat 412:strm\n${stat}${status}${UP}\n${B} cat ok\n${B} end\n`;
  const secs = parseCaptureText(text, 'x', { requireEnd: true }).sections;
  assert.deepEqual(secs.map((x) => `${x.name}:${x.status}`), ['stat:gone', 'status:gone', 'smaps_rollup:gone', 'maps:gone']);
  // a kernel thread (PF_KTHREAD in stat's flags) has no mm at all: its empty maps is what it is
  const kthread = stat.replace('4194560', String(0x00208040));
  const k = parseCaptureText(text.replace(stat, kthread), 'x', { requireEnd: true }).sections;
  assert.deepEqual(k.map((x) => `${x.name}:${x.status}`), ['stat:ok', 'status:ok', 'smaps_rollup:ok', 'maps:ok']);
});
