/*! The same capture (steady, on the armhf qemu board, booted once here with SERIAL_PORT and
 * TELNET_PORT) over SSH, telnet, the serial console on its TCP socket (serial+tcp://) and a
 * local serial port (serial:, a socat pty joined to that socket, opened with serialport): the
 * time of each, and the consoles as ratios of SSH. Login is included in each console capture
 * (each logs in and out). */
import { performance } from 'node:perf_hooks';
import { SshSource } from '../src/collect/ssh.js';
import { ConsoleSource } from '../src/collect/console.js';
import type { Selection, Source } from '../src/collect/source.js';
import { bootBoard, freePort, type Board } from '../test/board/board.js';
import { ptyToTcp } from '../test/board/pty.js';
import { ms, ratio } from './measure.js';

const sel: Selection = { pids: [], names: ['steady'], all: false, smaps: false };

async function best(runs: number, make: () => Source): Promise<number> {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await make().collect(sel);
    b = Math.min(b, performance.now() - t);
  }
  return b;
}

export async function benchConsole(): Promise<void> {
  const serial = await freePort();
  const telnet = await freePort();
  let board: Board;
  try {
    board = await bootBoard('armhf', { SERIAL_PORT: String(serial), TELNET_PORT: String(telnet) });
  } catch (err) {
    console.log(`console: not run (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  try {
    const login = { user: 'root', password: async () => 'board' };
    const ssh = await best(3, () => new SshSource('ssh', { host: '127.0.0.1', port: board.port, user: 'root', identityFiles: [board.key] }, { knownHostsFiles: [board.knownHosts] }));
    const tel = await best(2, () => new ConsoleSource('telnet', 'telnet', { kind: 'telnet', host: '127.0.0.1', port: telnet }, login));
    const ser = await best(2, () => new ConsoleSource('serial', 'serial', { kind: 'tcp', host: '127.0.0.1', port: serial }, login));
    const pty = await ptyToTcp(serial);
    let dev: number;
    try {
      dev = await best(2, () => new ConsoleSource('device', 'device', { kind: 'device', device: pty.path, baud: 115200 }, login));
    } finally { await pty.cut(); }
    console.log(`board capture of one process: ssh ${ms(ssh)}; telnet ${ms(tel)} (${ratio(tel, ssh)}); serial console on TCP ${ms(ser)} (${ratio(ser, ssh)}); serial: pty ${ms(dev)} (${ratio(dev, ssh)}), login and checksums included`);
  } finally {
    await board.stop();
  }
}
