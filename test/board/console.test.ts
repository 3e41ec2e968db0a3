/*! Console captures on the real board (../shared/board with SERIAL_PORT and TELNET_PORT: getty
 * on the UART, BusyBox telnetd): SSH, telnet and the serial console capture the same processes
 * alike, and so does a local serial port (serial:, a pty socat joins to the UART socket); a byte
 * changed on the line is caught by its section's sum and that section alone asked for again; a
 * connection dropped or a serial line cut mid-capture stores nothing. A TCP relay the test owns
 * sits between mapsdiff (or socat) and the board's console to change, hold or drop the stream. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { bootBoard, freePort, type Board } from './board.js';
import { ptyToTcp } from './pty.js';
import { mapsdiff, tempStore } from '../cli/run.js';

type Mode = { kind: 'pass' } | { kind: 'drop'; after: number } | { kind: 'flip'; times: number } | { kind: 'hold'; after: number; held: () => void };

/** Relays 127.0.0.1:port to the board's console; after the capture header it can flip one byte
 * of the first maps section's text (per transfer, `times` transfers), drop the connection, or
 * hold back everything after `after` bytes (then call `held`). `down()`: what it passed on. */
async function relay(to: number, mode: Mode): Promise<{ port: number; flipped: () => number; down: () => string; close: () => void }> {
  let flipped = 0;
  let down = '';
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
        if (sinceHeader < 0 && seen.includes('mapsdiff-capture 2 ')) { sinceHeader = 0; seen = seen.slice(seen.indexOf('mapsdiff-capture 2 ')); }
        if (sinceHeader >= 0) {
          sinceHeader += b.length;
          if (mode.kind === 'drop' && sinceHeader > mode.after) { client.destroy(); up.destroy(); return; }
          if (mode.kind === 'hold' && sinceHeader > mode.after) { mode.held(); return; }
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
      down = (down + b.toString('latin1')).slice(-(4 << 20));
      client.write(b);
    });
    const end = () => { client.destroy(); up.destroy(); };
    client.on('close', end); up.on('close', end); client.on('error', end); up.on('error', end);
  });
  const port = await freePort();
  await new Promise<void>((res) => srv.listen(port, '127.0.0.1', res));
  return { port, flipped: () => flipped, down: () => down, close: () => { for (const s of socks) s.destroy(); srv.close(); } };
}

