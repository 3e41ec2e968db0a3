/*! The board section of `show` (issue 12) on real meminfo dumps (fixtures/meminfo): every key
 * in bytes, MemAvailable as printed or estimated on a kernel without it (a real dump with the
 * key removed), the accounting of MemTotal and when it cannot be trusted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseCapture } from '../../src/parse/index.js';
import { buildBoard } from '../../src/analyze/board.js';
import { renderBoardText, boardJson } from '../../src/render/board-text.js';
import type { RawSection } from '../../src/model/capture.js';

const FIX = new URL('../../../fixtures/meminfo/', import.meta.url);
const CAMERA = fs.readFileSync(new URL('armv7-augentix-hc1703-camera-64mb.meminfo', FIX), 'utf8');
const VEXPRESS = fs.readFileSync(new URL('armv7-qemu-vexpress-buildroot-128mb-cma.meminfo', FIX), 'utf8');
const plain = { bold: (s: string) => s, dim: (s: string) => s, warn: (s: string) => s, kind: (s: string) => s } as never;
const kb = (text: string, key: string) => Number(new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+) kB`, 'm').exec(text)![1]) * 1024;

function board(meminfo: string, extra: RawSection[] = []) {
  return buildBoard(parseCapture({ sections: [{ name: 'meminfo', status: 'ok', text: meminfo }, ...extra] }, { source: 't' }));
}

test('show --json meminfo has every key of a real dump, kB values as bytes', () => {
  const b = board(CAMERA);
  const keys = CAMERA.trim().split('\n').map((l) => l.split(':')[0]);
  assert.deepEqual(Object.keys(boardJson(b).meminfo), keys);
  assert.equal(b.meminfo['MemTotal'], 61968 * 1024);
  assert.equal(b.available?.estimated, false);
});

test('the accounting of MemTotal adds up on a real camera: buckets plus remainder is MemTotal', () => {
  const a = board(CAMERA).accounting!;
  assert.equal(a.buckets.reduce((s, x) => s + x.bytes, 0) + a.remainder, kb(CAMERA, 'MemTotal'));
  assert.equal(a.buckets.find((x) => x.name === 'page cache')!.bytes, kb(CAMERA, 'Buffers') + kb(CAMERA, 'Cached') - kb(CAMERA, 'Shmem'));
  assert.equal(a.trusted, true);
  assert.match(renderBoardText(board(CAMERA), plain), /MemTotal 60\.5 MiB = free .* \+ not accounted for /);
});

test('an old kernel without MemAvailable (a real dump with the key removed): estimated and marked so', () => {
  const old = VEXPRESS.replace(/^MemAvailable:.*\n/m, '');
  const b = board(old);
  const file = kb(old, 'Active(file)') + kb(old, 'Inactive(file)');
  const recl = kb(old, 'SReclaimable');
  assert.deepEqual(b.available, { bytes: kb(old, 'MemFree') + file - Math.floor(file / 2) + recl - Math.floor(recl / 2), estimated: true });
  assert.match(renderBoardText(b, plain), /MemAvailable [0-9.]+ MiB \(estimated: this kernel, before 3\.14, has no MemAvailable\)/);
  assert.equal(board(VEXPRESS).available?.estimated, false);
});

test('the sum cannot be trusted when a bucket is missing or the buckets overlap MemTotal', () => {
  const noShmem = board(CAMERA.replace(/^Shmem:.*\n/m, ''));
  assert.equal(noShmem.accounting!.trusted, false);
  assert.match(renderBoardText(noShmem, plain), /the sum cannot be trusted: Shmem is not in this kernel's meminfo/);
  const overlap = board(CAMERA.replace(/^VmallocUsed:.*$/m, 'VmallocUsed:      900000 kB'));
  assert.equal(overlap.accounting!.trusted, false);
  assert.ok(overlap.accounting!.remainder < 0);
});

test('CMA and commit limit of a real vexpress board are shown', () => {
  const text = renderBoardText(board(VEXPRESS), plain);
  assert.match(text, /CmaTotal /);
  assert.match(text, /committed .* of CommitLimit /);
});

test('fds against Max open files and maps against vm.max_map_count, per process', () => {
  const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax stack size            8388608              unlimited            bytes\nMax open files            1024                 4096                 files\n';
  const secs: RawSection[] = [
    { name: 'max_map_count', status: 'ok', text: '65530\n' },
    { name: 'slabinfo', status: 'denied', text: '' },
    { name: 'limits', pid: 7, status: 'ok', text: limits },
    { name: 'fds', pid: 7, status: 'ok', text: '512\n' },
    { name: 'maps', pid: 7, status: 'ok', text: '00010000-00011000 r-xp 00000000 00:02 1 /bin/x\n' },
  ];
  const b = board(CAMERA, secs);
  assert.deepEqual(b.processes[0], { pid: 7, name: '', fds: 512, fdLimit: 1024, maps: 1, pss: null });
  const text = renderBoardText(b, plain);
  assert.match(text, /pid 7 \?: 512 fds of 1024 \(Max open files, 50%\), 1 maps of vm\.max_map_count 65530/);
  assert.match(text, /not readable by the capturing user: slabinfo \(capture as root\)/);
});
