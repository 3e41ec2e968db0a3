/*! The index's stamp (issue 15: `compare latest~1 latest` in a store of 10,000 snapshots read
 * the directory and every index line). While the stamp holds, refs resolve from the index's last
 * lines; any change to the directory's entries or to the index, and any stamp that says what the
 * index does not hold, gives the full listing's answer. The stores here are stamped with
 * racyMs 0; the racy margin itself is tested on its own (a store just written is not stamped). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotStore } from '../../src/store/store.js';
import { identityOf, RACY_MS, settled } from '../../src/store/index-stamp.js';
import { resolveQualified } from '../../src/store/names.js';
import { headerEdited } from '../helpers.js';

const meta = (target: string, at: string) => ({ target, capturedAt: at, tool: { name: 'mapsdiff' as const, version: 't' }, via: 'import' as const, lenient: false });
const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
const stampFile = (dir: string) => path.join(dir, 'index.stamp');

/** Waits until the kernel's clock for file times has moved past the store's times (its coarse
 * tick): a change made after this cannot leave them as the stamp holds them (racyMs 0 here). */
function pastTick(dir: string): void {
  const stat = (f: string) => fs.statSync(f, { bigint: true });
  const times = [stat(path.join(dir, 'snapshots')), stat(path.join(dir, 'index.jsonl'))].flatMap((st) => [st.mtimeNs, st.ctimeNs]);
  const last = times.reduce((a, b) => (a > b ? a : b));
  const probe = path.join(dir, 'probe');
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    fs.writeFileSync(probe, '');
    if (stat(probe).mtimeNs > last) break;
    Atomics.wait(wait, 0, 0, 1);
  }
  fs.rmSync(probe);
}

/** Lists with racyMs 0 (stamping a tidy store), then waits out the tick (pastTick). */
function stampNow(dir: string): void {
  new SnapshotStore(dir, { racyMs: 0 }).list();
  pastTick(dir);
}

/** A store of `n` snapshots of targets a, b (interleaved), stamped by a list with racyMs 0. */
function stamped(n: number, targets = ['a', 'b']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-stamp-'));
  const s = new SnapshotStore(dir);
  for (let i = 0; i < n; i++) s.save(meta(targets[i % targets.length]!, at(i)), []);
  stampNow(dir);
  assert.ok(fs.existsSync(stampFile(dir)), 'a tidy store is stamped');
  return dir;
}

/** What `ref` resolves to with the stamp and without it (the full listing's answer, or its error). */
function both(dir: string, ref: string): [string, string] {
  const answer = (f: () => string) => { try { return f(); } catch (e) { return `error: ${(e as Error).message}`; } };
  const withStamp = answer(() => new SnapshotStore(dir, { racyMs: 0 }).resolve(ref));
  const full = answer(() => resolveQualified(ref, new SnapshotStore(dir, { racyMs: 1e12 }).listing()));
  return [withStamp, full];
}

/** Counts the directory reads `fn` makes. */
function readdirs(fn: () => void): number {
  const real = fs.readdirSync;
  let calls = 0;
  (fs as { readdirSync: unknown }).readdirSync = (...args: unknown[]) => { calls++; return (real as (...a: unknown[]) => unknown)(...args); };
  try { fn(); } finally { (fs as { readdirSync: unknown }).readdirSync = real; }
  return calls;
}

test('regression: latest in a stamped store of 2,000 snapshots is resolved from the index\'s last lines, without reading the directory', () => {
  const dir = stamped(2000);
  const s = new SnapshotStore(dir, { racyMs: 0 });
  let got = '';
  assert.equal(readdirs(() => { got = s.resolve('latest~1'); }), 0, 'no readdir');
  assert.equal(got, 't1998');
  assert.equal(s.load('latest').meta.name, 't1999');
  for (const ref of ['latest', 'latest~5', 'a:latest', 'b:latest~3', 't7', 'a:t8', 'b:t8', 'nope', 'latest~2000', 'latest~1999', 'c:latest', 'a:latest~1000']) {
    const [x, y] = both(dir, ref);
    assert.equal(x, y, ref);
  }
  fs.rmSync(dir, { recursive: true });
});

