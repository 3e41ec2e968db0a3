/*! Console target addresses (cli/console-target.ts) and a target file's "console". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConsoleTarget } from '../../src/cli/console-target.js';
import { resolveTarget } from '../../src/cli/target.js';
import { UsageError } from '../../src/errors.js';

test('console addresses: telnet with default port 23, serial+tcp needs a port, serial: a device and baud', () => {
  assert.deepEqual(parseConsoleTarget('telnet://root@board1'), { address: { kind: 'telnet', host: 'board1', port: 23 }, user: 'root', from: 'telnet://root@board1:23' });
  assert.deepEqual(parseConsoleTarget('serial+tcp://10.0.0.5:7001').address, { kind: 'tcp', host: '10.0.0.5', port: 7001 });
  assert.deepEqual(parseConsoleTarget('serial:/dev/ttyUSB0?baud=9600&user=root'), { address: { kind: 'device', device: '/dev/ttyUSB0', baud: 9600 }, user: 'root', from: 'serial:/dev/ttyUSB0?baud=9600' });
  assert.equal(parseConsoleTarget('serial:/dev/ttyS0').address.baud, 115200);
  assert.throws(() => parseConsoleTarget('serial+tcp://host'), (e: unknown) => e instanceof UsageError && /needs a port/.test(e.message));
  assert.throws(() => parseConsoleTarget('serial:ttyUSB0'), /not a device path/);
  assert.throws(() => parseConsoleTarget('serial:/dev/ttyUSB0?speed=9600'), /unknown setting "speed"/);
  assert.throws(() => parseConsoleTarget('telnet://host:99999'), /not 1-65535/);
});

test('a serial: baud that is not a line speed (0, 10, 1e5, 5000000, fast) is refused, naming the range', () => {
  for (const b of ['0', '10', '1e5', '5000000', 'fast', '']) {
    assert.throws(() => parseConsoleTarget(`serial:/dev/ttyUSB0?baud=${b}`), (e: unknown) => e instanceof UsageError && /is not a line speed .*50 to 4000000/.test(e.message), b);
  }
  assert.equal(parseConsoleTarget('serial:/dev/ttyUSB0?baud=50').address.baud, 50);
  assert.equal(parseConsoleTarget('serial:/dev/ttyUSB0?baud=4000000').address.baud, 4_000_000);
});

test('a target file with "console" and no "host" resolves to a console with its user and password command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-console-target-'));
  try {
    fs.mkdirSync(path.join(dir, 'targets'));
    fs.writeFileSync(path.join(dir, 'targets', 'cam.json'), JSON.stringify({ console: 'telnet://192.0.2.7', user: 'admin', passwordCommand: 'echo x', processes: ['leaker'] }));
    const r = resolveTarget('cam', { cwd: dir, env: { HOME: dir }, systemConfig: null });
    assert.equal(r.label, 'cam');
    assert.deepEqual(r.console, { address: { kind: 'telnet', host: '192.0.2.7', port: 23 }, user: 'admin', from: 'telnet://192.0.2.7:23', passwordCommand: 'echo x' });
    assert.deepEqual(r.defaultSelection?.names, ['leaker']);
    fs.writeFileSync(path.join(dir, 'targets', 'bad.json'), JSON.stringify({ console: 'ftp://x' }));
    assert.throws(() => resolveTarget('bad', { cwd: dir, env: { HOME: dir }, systemConfig: null }), /"console" must be a console address/);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
