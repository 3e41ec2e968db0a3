/*! The read under a local serial port (src/collect/serial-read.ts), on a real FIFO with
 * serialport's own poller: 0 bytes from read(2) is the hang-up, reported as a disconnect, where
 * serialport's read would read again for ever (the CI run where a cut serial line waited out the
 * capture's 300 s); no data yet waits for the poller, then reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { hangUpAwareRead, type PollingBinding } from '../../src/collect/serial-read.js';
import { tempDir } from '../helpers.js';

const { Poller } = createRequire(import.meta.url)('@serialport/bindings-cpp/dist/poller.js') as { Poller: new (fd: number) => NonNullable<PollingBinding['poller']> & { destroy(): void } };

function fifo(): { r: number; w: number; binding: PollingBinding & { poller: { destroy(): void } }; close(): void } {
  const file = path.join(tempDir('mapsdiff-fifo-'), 'line');
  execFileSync('mkfifo', [file]);
  const r = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(file, fs.constants.O_WRONLY);
  const binding = { fd: r as number | null, poller: new Poller(r) };
  return { r, w, binding, close: () => { binding.poller.destroy(); fs.closeSync(r); } };
}

test('regression: serial-line-hung-up-reads-zero: the read fails as a disconnect instead of reading again for ever', async () => {
  const f = fifo();
  try {
    const read = hangUpAwareRead(f.binding);
    fs.writeSync(f.w, 'abc');
    fs.closeSync(f.w); // the other side gone: read(2) returns what is left, then 0
    const buf = Buffer.alloc(64);
    const got = await read(buf, 0, 64);
    assert.equal(buf.subarray(0, got.bytesRead).toString(), 'abc');
    await assert.rejects(read(buf, 0, 64), (e: Error & { disconnect?: boolean; code?: string }) => e.disconnect === true && e.code === 'EIO' && /hung up/.test(e.message));
  } finally { f.close(); }
});

test('serial read: nothing on the line yet waits for the poller, then reads what came', async () => {
  const f = fifo();
  try {
    const read = hangUpAwareRead(f.binding);
    const buf = Buffer.alloc(64);
    const pending = read(buf, 0, 64);
    let settled = false;
    void pending.then(() => { settled = true; }, () => { settled = true; });
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'no bytes yet: still waiting');
    fs.writeSync(f.w, 'late');
    const got = await pending;
    assert.equal(buf.subarray(0, got.bytesRead).toString(), 'late');
    fs.closeSync(f.w);
  } finally { f.close(); }
});

test('serial read: a port closed while waiting fails as canceled (no disconnect, no spin)', async () => {
  const f = fifo();
  try {
    const read = hangUpAwareRead(f.binding);
    const pending = read(Buffer.alloc(8), 0, 8);
    await new Promise((r) => setImmediate(r));
    f.binding.fd = null;
    (f.binding.poller as unknown as { stop(): void }).stop(); // as serialport's close does
    await assert.rejects(pending, (e: Error & { canceled?: boolean }) => e.canceled === true);
    fs.closeSync(f.w);
  } finally { f.binding.poller.destroy(); fs.closeSync(f.r); }
});
