import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { SnapshotStore } from '../../src/store/store.js';
import { locateStore } from '../../src/store/locate.js';
import { nextAutoName, resolveRef, checkName } from '../../src/store/names.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers.js';

const run = promisify(execFile);
const tmp = () => tempDir('mapsdiff-store-');
const meta = (target = 'b1') => ({ target, capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff' as const, version: 't' }, via: 'import' as const, lenient: false });
const maps = '00008000-00009000 r-xp 00000000 b3:01 12 /bin/x\n';

test('names: next tN continues after the highest, refs resolve, bad names refused', () => {
  assert.equal(nextAutoName([]), 't0');
  assert.equal(nextAutoName(['t0', 't1', 'before', 't7']), 't8');
  assert.equal(resolveRef('latest', ['t0', 't1', 'x']), 'x');
  assert.equal(resolveRef('latest~2', ['t0', 't1', 'x']), 't0');
  assert.throws(() => resolveRef('latest~3', ['t0', 't1', 'x']), /goes back 3 but the store holds only 3/);
  assert.throws(() => resolveRef('nope', ['t0']), /no snapshot named "nope"; the store holds: t0/);
  for (const bad of ['a b', '../x', 'a/b', '', 'latest', 'ü']) assert.throws(() => checkName(bad), UsageError, bad);
  assert.equal(checkName('soak-1.before_x'), 'soak-1.before_x');
});

test('store: raw text is kept verbatim, names are t0, t1, --name refuses to overwrite', () => {
  const store = new SnapshotStore(tmp());
  const odd = 'line with \u0000 nul and \r\n crlf and no trailing newline';
  assert.equal(store.save(meta(), [{ name: 'maps', pid: 1, status: 'ok', text: odd }]), 't0');
  assert.equal(store.save(meta(), [{ name: 'maps', pid: 1, status: 'ok', text: maps }]), 't1');
  assert.equal(store.save(meta(), [], 'before'), 'before');
  assert.throws(() => store.save(meta('other'), [], 'before'), /already exists/);
  assert.equal(store.load('before').meta.target, 'b1', 'the first writer\'s snapshot is intact');
  assert.equal(store.load('t0').sections[0]!.text, odd);
  assert.deepEqual(store.list().map((m) => m.name), ['t0', 't1', 'before']);
  assert.equal(store.resolve('latest~1'), 't1');
  assert.equal(store.remove('t0'), 't0');
  assert.deepEqual(store.list().map((m) => m.name), ['t1', 'before']);
  assert.deepEqual(fs.readdirSync(store.snapDir).filter((f) => f.startsWith('.')), [], 'no temp files left');
});

test('store: two concurrent writers never share a name nor overwrite each other', async () => {
  const dir = tmp();
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'writer-child.js');
  await Promise.all([run(process.execPath, [child, dir, '25', 'A']), run(process.execPath, [child, dir, '25', 'B'])]);
  const store = new SnapshotStore(dir);
  const metas = store.list();
  assert.equal(metas.length, 50);
  assert.equal(new Set(metas.map((m) => m.name)).size, 50);
  const byWriter = { A: 0, B: 0 } as Record<string, number>;
  for (const m of metas) {
    const s = store.load(m.name);
    assert.equal(s.meta.name, m.name, 'the name inside the file is the file\'s name');
    assert.match(s.sections[0]!.text, new RegExp(`/bin/${m.target}\\n$`));
    byWriter[m.target]!++;
  }
  assert.deepEqual(byWriter, { A: 25, B: 25 });
  assert.deepEqual(fs.readdirSync(store.snapDir).filter((f) => f.startsWith('.')), []);
});

test('locate: --store, then $MAPSDIFF_STORE, then the nearest .mapsdiff above, else a new one here', () => {
  const root = tmp();
  const deep = path.join(root, 'a', 'b');
  fs.mkdirSync(deep, { recursive: true });
  assert.deepEqual(locateStore(undefined, {}, deep), { dir: path.join(deep, '.mapsdiff'), how: 'new' });
  fs.mkdirSync(path.join(root, '.mapsdiff'));
  assert.deepEqual(locateStore(undefined, {}, deep), { dir: path.join(root, '.mapsdiff'), how: 'found' });
  assert.deepEqual(locateStore(undefined, { MAPSDIFF_STORE: '/s' }, deep), { dir: '/s', how: 'MAPSDIFF_STORE' });
  assert.deepEqual(locateStore('rel', { MAPSDIFF_STORE: '/s' }, deep), { dir: path.join(deep, 'rel'), how: '--store' });
});

test('store: a damaged file is reported by name once, not as a crash, and the rest is listed', () => {
  const warned: string[] = [];
  const store = new SnapshotStore(tmp(), { warn: (m) => warned.push(m) });
  store.save(meta(), [], 'good');
  fs.writeFileSync(path.join(store.snapDir, 'junk.json'), 'not json\n');
  assert.deepEqual(store.list().map((m) => m.name), ['good']);
  assert.deepEqual(store.list().map((m) => m.name), ['good']);
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /junk\.json is not a mapsdiff snapshot/);
  assert.throws(() => store.load('junk'), (e: Error) => e instanceof UsageError && /junk\.json is not a mapsdiff snapshot/.test(e.message));
});