test('a stamp no longer holds once the directory or the index changes: a save, a file copied in or removed by hand, a line appended', () => {
  const dir = stamped(20);
  const snaps = path.join(dir, 'snapshots');
  const s = new SnapshotStore(dir, { racyMs: 0 });
  assert.equal(s.resolve('latest'), 't19');
  // a save
  s.save(meta('a', at(100)), []);
  assert.equal(new SnapshotStore(dir, { racyMs: 1e12 }).resolve('latest'), 't20', 'saved: seen');
  stampNow(dir); // stamped again
  // a file copied in by hand (not indexed), newest of all
  fs.copyFileSync(path.join(snaps, 't3.json'), path.join(snaps, 'hand.json'));
  const text = fs.readFileSync(path.join(snaps, 'hand.json'), 'utf8').replace(/"capturedAt":"[^"]*"/, `"capturedAt":"${at(200)}"`).replace('"name":"t3"', '"name":"hand"');
  fs.writeFileSync(path.join(snaps, 'hand.json'), text);
  assert.deepEqual(both(dir, 'latest'), ['hand', 'hand']);
  stampNow(dir);
  // removed by hand
  fs.unlinkSync(path.join(snaps, 'hand.json'));
  assert.deepEqual(both(dir, 'latest'), ['t20', 't20']);
  stampNow(dir);
  // an index line appended (another mapsdiff re-indexed t5 as target z)
  const t5 = JSON.parse(fs.readFileSync(path.join(snaps, 't5.json'), 'utf8').split('\n')[0]!).meta;
  fs.appendFileSync(path.join(dir, 'index.jsonl'), JSON.stringify({ f: 't5.json', meta: { ...t5, target: 'z' } }) + '\n');
  assert.deepEqual(both(dir, 'z:latest'), ['t5', 't5']);
  fs.rmSync(dir, { recursive: true });
});

test('a stamp that says what the index does not hold is not believed: the full listing answers, and the stamp is dropped', () => {
  const dir = stamped(30);
  const index = path.join(dir, 'index.jsonl');
  const snaps = path.join(dir, 'snapshots');
  const plant = (lines: number) => fs.writeFileSync(stampFile(dir), JSON.stringify({
    v: 1, dir: identityOf(fs.lstatSync(snaps, { bigint: true })), index: identityOf(fs.statSync(index, { bigint: true })), lines,
  }));
  // the last line made another file's: planted as the directory and index now are
  const lines = fs.readFileSync(index, 'utf8').split('\n');
  lines[29] = lines[29]!.replace('"f":"t29.json"', '"f":"t28.json"');
  fs.writeFileSync(index, lines.join('\n'));
  plant(30);
  const warned: string[] = [];
  assert.equal(new SnapshotStore(dir, { racyMs: 1e12, warn: (m) => warned.push(m) }).resolve('latest'), 't29', 'the full listing reads t29.json itself');
  assert.equal(fs.existsSync(stampFile(dir)), false, 'dropped');
  // a count of lines the index does not have
  plant(fs.readFileSync(index, 'utf8').split('\n').length); // one more than it has (its last line ends in a newline)
  assert.equal(new SnapshotStore(dir, { racyMs: 1e12 }).resolve('latest'), 't29');
  assert.equal(fs.existsSync(stampFile(dir)), false, 'dropped');
  // a count no index of this size can hold (a table that long would be gigabytes)
  plant(2 ** 40);
  assert.equal(new SnapshotStore(dir, { racyMs: 1e12 }).resolve('latest'), 't29');
  assert.equal(fs.existsSync(stampFile(dir)), false, 'dropped');
  // damaged stamps
  for (const bad of ['', '{', '{"v":2}', JSON.stringify({ v: 1, dir: {}, index: {}, lines: 3 }), 'x'.repeat(5000)]) {
    fs.writeFileSync(stampFile(dir), bad);
    assert.equal(new SnapshotStore(dir, { racyMs: 1e12 }).resolve('latest'), 't29', JSON.stringify(bad.slice(0, 20)));
  }
  fs.rmSync(dir, { recursive: true });
});

test('regression: stamp-racy: a store whose times are younger than the racy margin is not stamped (a change in the same clock tick would leave them as they were)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-stamp-'));
  const s = new SnapshotStore(dir);
  s.save(meta('a', at(0)), []);
  s.save(meta('a', at(1)), []);
  s.list();
  assert.equal(fs.existsSync(stampFile(dir)), false, 'written just now: no stamp');
  const st = fs.statSync(path.join(dir, 'index.jsonl'), { bigint: true });
  const ms = Number(st.mtimeNs / 1_000_000n);
  assert.equal(settled(st, ms + RACY_MS - 1), false);
  assert.equal(settled(st, Math.max(ms, Number(st.ctimeNs / 1_000_000n)) + RACY_MS), true);
  fs.rmSync(dir, { recursive: true });
});

