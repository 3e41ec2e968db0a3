/*! Regression (issue 9): a full disk stored a truncated snapshot and reported success, and
 * left `.tmp-*` files behind. On a real 200 KiB tmpfs: every import or capture either stores
 * a whole snapshot or nothing, says the disk is full, and leaves no temporary file. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fixturePath, namedSleeper } from '../helpers.js';
import { mapsdiff } from '../cli/run.js';

const BIG = fixturePath('maps/armv7-glibc-remarkable2-xochitl-qt.maps');
let mnt = '';

before(() => {
  mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', mnt]);
});
after(() => {
  execFileSync('umount', [mnt]);
  fs.rmdirSync(mnt);
});

/** Empties the tmpfs, then fills it with a file until `free` bytes are left. */
function fillLeaving(free: number): void {
  for (const e of fs.readdirSync(mnt)) fs.rmSync(path.join(mnt, e), { recursive: true, force: true });
  fs.mkdirSync(path.join(mnt, 'snapshots'));
  const fd = fs.openSync(path.join(mnt, 'fill'), 'w');
  const page = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) size += fs.writeSync(fd, page);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  fs.ftruncateSync(fd, Math.max(0, size - free));
  fs.closeSync(fd);
}

const temps = () => fs.readdirSync(path.join(mnt, 'snapshots')).filter((f) => f.startsWith('.'));
const listed = async () => JSON.parse((await mapsdiff(['list', '--json'], { store: mnt })).stdout).snapshots.map((m: { name: string }) => m.name);

test('imports until the disk is full: each one is whole or not stored at all, never a truncated snapshot', async () => {
  fillLeaving(190 * 1024);
  fs.rmSync(path.join(mnt, 'fill'));
  const stored: string[] = [];
  let full = null;
  for (let i = 0; i < 20 && !full; i++) {
    const r = await mapsdiff(['import', BIG], { store: mnt });
    if (r.code === 0) stored.push(r.stdout.trim());
    else full = r;
  }
  assert.ok(full, 'the disk filled up');
  assert.equal(full.code, 2, full.stderr);
  assert.match(full.stderr, /disk .*is full/);
  assert.match(full.stderr, /nothing was stored/);
  assert.doesNotMatch(full.stderr, /internal error/);
  assert.deepEqual(await listed(), stored, 'only the imports that said so were stored');
  for (const name of stored) {
    const show = await mapsdiff(['show', name, '--json'], { store: mnt });
    assert.equal(show.code, 0, `${name} reads back whole: ${show.stderr}`);
  }
  assert.deepEqual(temps(), [], 'no temporary file left behind');
});

test('an import onto a full disk exits 2, says the disk is full, stores nothing and leaves no temp file', async () => {
  fillLeaving(8192); // the 60 KB maps file does not fit
  const r = await mapsdiff(['import', BIG, '--name', 'x'], { store: mnt });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^mapsdiff: the disk holding .* is full .*nothing was stored/m);
  assert.deepEqual(await listed(), []);
  assert.deepEqual(temps(), []);
  fs.rmSync(path.join(mnt, 'fill'));
  assert.equal((await mapsdiff(['import', BIG, '--name', 'x'], { store: mnt })).code, 0, 'with space again the same import is stored');
});

test('a capture onto a full disk exits 3, says the disk is full, stores nothing and leaves no temp file', async () => {
  const child = spawn(namedSleeper('md-fullsleep'), ['60'], { stdio: 'ignore' });
  try {
    fillLeaving(0);
    const r = await mapsdiff(['capture', 'local', '--pid', String(child.pid)], { store: mnt });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /the disk holding .* is full .*nothing was stored/);
    assert.deepEqual(await listed(), []);
    assert.deepEqual(temps(), []);
  } finally {
    child.kill();
  }
});
