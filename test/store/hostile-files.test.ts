/*! Regressions (issue 9): files in the store that are not what they claim. A snapshot's
 * identity is its file name; no path is built from what a file says; one bad file is
 * reported by name and the rest of the store still works; nothing but regular files is read. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fixturePath, headerEdited } from '../helpers.js';
import { mapsdiff } from '../cli/run.js';
import { SnapshotStore } from '../../src/store/store.js';
import { checkName } from '../../src/store/names.js';
import { loadSnapshot, reportFor } from '../../src/cli/context.js';
import { UsageError } from '../../src/errors.js';

const SMALL = fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
const T = 20_000; // a hang fails the test instead of the suite
const made: string[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

/** A store with t0 and t1 of target ac15 under ROOT/s; returns [root, store, snapshots dir]. */
async function twoSnapshots(): Promise<[string, string, string]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-hostile-'));
  made.push(root);
  const store = path.join(root, 's');
  for (let i = 0; i < 2; i++) assert.equal((await mapsdiff(['import', SMALL, '--target', 'ac15', '--pid', '4388'], { store })).code, 0);
  return [root, store, path.join(store, 'snapshots')];
}


test('a planted snapshot whose meta names ../../victim: rm latest and show latest touch only that file, inside the store', async () => {
  const [root, store, snaps] = await twoSnapshots();
  const victim = path.join(root, 'victim.json'); // = snapshots/../../victim.json
  fs.writeFileSync(victim, headerEdited(path.join(snaps, 't0.json'), (h) => { h.meta.target = 'victim-target'; }));
  fs.writeFileSync(path.join(snaps, 'evil.json'), headerEdited(path.join(snaps, 't1.json'), (h) => {
    h.meta.name = '../../victim';
    h.meta.capturedAt = new Date(Date.now() + 60_000).toISOString();
  }));
  const show = await mapsdiff(['show', 'latest', '--json'], { store, timeout: T });
  assert.equal(show.code, 0, show.stderr);
  assert.equal(JSON.parse(show.stdout).snapshot, 'evil', 'the file is known by its own name');
  assert.equal(JSON.parse(show.stdout).target, 'ac15', 'the victim was not read');
  assert.match(show.stderr, /evil\.json says its name is "\.\.\/\.\.\/victim"/);
  const rm = await mapsdiff(['rm', 'latest'], { store, timeout: T });
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout, 'removed evil\n');
  assert.ok(fs.existsSync(victim), 'the file outside the store is still there');
  assert.deepEqual(fs.readdirSync(snaps).sort(), ['t0.json', 't1.json']);
});

test('one bad file of each kind (damaged, empty, dangling symlink, symlink to /dev/zero, FIFO, directory) does not take the store down', async () => {
  const [, store, snaps] = await twoSnapshots();
  fs.writeFileSync(path.join(snaps, 'junk.json'), 'not json\n');
  fs.writeFileSync(path.join(snaps, 'empty.json'), '');
  fs.symlinkSync(path.join(snaps, 'nowhere.json'), path.join(snaps, 'dangling.json'));
  fs.symlinkSync('/dev/zero', path.join(snaps, 'zero.json'));
  execFileSync('mkfifo', [path.join(snaps, 'fifo.json')]);
  fs.mkdirSync(path.join(snaps, 'dir.json'));
  fs.writeFileSync(path.join(snaps, 'types.json'), headerEdited(path.join(snaps, 't0.json'), (h) => { h.meta.target = 5; }));
  const bad = ['junk', 'empty', 'dangling', 'zero', 'fifo', 'dir', 'types'];
  const once = (stderr: string) => {
    for (const b of bad) assert.equal(stderr.split('\n').filter((l) => l.includes(`${b}.json`)).length, 1, `${b}.json reported once in:\n${stderr}`);
  };

  const list = await mapsdiff(['list', '--json'], { store, timeout: T });
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout).snapshots.map((m: { name: string }) => m.name), ['t0', 't1']);
  once(list.stderr);
  assert.match(list.stderr, /zero\.json is a symbolic link/);
  assert.match(list.stderr, /fifo\.json is a FIFO/);
  assert.match(list.stderr, /types\.json is a damaged snapshot: meta\.target is a number, not a string/);
  for (const args of [['compare', 't0', 't1'], ['compare'], ['trend', 'ac15'], ['show', 'latest']]) {
    const r = await mapsdiff(args, { store, timeout: T });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    once(r.stderr);
  }
  const show = await mapsdiff(['show', 'junk'], { store, timeout: T });
  assert.equal(show.code, 2);
  assert.match(show.stderr, /junk\.json is not a mapsdiff snapshot/);
  const rm = await mapsdiff(['rm', ...bad.filter((b) => b !== 'dir')], { store, timeout: T });
  assert.equal(rm.code, 0, rm.stderr);
  assert.ok(fs.existsSync('/dev/zero'), 'rm of a symlink removes the link');
  const rmDir = await mapsdiff(['rm', 'dir'], { store, timeout: T });
  assert.equal(rmDir.code, 2);
  assert.match(rmDir.stderr, /dir\.json is a directory/);
  fs.rmdirSync(path.join(snaps, 'dir.json'));
  const clean = await mapsdiff(['list'], { store, timeout: T });
  assert.equal(clean.stderr, '');
  assert.deepEqual(fs.readdirSync(snaps).sort(), ['t0.json', 't1.json']);
});

