/*! Console captures on the real board (../shared/board with SERIAL_PORT and TELNET_PORT: getty
 * on the UART, BusyBox telnetd): SSH, telnet and the serial console capture the same processes
 * alike; a byte changed on the line is caught by its section's sum and the capture asked for
 * again; a connection dropped mid-capture stores nothing. A TCP relay the test owns sits between
 * mapsdiff and the board's console to change or drop the stream. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { bootBoard, freePort, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

type Mode = { kind: 'pass' } | { kind: 'drop'; after: number } | { kind: 'flip'; times: number };

/** Relays 127.0.0.1:port to the board's console; after the capture header it can flip one byte
 * of the first maps section's text (per capture, `times` captures) or drop the connection. */
async function relay(to: number, mode: Mode): Promise<{ port: number; flipped: () => number; close: () => void }> {
  let flipped = 0;
  const socks: net.Socket[] = [];
  const srv = net.createServer((client) => {
    const up = net.connect(to, '127.0.0.1');
    socks.push(client, up);
    let seen = '';
    let sinceHeader = -1;
    client.on('data', (d) => up.write(d));
    up.on('data', (d: Buffer) => {
      const b = Buffer.from(d);
      if (mode.kind !== 'pass') {
        seen = (seen + b.toString('latin1')).slice(-4000);
        if (sinceHeader < 0 && seen.includes('mapsdiff-capture 2 ')) { sinceHeader = 0; seen = ''; }
        if (sinceHeader >= 0) {
          sinceHeader += b.length;
          if (mode.kind === 'drop' && sinceHeader > mode.after) { client.destroy(); up.destroy(); return; }
          const at = seen.indexOf(' maps\n');
          if (mode.kind === 'flip' && flipped < mode.times && at !== -1 && seen.length > at + 12) {
            // a byte of the section's first line (never a newline), in this chunk
            const base = seen.length - b.length;
            let t = Math.max(at + 10, base);
            while (t < seen.length && seen[t] === '\n') t++;
            if (t < seen.length) { b[t - base] = b[t - base]! ^ 1; flipped++; sinceHeader = -1; seen = ''; }
          }
        }
      }
      client.write(b);
    });
    const end = () => { client.destroy(); up.destroy(); };
    client.on('close', end); up.on('close', end); client.on('error', end); up.on('error', end);
  });
  const port = await freePort();
  await new Promise<void>((res) => srv.listen(port, '127.0.0.1', res));
  return { port, flipped: () => flipped, close: () => { for (const s of socks) s.destroy(); srv.close(); } };
}

describe('console captures on the armhf board', () => {
  let board: Board;
  let cwd: string;
  let store: string;
  let serialPort: number;
  let telnetPort: number;
  const env = { MAPSDIFF_PASSWORD: 'board' };
  const steady = async (name: string) => {
    const r = await mapsdiff(['show', name, '--json'], { store, cwd });
    assert.equal(r.code, 0, `show ${name}: ${r.stderr}`);
    const j = JSON.parse(r.stdout);
    const p = j.processes.find((x: { name: string }) => x.name === 'steady');
    return { pid: p.pid, vmas: p.vmas };
  };

  before(async () => {
    serialPort = await freePort();
    telnetPort = await freePort();
    board = await bootBoard('armhf', { SERIAL_PORT: String(serialPort), TELNET_PORT: String(telnetPort) });
    cwd = tempStore();
    store = path.join(cwd, 'store');
    fs.mkdirSync(path.join(cwd, 'targets'));
    fs.writeFileSync(path.join(cwd, 'targets', 'ssh.json'), JSON.stringify({
      host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts, processes: ['steady', 'leaker'],
    }));
    fs.writeFileSync(path.join(cwd, 'targets', 'uart.json'), JSON.stringify({
      console: `serial+tcp://127.0.0.1:${serialPort}`, user: 'root', passwordCommand: 'echo board', processes: ['steady', 'leaker'],
    }));
  });
  after(async () => {
    await board?.stop();
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('SSH, telnet and the serial console capture steady region for region alike', async () => {
    const a = await mapsdiff(['capture', 'ssh', '--name', 'ssh'], { store, cwd });
    assert.equal(a.code, 0, a.stderr);
    const t = await mapsdiff(['capture', `telnet://root@127.0.0.1:${telnetPort}`, '--process', 'steady', '--process', 'leaker', '--name', 'telnet'], { store, cwd, env });
    assert.equal(t.code, 0, t.stderr);
    const s = await mapsdiff(['capture', 'uart', '--name', 'serial'], { store, cwd });
    assert.equal(s.code, 0, s.stderr);
    const ssh = await steady('ssh');
    assert.ok(ssh.vmas.length > 5);
    assert.deepEqual(await steady('telnet'), ssh);
    assert.deepEqual(await steady('serial'), ssh);
    // the console is left as found: logged out, at the login prompt again
    const log = fs.readFileSync(board.serialLog, 'latin1');
    assert.match(log.slice(log.lastIndexOf('mapsdiff-capture 2 ')), /login: /);
  });

  test('a byte changed on the serial line fails its section sum; the capture is asked for again and stored right', async () => {
    const r = await relay(serialPort, { kind: 'flip', times: 1 });
    try {
      const c = await mapsdiff(['capture', `serial+tcp://root@127.0.0.1:${r.port}`, '--process', 'steady', '--name', 'noisy'], { store, cwd, env });
      assert.equal(c.code, 0, c.stderr);
      assert.equal(r.flipped(), 1);
      assert.deepEqual(await steady('noisy'), await steady('ssh'));
    } finally { r.close(); }
  });

  test('a serial line that garbles every try stores nothing (exit 3)', async () => {
    const r = await relay(serialPort, { kind: 'flip', times: 99 });
    try {
      const c = await mapsdiff(['capture', `serial+tcp://root@127.0.0.1:${r.port}`, '--process', 'steady', '--name', 'garbled'], { store, cwd, env });
      assert.equal(c.code, 3, c.stderr);
      assert.match(c.stderr, /does not match its checksum/);
      assert.equal(r.flipped(), 2);
      assert.doesNotMatch((await mapsdiff(['list'], { store, cwd })).stdout, /garbled/);
    } finally { r.close(); }
  });

  for (const kind of ['telnet', 'serial+tcp'] as const) {
    test(`a ${kind} connection dropped mid-capture stores nothing (exit 3)`, async () => {
      const r = await relay(kind === 'telnet' ? telnetPort : serialPort, { kind: 'drop', after: 3000 });
      try {
        const c = await mapsdiff(['capture', `${kind}://root@127.0.0.1:${r.port}`, '--process', 'steady', '--name', `dropped-${kind}`], { store, cwd, env });
        assert.equal(c.code, 3, c.stderr);
        assert.match(c.stderr, /connection closed mid-capture.*nothing was stored/);
        assert.doesNotMatch((await mapsdiff(['list'], { store, cwd })).stdout, /dropped/);
      } finally { r.close(); }
    });
  }
});
