/*! The byte pipe to a console: a raw TCP socket (serial+tcp://, a console server such as
 * ser2net or qemu's UART socket), telnet (the same socket with RFC 854 option negotiation:
 * IAC bytes answered and removed, 0xFF doubled on the way out), or a local serial port
 * (serial:/dev/ttyUSB0, through the serialport package, loaded only for it). Carries bytes only; the
 * conversation is console-session.ts's. */
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { CaptureError } from '../errors.js';
import { readUntilHangUp } from './serial-read.js';

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

/** A local serial port through the serialport package (8N1, raw, no flow control), loaded only
 * here: other commands never load its native binding, and a copy installed without it (an
 * optional dependency: --omit=optional, or no prebuilt binding and no compiler) still runs
 * everything but serial:. The port is opened exclusively (flock), as minicom and picocom do, and
 * left as it was found: its termios (speed, size, parity, modes) saved with `stty -g` before and
 * put back on close (serialport's binding sets them but can neither read nor restore them). */
async function openDevice(a: ConsoleAddress, label: string): Promise<Link> {
  const dev = a.device!;
  const baud = a.baud ?? 115200;
  let SerialPort: typeof import('serialport').SerialPort;
  try {
    ({ SerialPort } = await import('serialport'));
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!.slice(0, 200);
    throw new CaptureError(`${label}: serial: needs the serialport package and its native binding, which did not load here (${why}); reinstall mapsdiff with its optional dependencies (npm install without --omit=optional; where no prebuilt binding fits, with a C++ compiler and without --ignore-scripts), or reach the port through ser2net as serial+tcp://; nothing was stored`);
  }
  const found = savedSettings(dev);
  const port = new SerialPort({ path: dev, baudRate: baud, dataBits: 8, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, lock: true, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(new CaptureError(openFailure(label, dev, baud, e.message))) : resolve())));
  readUntilHangUp(port);
  const closed: ((why: string) => void)[] = [];
  let open = true;
  // Ctrl-C ends mapsdiff at once (exit 130), without the link's close: the settings go back then too
  const atExit = () => { if (open && found) restoreSettings(dev, found); };
  if (found) process.once('exit', atExit);
  port.on('close', (e?: Error & { disconnected?: boolean }) => {
    process.removeListener('exit', atExit);
    if (!open) return;
    open = false;
    const why = e?.disconnected ? `the serial line ${dev} was cut (the port went away)` : `${dev} closed`;
    for (const f of closed) f(why);
  });
  port.on('error', () => { /* close follows */ });
  return {
    eol: '\r',
    write: (b) => { port.write(b); },
    onData: (f) => port.on('data', (d: Buffer) => f(d)),
    onClose: (f) => closed.push(f),
    // put back while the port is still ours (held open and locked), so no other program sees it raw
    close: () => {
      if (!open) return;
      open = false;
      process.removeListener('exit', atExit);
      if (found) restoreSettings(dev, found);
      if (port.isOpen) port.close(() => undefined);
    },
  };
}

/** `stty -F` (GNU, BusyBox) or `stty -f` (macOS, BSD) names the device; none on Windows. */
const STTY_DEVICE = process.platform === 'linux' ? '-F' : process.platform === 'win32' ? null : '-f';

/** The port's settings as `stty -g` prints them (opened O_NONBLOCK: no wait for carrier); null
 * where there is no stty or it cannot read them: the port is then left as mapsdiff set it. */
function savedSettings(dev: string): string | null {
  if (!STTY_DEVICE) return null;
  const r = spawnSync('stty', [STTY_DEVICE, dev, '-g'], { encoding: 'latin1', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  const saved = r.status === 0 ? r.stdout.trim() : '';
  return /^[0-9a-fA-F:=;-]+$/.test(saved) ? saved : null; // the form stty -g prints, and nothing else is passed back
}

/** Puts `stty -g`'s settings back (stty waits for output to drain first: TCSADRAIN). */
function restoreSettings(dev: string, saved: string): void {
  spawnSync('stty', [STTY_DEVICE!, dev, saved], { timeout: 5000, stdio: 'ignore' });
}

/** What an open failure means and what to do about it. */
function openFailure(label: string, dev: string, baud: number, message: string): string {
  const m = message.replace(/^Error: /, '');
  let hint = 'check the path and the cable';
  if (/no such file/i.test(m)) hint = `no such port; the ports here are under /dev (ls /dev/ttyUSB* /dev/ttyACM* /dev/ttyS* /dev/serial/by-id), and a USB adapter appears only once plugged in`;
  else if (/permission denied|EACCES/i.test(m)) hint = 'you may not open it; add yourself to the group that owns it (ls -l ' + dev + '; usually dialout: sudo usermod -aG dialout $USER, then log in again)';
  else if (/lock|temporarily unavailable|busy/i.test(m)) hint = 'another program holds the port (minicom, picocom, screen, a getty?); close it first';
  else if (/ioctl|baud/i.test(m)) hint = `${dev} is not a serial port, or it does not take ${baud} baud; give a tty device and a speed it supports (?baud=115200)`;
  return `${label}: cannot open ${dev} at ${baud} baud (${m}); ${hint}; nothing was stored`;
}
