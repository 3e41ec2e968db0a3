/*! Regression (issue 15): a snapshot was 3.1x its raw text, because a third JSON line of
 * parsed data was written and fsynced, and never read (commands parse the raw text again).
 * It is now a header and the raw sections; files of older versions, with the third line, still read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotStore } from '../../src/store/store.js';
import { readImport } from '../../src/collect/file.js';
import { saveCapture } from '../../src/cli/save.js';
import { loadSnapshot, reportFor } from '../../src/cli/context.js';
import { fixturePath } from '../helpers.js';

test('a snapshot file is a header and the raw sections, at most 1.2x the raw text', () => {
  const store = new SnapshotStore(fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-size-')));
  for (const f of ['maps/armv7-glibc-remarkable2-xochitl-qt.maps', 'captures/qemu-armhf-virt-leaker-steady.capture']) {
    const raw = readImport(fixturePath(f), { pid: 7, cwd: '/' });
    const { name } = saveCapture(store, { raw, target: 'b', via: 'import', source: f });
    const rawBytes = raw.sections.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
    const text = fs.readFileSync(path.join(store.snapDir, `${name}.json`), 'utf8');
    assert.equal(text.split('\n').length, 3, 'two lines, each ending in a newline');
    assert.ok(text.length <= 1.2 * rawBytes, `${f}: ${text.length} bytes stored for ${rawBytes} of raw text (${(text.length / rawBytes).toFixed(2)}x)`);
  }
  fs.rmSync(store.dir, { recursive: true });
});

test('a three-line snapshot written by an older mapsdiff (parsed data on line 3) still lists, loads and reports', () => {
  const store = new SnapshotStore(fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-old-')));
  const raw = readImport(fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps'), { pid: 4388, cwd: '/' });
  const { name, snapshot } = saveCapture(store, { raw, target: 'b', via: 'import', source: 'tenda' });
  const file = path.join(store.snapDir, `${name}.json`);
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(0, 2);
  const hex = (k: string, v: unknown) => (typeof v === 'number' && (k === 'start' || k === 'end' || k === 'offset') ? '0x' + v.toString(16) : v); // as it wrote addresses
  fs.writeFileSync(file, [...lines, JSON.stringify(snapshot.parsed, hex), ''].join('\n'));
  assert.deepEqual(store.list().map((m) => m.name), [name]);
  const report = reportFor(loadSnapshot(store, name));
  assert.equal(report.processes[0]!.pid, 4388);
  assert.equal(loadSnapshot(store, name).parsed.processes[0]!.vmas.length, 60);
  fs.rmSync(store.dir, { recursive: true });
});