test('an untidy store is not stamped: a file not indexed, a renamed file, lines out of time order, a gone record, a name mapsdiff cannot use', () => {
  const cases: [string, (dir: string) => void][] = [
    ['out of time order', (dir) => { const s = new SnapshotStore(dir); s.save(meta('a', at(5)), []); s.save(meta('a', at(1)), []); }],
    ['a gone record', (dir) => { const s = new SnapshotStore(dir); s.save(meta('a', at(0)), []); s.save(meta('a', at(1)), []); s.remove('t0'); }],
    ['a renamed file', (dir) => { const s = new SnapshotStore(dir); s.save(meta('a', at(0)), []); s.list(); fs.renameSync(path.join(s.snapDir, 't0.json'), path.join(s.snapDir, 'x.json')); s.list(); }],
    ['a name mapsdiff cannot use', (dir) => { const s = new SnapshotStore(dir); s.save(meta('a', at(0)), []); fs.writeFileSync(path.join(s.snapDir, 'latest-x.json'), '{}'); }],
  ];
  for (const [what, make] of cases) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-stamp-'));
    make(dir);
    new SnapshotStore(dir, { racyMs: 0 }).list(); // appends what was not indexed, if anything
    new SnapshotStore(dir, { racyMs: 0 }).list();
    assert.equal(fs.existsSync(stampFile(dir)), false, what);
    fs.rmSync(dir, { recursive: true });
  }
});

test('a snapshot changed in place under a stamp is read as it is and re-indexed, as without one', () => {
  const dir = stamped(4);
  const t3 = path.join(dir, 'snapshots', 't3.json');
  fs.writeFileSync(t3, headerEdited(t3, (head) => { head.meta.target = 'edited'; }));
  const warned: string[] = [];
  const s = new SnapshotStore(dir, { racyMs: 0, warn: (m) => warned.push(m) });
  assert.equal(s.load('latest').meta.target, 'edited');
  assert.match(warned.join('\n'), /t3\.json changed since the store's index recorded it/);
  assert.equal(new SnapshotStore(dir).list()[3]!.target, 'edited');
  fs.rmSync(dir, { recursive: true });
});

test('regression: a stamp\'s temp file left in the store\'s directory by a writer that died before its rename is removed by the next stamp\'s writer; a live writer\'s is kept, and no other file of the directory is touched', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-stamp-'));
  const s = new SnapshotStore(dir);
  for (let i = 0; i < 3; i++) s.save(meta('a', at(i)), []);
  // named as tempName names them: boot and pid namespace, pid, start time; a pid whose start
  // time is not its own (a writer gone since) and this process's own (a writer still at work)
  const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').replace(/-/g, '').slice(0, 8);
  const ns = /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))![1];
  const stat = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const dead = path.join(dir, `.tmp-${boot}.${ns}-${process.pid}-${Number(start) + 1}-abcdef012345`);
  const live = path.join(dir, `.tmp-${boot}.${ns}-${process.pid}-${start}-abcdef012345`);
  // the user's own files in the store's directory (`--store .`), however old, are not the store's
  const mine = [path.join(dir, '.tmp-notes'), path.join(dir, `.tmp-${boot}.${ns}-${process.pid}-${Number(start) + 1}-mine`)];
  fs.writeFileSync(dead, '{"v":1}');
  fs.writeFileSync(live, '{"v":1}');
  const old = new Date(Date.now() - 3 * 24 * 3600 * 1000);
  for (const f of mine) { fs.writeFileSync(f, 'mine'); fs.utimesSync(f, old, old); }
  stampNow(dir);
  for (const f of mine) assert.equal(fs.readFileSync(f, 'utf8'), 'mine', `${path.basename(f)}: not a name mapsdiff gives, left as it is`);
  assert.ok(fs.existsSync(stampFile(dir)), 'stamped');
  assert.equal(fs.existsSync(dead), false, "the dead writer's temp file is removed");
  assert.equal(fs.existsSync(live), true, "a live writer's temp file is kept");
  fs.rmSync(dir, { recursive: true });
});