test('a snapshot renamed by hand is known by its file name: it lists, shows and is removed as that name', async () => {
  const [, store, snaps] = await twoSnapshots();
  fs.renameSync(path.join(snaps, 't0.json'), path.join(snaps, 'before.json'));
  const list = await mapsdiff(['list', '--json'], { store, timeout: T });
  assert.deepEqual(JSON.parse(list.stdout).snapshots.map((m: { name: string }) => m.name), ['before', 't1']);
  assert.match(list.stderr, /before\.json says its name is "t0"/);
  const show = await mapsdiff(['show', 'before', '--json'], { store, timeout: T });
  assert.equal(show.code, 0, show.stderr);
  assert.equal(JSON.parse(show.stdout).snapshot, 'before');
  assert.equal((await mapsdiff(['compare', 'before', 't1'], { store, timeout: T })).code, 0);
  const old = await mapsdiff(['show', 't0'], { store, timeout: T });
  assert.equal(old.code, 2);
  assert.match(old.stderr, /no snapshot named "t0"/);
  assert.equal((await mapsdiff(['rm', 'before'], { store, timeout: T })).stdout, 'removed before\n');
});

test('fields of the wrong JSON type are reported as a damaged snapshot saying which field, never an internal error', async () => {
  const [, storeDir, snaps] = await twoSnapshots();
  const good = fs.readFileSync(path.join(snaps, 't0.json'), 'utf8').split('\n');
  const head = JSON.parse(good[0]!);
  const sections = JSON.parse(good[1]!);
  const cases: Array<[string, unknown, unknown, RegExp]> = [
    ['meta-array', { ...head, meta: [] }, sections, /meta is a list, not an object/],
    ['target', { ...head, meta: { ...head.meta, target: 5 } }, sections, /meta\.target is a number, not a string/],
    ['captured', { ...head, meta: { ...head.meta, capturedAt: {} } }, sections, /meta\.capturedAt is an object/],
    ['captured-text', { ...head, meta: { ...head.meta, capturedAt: 'yesterday' } }, sections, /meta\.capturedAt .*not a date/],
    ['lenient', { ...head, meta: { ...head.meta, lenient: 'yes' } }, sections, /meta\.lenient is a string, not true or false/],
    ['ceiling', { ...head, meta: { ...head.meta, ceiling: 'zz' } }, sections, /meta\.ceiling .*hex/],
    ['via', { ...head, meta: { ...head.meta, via: 'carrier-pigeon' } }, sections, /meta\.via/],
    ['sections-object', head, {}, /sections .*not a list/],
    ['section-number', head, [5], /section 1 is a number, not an object/],
    ['section-text', head, [{ ...sections[0], text: 7 }], /section 1 text is a number, not a string/],
    ['section-pid', head, [{ ...sections[0], pid: '4388' }], /section 1 pid is a string/],
    ['section-pid-huge', head, [{ ...sections[0], pid: 1e300 }], /section 1 pid .*whole number/],
    ['section-status', head, [{ ...sections[0], status: 'weird' }], /section 1 status/],
    ['section-name', head, [{ ...sections[0], name: null }], /section 1 name is null, not a string/],
    ['section-bytes', head, [{ ...sections[0], bytes: 1 }], /section 1 bytes is a number/],
  ];
  const store = new SnapshotStore(storeDir);
  for (const [name, h, s, why] of cases) {
    fs.writeFileSync(path.join(snaps, `${name}.json`), JSON.stringify(h) + '\n' + JSON.stringify(s) + '\n');
    assert.throws(() => reportFor(loadSnapshot(store, name)), (e: Error) => {
      assert.ok(e instanceof UsageError, `${name}: ${e.stack}`);
      assert.match(e.message, new RegExp(`${name}\\.json`));
      assert.match(e.message, why, name);
      return true;
    });
  }
  const r = await mapsdiff(['show', 'section-text'], { store: storeDir, timeout: T });
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('--name .hidden (stored but invisible) is refused like other bad names', async () => {
  assert.throws(() => checkName('.hidden'), UsageError);
  assert.throws(() => checkName('.'), UsageError);
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-hidden-'));
  made.push(store);
  const r = await mapsdiff(['import', SMALL, '--name', '.hidden'], { store });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid snapshot name "\.hidden"/);
  assert.ok(!fs.existsSync(path.join(store, 'snapshots', '.hidden.json')));
});

test('regression: a store whose snapshots/ is a symbolic link to another directory: list, import and rm refuse it (exit 2) and touch nothing where it points', async () => {
  const [root, , snaps] = await twoSnapshots();
  const store = path.join(root, 'copied');
  fs.mkdirSync(store);
  fs.symlinkSync(snaps, path.join(store, 'snapshots')); // a store copied from elsewhere, its snapshots/ pointing anywhere
  const before = fs.readdirSync(snaps).sort();
  const bytes = fs.readFileSync(path.join(snaps, 't0.json'));
  for (const args of [['list'], ['import', SMALL, '--target', 'ac15', '--pid', '4388'], ['rm', 't0'], ['show', 't0']]) {
    const r = await mapsdiff(args, { store, timeout: T });
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /copied\/snapshots is a symbolic link \(to ".*\/s\/snapshots"\), not a directory: .*point --store at/, args[0]);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(fs.readdirSync(snaps).sort(), before, 'nothing written or removed where the link points');
  assert.ok(fs.readFileSync(path.join(snaps, 't0.json')).equals(bytes));
  assert.ok(!fs.existsSync(path.join(store, 'index.jsonl')), 'no index made beside the link');
});