/** The section lines (not the closing lines) of each capture transfer in what a console sent. */
function transfers(text: string): string[][] {
  return [...text.matchAll(/mapsdiff-capture 2 ([0-9a-f]{32})\r?\n/g)].map((m) => {
    const b = m[1]!;
    const rest = text.slice(m.index! + m[0].length);
    const lines = rest.slice(0, rest.indexOf(`${b} end`)).split('\n').map((l) => l.replace(/\r$/, ''));
    return lines.filter((l) => l.startsWith(b + ' ') && !/ (ok|gone) (md5|cksum) /.test(l)).map((l) => l.slice(b.length + 1));
  });
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

  test('SSH, telnet, the serial console on TCP and a local serial port capture steady region for region alike', async () => {
    const a = await mapsdiff(['capture', 'ssh', '--name', 'ssh'], { store, cwd });
    assert.equal(a.code, 0, a.stderr);
    const t = await mapsdiff(['capture', `telnet://root@127.0.0.1:${telnetPort}`, '--process', 'steady', '--process', 'leaker', '--name', 'telnet'], { store, cwd, env });
    assert.equal(t.code, 0, t.stderr);
    const s = await mapsdiff(['capture', 'uart', '--name', 'serial'], { store, cwd });
    assert.equal(s.code, 0, s.stderr);
    // a pty joined to the UART socket is the USB-serial adapter: serial: opens it with serialport
    const pty = await ptyToTcp(serialPort);
    try {
      fs.writeFileSync(path.join(cwd, 'targets', 'tty.json'), JSON.stringify({
        console: `serial:${pty.path}?baud=115200`, user: 'root', passwordCommand: 'echo board', processes: ['steady', 'leaker'],
      }));
      const d = await mapsdiff(['capture', 'tty', '--name', 'device'], { store, cwd });
      assert.equal(d.code, 0, d.stderr);
      assert.equal(d.stderr, '');
    } finally { await pty.cut(); }
    const ssh = await steady('ssh');
    assert.ok(ssh.vmas.length > 5);
    // every region: start, end, perms, offset, dev, inode, path, kind and owner
    assert.deepEqual(await steady('telnet'), ssh);
    assert.deepEqual(await steady('serial'), ssh);
    assert.deepEqual(await steady('device'), ssh);
    const shown = JSON.parse((await mapsdiff(['show', 'device', '--json'], { store, cwd })).stdout);
    assert.deepEqual(shown.processes.map((p: { name: string }) => p.name).sort(), ['leaker', 'steady']);
    // the console is left as found: logged out, at the login prompt again
    const log = fs.readFileSync(board.serialLog, 'latin1');
    assert.match(log.slice(log.lastIndexOf('mapsdiff-capture 2 ')), /login: /);
  });

  test('a byte changed in one section on the serial line: only that section is asked for again, and the snapshot equals the SSH one', async () => {
    const r = await relay(serialPort, { kind: 'flip', times: 1 });
    try {
      const c = await mapsdiff(['capture', `serial+tcp://root@127.0.0.1:${r.port}`, '--process', 'steady', '--name', 'noisy'], { store, cwd, env });
      assert.equal(c.code, 0, c.stderr);
      assert.equal(r.flipped(), 1);
      const { pid } = await steady('ssh');
      assert.match(c.stderr, new RegExp(`pid ${pid} maps did not match its checksum \\(a noisy line\\?\\); asking for it again \\(1 of 3\\)`));
      // what the board sent: the whole capture once, then that one section
      const sent = transfers(r.down());
      assert.equal(sent.length, 2, JSON.stringify(sent));
      assert.ok(sent[0]!.length > 10);
      assert.deepEqual(sent[1], [`pid ${pid} maps`]);
      assert.deepEqual(await steady('noisy'), await steady('ssh'));
    } finally { r.close(); }
  });

  test('a serial line that garbles the section on every resend stores nothing (exit 3) after 3 resends', async () => {
    const r = await relay(serialPort, { kind: 'flip', times: 99 });
    try {
      const c = await mapsdiff(['capture', `serial+tcp://root@127.0.0.1:${r.port}`, '--process', 'steady', '--name', 'garbled'], { store, cwd, env });
      assert.equal(c.code, 3, c.stderr);
      assert.match(c.stderr, /damaged capture \(pid \d+ maps asked for again 3 times\), so none of it was stored: .*pid \d+ maps does not match its checksum/);
      assert.equal(r.flipped(), 4);
      assert.deepEqual(transfers(r.down()).slice(1).map((t) => t.length), [1, 1, 1]);
      assert.doesNotMatch((await mapsdiff(['list'], { store, cwd })).stdout, /garbled/);
    } finally { r.close(); }
  });

  test('a local serial line cut mid-capture (socat killed) stores nothing: exit 3, the line named', async () => {
    let held!: () => void;
    const holding = new Promise<void>((res) => { held = res; });
    // the relay holds the capture back after its first bytes: the capture cannot finish before the cut
    const r = await relay(serialPort, { kind: 'hold', after: 2000, held: () => held() });
    const pty = await ptyToTcp(r.port);
    try {
      const run = mapsdiff(['capture', `serial:${pty.path}?baud=115200&user=root`, '--process', 'steady', '--name', 'cut-line'], { store, cwd, env });
      // mapsdiff ending before the relay held the stream (a failed login, a refused capture) is this test's failure, never a hang
      await Promise.race([holding, run.then((c) => { throw new Error(`the capture ended (exit ${c.code}) before the relay held it back: ${c.stderr}`); })]);
      await pty.cut();
      const c = await run;
      assert.equal(c.code, 3, c.stderr);
      assert.match(c.stderr, /the serial line \S+ttyBOARD was cut \(the port went away\) mid-capture after \d+ bytes; nothing was stored/);
      assert.doesNotMatch((await mapsdiff(['list'], { store, cwd })).stdout, /cut-line/);
    } finally { await pty.cut(); r.close(); }
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