test('regression: a listing that ran longer than the racy margin does not stamp times of the tick of its own stats (the margin counts from before them)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-stamp-'));
  const s = new SnapshotStore(dir);
  for (let i = 0; i < 3; i++) s.save(meta('a', at(i)), []);
  // the store's times are now's; the listing's clock moves on 10 s while it reads the directory
  // (a slow card, a process stopped and resumed), past RACY_MS
  const realNow = Date.now;
  const realReaddir = fs.readdirSync;
  let skew = 0;
  Date.now = () => realNow() + skew;
  (fs as { readdirSync: unknown }).readdirSync = (...args: unknown[]) => { skew = 10_000; return (realReaddir as (...a: unknown[]) => unknown)(...args); };
  try {
    new SnapshotStore(dir).list();
  } finally {
    Date.now = realNow;
    (fs as { readdirSync: unknown }).readdirSync = realReaddir;
  }
  assert.ok(skew > 0, 'the listing read the directory');
  assert.equal(fs.existsSync(stampFile(dir)), false, 'times as young as the listing\'s start are not settled');
  fs.rmSync(dir, { recursive: true });
});

/** A stamp as mapsdiff writes one, planted to hold for the store as it is now (any edit made before it). */
function plant(dir: string): void {
  const lines = fs.readFileSync(path.join(dir, 'index.jsonl'), 'utf8').split('\n').length - 1;
  const stamp = { v: 1, dir: identityOf(fs.lstatSync(path.join(dir, 'snapshots'), { bigint: true })), index: identityOf(fs.statSync(path.join(dir, 'index.jsonl'), { bigint: true })), lines };
  fs.writeFileSync(stampFile(dir), JSON.stringify(stamp) + '\n');
}

test('regression: a stamp planted over an edited index (lines swapped, a line repeated, a gone record, a file removed) resolves no ref otherwise than the full listing, and rm removes what the full listing names', () => {
  const indexFile = (dir: string) => path.join(dir, 'index.jsonl');
  const edits: Record<string, (dir: string) => void> = {
    'the last two lines swapped': (dir) => {
      const l = fs.readFileSync(indexFile(dir), 'utf8').split('\n');
      [l[2], l[3]] = [l[3]!, l[2]!];
      fs.writeFileSync(indexFile(dir), l.join('\n'));
    },
    'the last line repeated': (dir) => {
      const l = fs.readFileSync(indexFile(dir), 'utf8').split('\n');
      fs.appendFileSync(indexFile(dir), l[3] + '\n');
    },
    'a gone record appended': (dir) => {
      const last = JSON.parse(fs.readFileSync(indexFile(dir), 'utf8').split('\n')[3]!) as { f: string; meta: unknown };
      fs.appendFileSync(indexFile(dir), JSON.stringify({ f: last.f, gone: true, meta: last.meta }) + '\n');
    },
    'the newest file removed by hand': (dir) => fs.rmSync(path.join(dir, 'snapshots', 't3.json')),
  };
  for (const [what, edit] of Object.entries(edits)) {
    const dir = stamped(4);
    edit(dir);
    for (const ref of ['latest', 'latest~1', 'a:latest', 'b:latest', 'b:latest~1', 't3', 't2']) {
      plant(dir);
      const [x, y] = both(dir, ref);
      assert.equal(x, y, `${what}: ${ref}`);
    }
    plant(dir);
    const full = resolveQualified('latest', new SnapshotStore(dir, { racyMs: 1e12 }).listing());
    plant(dir);
    assert.equal(new SnapshotStore(dir, { racyMs: 0 }).remove('latest'), full, `${what}: rm latest removes the full listing's latest`);
    fs.rmSync(dir, { recursive: true });
  }
});

test('regression: a full listing that finds the store untidy drops a stamp that still holds (one planted over a removed file answered wrongly until the next save)', () => {
  const dir = stamped(4);
  fs.rmSync(path.join(dir, 'snapshots', 't1.json'));
  plant(dir);
  new SnapshotStore(dir, { racyMs: 1e12 }).list(); // the index still names t1: not tidy
  assert.equal(fs.existsSync(stampFile(dir)), false, 'the stamp is dropped');
  fs.rmSync(dir, { recursive: true });
});
