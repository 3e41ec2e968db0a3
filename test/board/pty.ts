/*! Pseudo-terminals for the serial: tests, made with socat (.ci/install-serial.sh): a pty
 * joined to a TCP console (the board's UART socket, as a USB-serial adapter would be joined to
 * its UART), or a pty pair. Ready when socat says it entered its transfer loop (both ends
 * open); `cut()` kills socat (SIGKILL: the line goes dead at once, as a pulled cable) and
 * waits for it to exit. The link under `dir` is the path mapsdiff opens. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Pty {
  /** The pty mapsdiff opens (a symlink to /dev/pts/N). */
  path: string;
  /** The other end, for a pty pair. */
  other?: string;
  /** Kills socat and waits until it has exited. */
  cut(): Promise<void>;
}

function socat(dir: string, a: string, b: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', ['-d', '-d', a, b], { stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    child.on('error', (e) => reject(new Error(`socat did not start (${e.message}); .ci/install-serial.sh installs it`)));
    child.on('exit', (code) => reject(new Error(`socat exited (${code}) before it was ready: ${said.trim().slice(-400)}`)));
    child.stderr!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('starting data transfer loop')) resolve(child);
    });
  }).then((child) => {
    (child as ChildProcess).removeAllListeners('exit');
    return child as ChildProcess;
  }).catch((e) => { fs.rmSync(dir, { recursive: true, force: true }); throw e; });
}

function cutter(child: ChildProcess, dir: string): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    const done = () => { fs.rmSync(dir, { recursive: true, force: true }); resolve(); };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGKILL');
  });
}

/** A pty whose other side is a TCP connection to 127.0.0.1:port. */
export async function ptyToTcp(port: number): Promise<Pty> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-pty-'));
  const link = path.join(dir, 'ttyBOARD');
  const child = await socat(dir, `pty,link=${link},raw,echo=0`, `tcp:127.0.0.1:${port}`);
  return { path: link, cut: cutter(child, dir) };
}

/** Two ptys joined to each other. */
export async function ptyPair(): Promise<Pty> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-pty-'));
  const a = path.join(dir, 'ttyA');
  const b = path.join(dir, 'ttyB');
  const child = await socat(dir, `pty,link=${a},raw,echo=0`, `pty,link=${b},raw,echo=0`);
  return { path: a, other: b, cut: cutter(child, dir) };
}
