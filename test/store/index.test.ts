/*! The store's index (issue 15: `compare latest~1 latest` opened every snapshot to list the
 * store). list answers from DIR/index.jsonl and reads only files it does not know; the index is
 * a cache that is never trusted for paths, heals when a file changed in place, and a broken
 * or planted index only makes listing read the files again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { SnapshotStore } from '../../src/store/store.js';
import { headerEdited } from '../helpers.js';

const meta = (target: string, at: string) => ({ target, capturedAt: at, tool: { name: 'mapsdiff' as const, version: 't' }, via: 'import' as const, lenient: false });
const empty = { processes: [], skipped: [] };
const retarget = (file: string, name: string, target: string) => headerEdited(file, (head) => { head.meta.name = name; head.meta.target = target; });

test('list answers from the index: an indexed snapshot is not read again, and one changed in place is re-indexed when loaded', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  s.save(meta('b1', '2026-01-01T00:00:00.000Z'), []);
  s.save(meta('b1', '2026-01-01T00:01:00.000Z'), []);
  assert.equal(fs.readFileSync(path.join(dir, 'index.jsonl'), 'utf8').split('\n').length, 3, 'one line per save');
  const t0 = path.join(s.snapDir, 't0.json');
  fs.writeFileSync(t0, retarget(t0, 't0', 'edited')); // in place: same name, same directory
  const warned: string[] = [];
  const again = new SnapshotStore(dir, { warn: (m) => warned.push(m) });
  assert.deepEqual(again.list().map((m) => m.target), ['b1', 'b1'], 'answered from the index, t0.json not opened');
  assert.equal(again.load('t0').meta.target, 'edited', 'a load reads the file itself');
  assert.match(warned.join('\n'), /t0\.json changed since the store's index recorded it/);
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => m.target), ['edited', 'b1'], 'and the index now says so');
  fs.rmSync(dir, { recursive: true });
});

test('loadListed of a listed meta loads as load by name: that very meta back, and a file changed in place since the listing re-indexed and said', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  s.save(meta('b1', '2026-01-01T00:00:00.000Z'), [{ name: 'uptime', status: 'ok', text: '10.00 1.00\n' }]);
  s.save(meta('b1', '2026-01-01T00:01:00.000Z'), [{ name: 'uptime', status: 'ok', text: '70.00 1.00\n' }]);
  const warned: string[] = [];
  const again = new SnapshotStore(dir, { warn: (m) => warned.push(m) });
  const listed = again.list();
  const t1 = again.loadListed(listed[1]!);
  assert.equal(t1.meta, listed[1], 'the listing\'s own meta: a series holds one per snapshot');
  assert.deepEqual(t1, new SnapshotStore(dir).load('t1'), 'what a load by name gives');
  const t0 = path.join(again.snapDir, 't0.json');
  fs.writeFileSync(t0, retarget(t0, 't0', 'edited'));
  assert.equal(again.loadListed(listed[0]!).meta.target, 'edited', 'the file itself is read');
  assert.match(warned.join('\n'), /t0\.json changed since the store's index recorded it/);
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => m.target), ['edited', 'b1'], 'and the index now says so');
  fs.rmSync(dir, { recursive: true });
});

test('files the index does not know are read and indexed; a removed name that comes back is read again', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  s.save(meta('b1', '2026-01-01T00:00:00.000Z'), []);
  s.save(meta('b1', '2026-01-01T00:01:00.000Z'), []);
  const t1 = path.join(s.snapDir, 't1.json');
  fs.writeFileSync(path.join(s.snapDir, 'copied.json'), retarget(t1, 'copied', 'other'));
  assert.deepEqual(s.list().map((m) => `${m.name}:${m.target}`), ['t0:b1', 't1:b1', 'copied:other']);
  assert.match(fs.readFileSync(path.join(dir, 'index.jsonl'), 'utf8'), /"f":"copied\.json"/, 'indexed once read');
  const back = retarget(t1, 't1', 'returned');
  s.remove('t1');
  fs.writeFileSync(t1, back);
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => `${m.name}:${m.target}`), ['t0:b1', 'copied:other', 't1:returned']);
  fs.rmSync(dir, { recursive: true });
});

test('regression: an index with a line as long as the file (a crash\'s zero-filled tail, 400 MiB, under the size cap) is read once, not copied again for every block; a line too long to be a record forgets its file\'s older one', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  s.save(meta('b1', '2026-01-01T00:00:00.000Z'), [], 'a');
  s.save(meta('b1', '2026-01-02T00:00:00.000Z'), [], 'b');
  const index = path.join(dir, 'index.jsonl');
  const record = (name: string, target: string, at: string) => JSON.stringify({ f: `${name}.json`, meta: { ...meta(target, at), name } });
  // a's record with another target, then a later line for a too long to be one (17 MiB), then NUL
  // bytes with no newline (sparse: no disk used) and a record for b with another target, on that line
  fs.writeFileSync(index, record('a', 'stale', '2026-01-01T00:00:00.000Z') + '\n' + `{"f":"a.json","meta":{"x":"${'x'.repeat(17 << 20)}"}}\n`);
  fs.truncateSync(index, fs.statSync(index).size + (400 << 20));
  fs.appendFileSync(index, record('b', 'forged', '2026-01-02T00:00:00.000Z') + '\n');
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => `${m.name}:${m.target}`), ['a:b1', 'b:b1']);
  fs.rmSync(dir, { recursive: true });
});

test('a broken or planted index changes nothing but speed: bad lines, bad types, names of no file, a FIFO', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  s.save(meta('b1', '2026-01-01T00:00:00.000Z'), [], 'a');
  const index = path.join(dir, 'index.jsonl');
  fs.writeFileSync(index, 'not json\n{"f":"a.json","meta":{"name":"a","target":5}}\n' +
    JSON.stringify({ f: 'nowhere.json', meta: { name: '../../x', target: 'x', capturedAt: '2026-01-01T00:00:00Z', via: 'import', lenient: false, tool: { name: 'mapsdiff', version: 't' } } }) + '\n{"f":"a.js');
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => `${m.name}:${m.target}`), ['a:b1']);
  fs.rmSync(index);
  execFileSync('mkfifo', [index]);
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => m.name), ['a'], 'a FIFO in its place does not hang list');
  fs.rmSync(dir, { recursive: true });
});

test('listing from the index: the header fields snapshots share (the tool, what they selected...) are one object for all of them, not one per snapshot (issue 15)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  for (let i = 0; i < 3; i++) s.save({ ...meta('board-with-a-long-name', `2026-01-01T00:0${i}:00.000Z`), from: 'root@127.0.0.1:2222', selection: { pids: [], names: ['app'], all: false } }, []);
  const listed = new SnapshotStore(dir).list();
  assert.deepEqual(listed.map((m) => m.name), ['t0', 't1', 't2']);
  for (const k of ['tool', 'selection'] as const) {
    assert.ok(listed[1]![k] === listed[0]![k] && listed[2]![k] === listed[0]![k], `${k}: one value shared`);
  }
  assert.deepEqual(listed[2]!.selection, { pids: [], names: ['app'], all: false }, 'and each still says what it said');
  assert.deepEqual(listed.map((m) => m.capturedAt), ['2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z']);
  fs.rmSync(dir, { recursive: true });
});

test('the index is read across its blocks (issue 15: no string larger than a block): every record is taken with its line number, keyed by the name of its file', async () => {
  const { readIndex } = await import('../../src/store/index-file.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  // 3,000 lines of ~300 bytes: many lines straddle the 64 KiB reads; a renamed file (x.json says t5),
  // a line of another file type, a gone record and a last line without its newline
  const rec = (i: number, f = `t${i}.json`) => JSON.stringify({ f, meta: { ...meta('b1', `2026-01-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z`), name: `t${i}`, from: 'x'.repeat(150 + (i % 37)) } });
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(rec(i));
  lines.push(rec(5, 'x.json'), rec(6, 't6.txt'), JSON.stringify({ f: 't7.json', gone: true }));
  fs.writeFileSync(path.join(dir, 'index.jsonl'), lines.join('\n'));
  const rows = readIndex(dir);
  const byFile = rows.byFile;
  const row = (f: string) => byFile.get(f)!;
  assert.equal(rows.lines, 3003);
  assert.equal(byFile.size, 3000, 't0..t2999 but t7 (gone), and x');
  for (const i of [0, 1, 212, 213, 214, 1500, 2999]) {
    assert.equal(rows.seqs[row(`t${i}.json`)], i);
    assert.equal(rows.meta(row(`t${i}.json`)).from, 'x'.repeat(150 + (i % 37)));
  }
  assert.equal(rows.meta(row('x.json')).name, 't5', 'a renamed file: known by its file name, its header says its own');
  assert.equal(rows.seqs[row('x.json')], 3000);
  assert.equal(byFile.has('t7.json'), false);
  assert.equal(byFile.has('t6.txt'), false, 'no snapshot file: never looked up');
  fs.rmSync(dir, { recursive: true });
});

test('list is oldest first by capture time, then by the order written, whatever order the index holds them in; an index of 100,000 empty lines changes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-index-'));
  const s = new SnapshotStore(dir);
  // written in this order, captured out of it; t3 and t4 at the same time
  for (const at of ['00:03', '00:01', '00:02', '00:05', '00:05', '00:04']) s.save(meta('b1', `2026-01-01T${at}:00.000Z`), []);
  const want = ['t1', 't2', 't0', 't5', 't3', 't4'];
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => m.name), want);
  const index = path.join(dir, 'index.jsonl');
  fs.writeFileSync(index, '\n'.repeat(100_000) + fs.readFileSync(index, 'utf8'));
  assert.deepEqual(new SnapshotStore(dir).list().map((m) => m.name), want, 'seqs far above the count of snapshots');
  fs.rmSync(dir, { recursive: true });
});
