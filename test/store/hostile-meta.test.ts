/*! Regressions: the meta fields added with the SSH origin and the smaps modes (targetOrigin,
 * smaps, and the older selection, unmatched, startedAt, remoteExit) are checked on load like
 * name and target: a store file with a wrong type there is a damaged snapshot, named once,
 * never a stack trace in show, compare or trend. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath, headerEdited } from '../helpers.js';
import { mapsdiff } from '../cli/run.js';
import { metaProblem } from '../../src/store/snapshot-shape.js';

const SMALL = fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
const T = 20_000;
const made: string[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

const GOOD = { name: 't0', target: 'b', capturedAt: '2026-01-01T00:00:00.000Z', via: 'ssh', lenient: false, tool: { name: 'mapsdiff', version: '1' } };

const HOSTILE: [string, Record<string, unknown>, RegExp][] = [
  ['targetOrigin a string', { targetOrigin: 'x' }, /meta\.targetOrigin is a string, not an object/],
  ['targetOrigin.kind unknown', { targetOrigin: { kind: 'evil' } }, /meta\.targetOrigin\.kind is "evil", not one of file, ssh-config, address/],
  ['targetOrigin.shadowed a string', { targetOrigin: { kind: 'file', file: '/t.json', shadowed: 'x' } }, /meta\.targetOrigin\.shadowed is a string, not a list of strings/],
  ['targetOrigin.shadowed holding a number', { targetOrigin: { kind: 'file', shadowed: [1] } }, /meta\.targetOrigin\.shadowed is a list holding 1, not a list of strings/],
  ['targetOrigin.file a number', { targetOrigin: { kind: 'file', file: 5 } }, /meta\.targetOrigin\.file is a number, not a string/],
  ['targetOrigin.line text', { targetOrigin: { kind: 'ssh-config', file: '/c', line: '3' } }, /meta\.targetOrigin\.line is a string, not a whole number/],
  ['smaps.mode unknown', { smaps: { mode: 'all', read: [] } }, /meta\.smaps\.mode is "all", not one of rollup, full, auto/],
  ['smaps.read a string', { smaps: { mode: 'auto', read: '1 2' } }, /meta\.smaps\.read is a string, not a list of pids/],
  ['smaps.read holding -1', { smaps: { mode: 'auto', read: [-1] } }, /meta\.smaps\.read is a list holding -1, not a list of pids/],
  ['selection.pids a string', { selection: { pids: '1', names: [], all: false } }, /meta\.selection\.pids is a string, not a list of pids/],
  ['selection.names holding null', { selection: { pids: [], names: [null], all: false } }, /meta\.selection\.names is a list holding null, not a list of strings/],
  ['selection.all a number', { selection: { pids: [], names: [], all: 1 } }, /meta\.selection\.all is a number, not true or false/],
  ['unmatched an object', { unmatched: {} }, /meta\.unmatched is an object, not a list of strings/],
  ['startedAt not a date', { startedAt: 'soon' }, /meta\.startedAt "soon" is not a date/],
  ['remoteExit.signal a number', { remoteExit: { code: 0, signal: 9 } }, /meta\.remoteExit\.signal is a number, not a string/],
];

for (const [name, extra, why] of HOSTILE) {
  test(`metaProblem: ${name} is named`, () => {
    assert.match(metaProblem({ ...GOOD, ...extra }) ?? 'accepted', why);
  });
}

test('metaProblem: a well-formed targetOrigin, smaps, selection and remoteExit pass', () => {
  assert.equal(metaProblem({
    ...GOOD, targetOrigin: { kind: 'ssh-config', file: '/home/u/.ssh/config', line: 3, defaults: '/c.json', shadowed: ['/t/b.json'] },
    smaps: { mode: 'auto', read: [1, 42] }, selection: { pids: [1], names: ['x'], all: false }, unmatched: ['y'],
    startedAt: '2026-01-01T00:00:00.000Z', remoteExit: { code: 0, signal: null },
  }), null);
});

test('a stored snapshot whose targetOrigin.shadowed is a string: show, compare and trend report it as damaged (exit 2), no stack trace', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-hostile-meta-'));
  made.push(root);
  const store = path.join(root, 's');
  for (let i = 0; i < 2; i++) assert.equal((await mapsdiff(['import', SMALL, '--target', 'ac15', '--pid', '4388'], { store })).code, 0);
  const file = path.join(store, 'snapshots', 't1.json');
  fs.writeFileSync(file, headerEdited(file, (head) => {
    head.meta.targetOrigin = { kind: 'file', file: '/t.json', shadowed: 'x' };
    head.meta.smaps = { mode: 'auto', read: 'x' };
  }));
  for (const args of [['show', 't1'], ['compare', 't0', 't1'], ['trend', 'ac15']]) {
    const r = await mapsdiff(args, { store, timeout: T });
    assert.doesNotMatch(r.stderr, /TypeError|\n\s+at /, `${args.join(' ')}:\n${r.stderr}`);
    if (args[0] !== 'trend') assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /t1\.json.*meta\.targetOrigin\.shadowed is a string/, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('regression: a stored ceiling 0xffffffffffffffff (taken by --ceiling before addresses were numbers) is no damage: show reads the snapshot, its gaps up to 2^64', async () => {
  assert.equal(metaProblem({ ...GOOD, ceiling: '0xffffffffffffffff' }), null);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-old-ceiling-'));
  made.push(root);
  const store = path.join(root, 's');
  assert.equal((await mapsdiff(['import', SMALL, '--target', 'ac15', '--pid', '4388'], { store })).code, 0);
  const file = path.join(store, 'snapshots', 't0.json');
  fs.writeFileSync(file, headerEdited(file, (head) => { head.meta.ceiling = '0xffffffffffffffff'; }));
  const r = await mapsdiff(['show', 't0', '--json'], { store, timeout: T });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"ceiling": ?"0x10000000000000000"/);
});

test('regression: a snapshot an older mapsdiff stored from a hand-edited file with an address above 2^53 and not page-aligned is read without that line, said on stderr, listed by show; its other lines still count', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-old-inexact-'));
  made.push(root);
  const store = path.join(root, 's');
  const x86 = fixturePath('maps/x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps');
  for (const name of ['t0', 't1']) assert.equal((await mapsdiff(['import', x86, '--target', 'pc', '--pid', '9', '--name', name], { store })).code, 0);
  // what the older mapsdiff (bigint addresses) took and stored: [vsyscall] one byte off its page
  const file = path.join(store, 'snapshots', 't1.json');
  const text = fs.readFileSync(file, 'utf8');
  const edited = text.replace('ffffffffff600000-ffffffffff601000', 'ffffffffff600001-ffffffffff601000');
  assert.notEqual(edited, text);
  fs.writeFileSync(file, edited);
  const show = await mapsdiff(['show', 't1'], { store, timeout: T });
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /skipped 1 line\(s\) that an older mapsdiff stored with a value above 2\^53/);
  assert.match(show.stdout, /snapshot t1, pid 9 maps:\d+: ffffffffff600001-ffffffffff601000/);
  assert.match(show.stderr, /snapshot t1 is read without 1 line\(s\) .*mapsdiff show t1 lists them/);
  assert.match(show.stdout, /\/usr\/bin\/fish/, 'the other lines are read');
  const cmp = await mapsdiff(['compare', 't0', 't1', '--json'], { store, timeout: T });
  assert.equal(cmp.code, 0, cmp.stderr);
  assert.match(cmp.stderr, /snapshot t1 is read without 1 line/);
  const trend = await mapsdiff(['trend', '--target', 'pc'], { store, timeout: T });
  assert.equal(trend.code, 0, trend.stderr);
  assert.equal(trend.stderr.match(/is read without/g)?.length, 1, 'said once');
  // a line wrong in another way is still damage: only what bigint once held is forgiven
  fs.writeFileSync(file, text.replace('ffffffffff600000-ffffffffff601000', 'ffffffffff601000-ffffffffff600000'));
  const bad = await mapsdiff(['show', 't1'], { store, timeout: T });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /the end address is not above the start address/);
});

test('regression: a stored smaps block header above 2^53 and not page-aligned leaves its whole smaps section out, and stderr and show say a section, not only a line', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-old-inexact-smaps-'));
  made.push(root);
  const store = path.join(root, 's');
  const capture = fixturePath('captures/qemu-armhf-rsspool-smaps-0.capture');
  assert.equal((await mapsdiff(['import', capture, '--name', 't1'], { store })).code, 0);
  const file = path.join(store, 'snapshots', 't1.json');
  const text = fs.readFileSync(file, 'utf8');
  // pid 105's last smaps block, the first [vectors] one (its maps line is followed by the section's end, not by Size:)
  const edited = text.replace('ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]\\nSize:', 'ffffffffffff0001-ffffffffffff1000 r-xp 00000000 00:00 0          [vectors]\\nSize:');
  assert.notEqual(edited, text);
  fs.writeFileSync(file, edited);
  const show = await mapsdiff(['show', 't1', '--pid', '105'], { store, timeout: T });
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /snapshot t1, pid 105 smaps:\d+: ffffffffffff0001-ffffffffffff1000 .*\(its whole section is left out\)/);
  assert.match(show.stderr, /snapshot t1 is read without 1 line\(s\) \(1 of them smaps block headers, each with its whole smaps section\)/);
  assert.match(show.stdout, /pid 105 {2}steady[\s\S]*\/usr\/local\/bin\/steady/, 'the process is still shown, from its maps');
});
