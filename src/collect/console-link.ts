/*! The byte pipe to a console: a raw TCP socket (serial+tcp://, a console server such as
 * ser2net or qemu's UART socket), telnet (the same socket with RFC 854 option negotiation:
 * IAC bytes answered and removed, 0xFF doubled on the way out), or a local serial port
 * (serial:/dev/ttyUSB0, set up with stty, then opened with node:fs). Carries bytes only; the
 * conversation is console-session.ts's. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import { CaptureError } from '../errors.js';

export interface ConsoleAddress {
  kind: 'telnet' | 'tcp' | 'device';
  host?: string;
  port?: number;
  device?: string;
  baud?: number;
}

export interface Link {
  write(bytes: Buffer): void;
  /** The end of line a terminal's Enter sends on this link. */
  eol: string;
  onData(f: (bytes: Buffer) => void): void;
  onClose(f: (why: string) => void): void;
  close(): void;
}

const IAC = 255, DONT = 254, DO = 253, WONT = 252, WILL = 251, SB = 250, SE = 240;
const ECHO = 1, SGA = 3;

/** Opens the link; fails with CaptureError saying where and why. */
export function openLink(a: ConsoleAddress, label: string, timeoutMs: number): Promise<Link> {
  return a.kind === 'device' ? openDevice(a, label) : openSocket(a, label, timeoutMs);
}

function openSocket(a: ConsoleAddress, label: string, timeoutMs: number): Promise<Link> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: a.host!, port: a.port! });
    const timer = setTimeout(() => { sock.destroy(); reject(new CaptureError(`${label}: no answer from ${a.host}:${a.port} within ${timeoutMs / 1000} s; nothing was stored`)); }, timeoutMs);
    sock.once('error', (e) => { clearTimeout(timer); reject(new CaptureError(`${label}: cannot connect to ${a.host}:${a.port} (${e.message}); nothing was stored`)); });
    sock.once('connect', () => {
      clearTimeout(timer);
      const telnet = a.kind === 'telnet';
      const data: ((b: Buffer) => void)[] = [];
      const closed: ((why: string) => void)[] = [];
      const strip = telnet ? telnetFilter((reply) => sock.write(reply)) : (b: Buffer) => b;
      sock.on('data', (b: Buffer) => { const d = strip(b); if (d.length) for (const f of data) f(d); });
      sock.on('error', () => { /* close follows */ });
      sock.on('close', () => { for (const f of closed) f('the console connection closed'); });
      resolve({
        eol: telnet ? '\r\n' : '\r',
        write: (b) => { sock.write(telnet ? escapeIac(b) : b); },
        onData: (f) => data.push(f),
        onClose: (f) => closed.push(f),
        close: () => sock.destroy(),
      });
    });
  });
}

function escapeIac(b: Buffer): Buffer {
  if (!b.includes(IAC)) return b;
  const out: number[] = [];
  for (const x of b) { out.push(x); if (x === IAC) out.push(IAC); }
  return Buffer.from(out);
}

/** Removes telnet commands from the stream, answering each option once: we let the server
 * echo and suppress go-ahead, and do no option ourselves. */
export function telnetFilter(reply: (b: Buffer) => void): (b: Buffer) => Buffer {
  let state: 'data' | 'iac' | 'opt' | 'sb' | 'sbiac' = 'data';
  let verb = 0;
  const answered = new Set<string>();
  return (b: Buffer) => {
    const out: number[] = [];
    for (const x of b) {
      if (state === 'data') { if (x === IAC) state = 'iac'; else out.push(x); }
      else if (state === 'iac') {
        if (x === IAC) { out.push(IAC); state = 'data'; }
        else if (x === DO || x === DONT || x === WILL || x === WONT) { verb = x; state = 'opt'; }
        else if (x === SB) state = 'sb';
        else state = 'data';
      } else if (state === 'opt') {
        const key = `${verb} ${x}`;
        if (!answered.has(key)) {
          answered.add(key);
          if (verb === DO) reply(Buffer.from([IAC, WONT, x]));
          if (verb === WILL) reply(Buffer.from([IAC, x === ECHO || x === SGA ? DO : DONT, x]));
        }
        state = 'data';
      } else if (state === 'sb') { if (x === IAC) state = 'sbiac'; }
      else state = x === SE ? 'data' : 'sb';
    }
    return Buffer.from(out);
  };
}

/** A local serial port: stty sets the speed and raw mode (what the port was set to is put back
 * on close), then node:fs reads and writes it. */
async function openDevice(a: ConsoleAddress, label: string): Promise<Link> {
  const dev = a.device!;
  const stty = (args: string[]) => new Promise<string>((res, rej) => execFile('stty', ['-F', dev, ...args], (e, out, err) => (e ? rej(new Error(err.trim() || e.message)) : res(out.trim()))));
  let saved: string;
  try {
    saved = await stty(['-g']);
    await stty([String(a.baud ?? 115200), 'raw', '-echo', 'clocal', 'cs8', '-cstopb', '-parenb', '-crtscts']);
  } catch (e) {
    throw new CaptureError(`${label}: cannot set up ${dev} (${(e as Error).message}); nothing was stored`);
  }
  let fd: number;
  try {
    fd = fs.openSync(dev, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new CaptureError(`${label}: cannot open ${dev} (${(e as Error).message}); nothing was stored`);
  }
  const stream = tty.isatty(fd) ? new tty.ReadStream(fd) : null;
  const closed: ((why: string) => void)[] = [];
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    stream?.destroy();
    execFile('stty', ['-F', dev, saved], () => undefined);
  };
  stream?.on('close', () => { if (open) for (const f of closed) f(`${dev} closed`); });
  stream?.on('error', () => { /* close follows */ });
  return {
    eol: '\r',
    write: (b) => { try { fs.writeSync(fd, b); } catch (e) { for (const f of closed) f(`${dev}: ${(e as Error).message}`); } },
    onData: (f) => stream?.on('data', (d: Buffer | string) => f(Buffer.isBuffer(d) ? d : Buffer.from(d, 'latin1'))),
    onClose: (f) => closed.push(f),
    close,
  };
}
