/*! The system `ssh` as the transport (--ssh-client openssh): it reads ~/.ssh/config itself and
 * brings everything OpenSSH supports (certificates, ControlMaster, GSSAPI, Match exec). This file
 * only runs one remote command, writes its stdin, and gives back stdout bytes, stderr and the exit
 * status under the byte cap, the deadline and the abort signal; the script (on ssh's stdin) and
 * the stream's checking and splitting are the SSH collector's own (remote-script.ts,
 * remote-stream.ts). */
import { spawn } from 'node:child_process';
import { CaptureError } from '../errors.js';
import type { RawCapture } from '../model/capture.js';
import { buildRemoteScript, newBoundary, REMOTE_COMMAND } from './remote-script.js';
import { captureFromRun, type RemoteRun } from './remote-stream.js';
import { DEFAULTS, SshSource, type SshOptions } from './ssh.js';
import type { SshTarget } from './connect.js';
import type { Selection } from './source.js';

/** What to hand ssh: the destination (an alias or a host, after `--`) and options for what mapsdiff was given. */
export interface OpensshTarget {
  destination: string;
  args: string[];
}

export interface RunLimits {
  maxOutputBytes: number;
  /** From the start of ssh to its end, login included. */
  deadlineMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The ssh binary (default `ssh` on PATH). */
  ssh?: string;
  onBytes?: (bytes: number) => void;
}

/** The ssh command line: no tty, BatchMode when no one can answer a prompt, the command last. */
export function opensshArgs(t: OpensshTarget, command: string, o: { acceptNew?: boolean; interactive: boolean }): string[] {
  return ['-T', ...(o.interactive ? [] : ['-o', 'BatchMode=yes']), ...(o.acceptNew ? ['-o', 'StrictHostKeyChecking=accept-new'] : []),
    ...t.args, '--', t.destination, command];
}

/** Runs `ssh args...`, writes `stdin`, reads stdout to its end under the limits; fails with a sentence. */
export function runSsh(args: string[], stdin: string, label: string, l: RunLimits): Promise<RemoteRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(l.ssh ?? 'ssh', args, { stdio: ['pipe', 'pipe', 'pipe'], env: l.env ?? process.env });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let done = false;
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, 2000).unref();
      }
    };
    const end = () => { done = true; clearTimeout(timer); l.signal?.removeEventListener('abort', onAbort); };
    const fail = (message: string) => {
      if (done) return;
      end();
      stop();
      reject(new CaptureError(`${label}: ${message}; nothing was stored`));
    };
    const timer = setTimeout(() => fail(`ssh took longer than the connect and capture timeouts together (${l.deadlineMs / 1000} s)`), l.deadlineMs);
    const onAbort = () => fail('interrupted');
    if (l.signal?.aborted) return onAbort();
    l.signal?.addEventListener('abort', onAbort);
    child.on('error', (err) => fail(`cannot run ssh (${err.message}); is OpenSSH's client installed?`));
    child.stdin.on('error', () => { /* ssh exited before reading it: its status says why */ });
    child.stdin.end(stdin);
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      if (bytes > l.maxOutputBytes) return fail(`the output passed the maximum output size (${l.maxOutputBytes} bytes)`);
      chunks.push(d);
      l.onBytes?.(bytes);
    });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 2000) stderr += d.toString('utf8'); });
    child.on('close', (code, sig) => {
      if (done) return;
      end();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), bytes, stderr: stderr.slice(0, 2000), exit: { code, signal: sig ?? undefined } });
    });
  });
}

export class OpensshSource extends SshSource {
  constructor(target: string, dest: SshTarget, private readonly how: OpensshTarget, private readonly o: SshOptions = {}) {
    super(target, dest, o);
  }

  override async collect(sel: Selection, signal?: AbortSignal): Promise<RawCapture> {
    const boundary = this.o.boundary ?? newBoundary();
    const script = buildRemoteScript(sel, boundary, { pauseAfterListing: this.o.pauseAfterListing });
    this.o.onProgress?.({ stage: 'connecting' });
    const args = opensshArgs(this.how, REMOTE_COMMAND, { acceptNew: this.o.acceptNew, interactive: Boolean(this.o.prompt && process.stdin.isTTY) });
    const run = await runSsh(args, script, this.target, {
      maxOutputBytes: this.o.maxOutputBytes ?? DEFAULTS.maxOutputBytes,
      deadlineMs: (this.o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs) + (this.o.captureTimeoutMs ?? DEFAULTS.captureTimeoutMs),
      signal, env: this.o.env,
      onBytes: (bytes) => this.o.onProgress?.({ stage: 'receiving', bytes }),
    });
    // 255 is ssh's own failure (could not connect, host key refused, login failed), before the script ran
    if (run.exit?.code === 255 && !run.text.includes(`mapsdiff-capture 4 ${boundary}\n`)) {
      throw new CaptureError(`${this.target}: ssh failed (exit status 255): ${JSON.stringify(run.stderr.trim().slice(0, 500))}; nothing was stored`);
    }
    return captureFromRun(run, boundary, this.target, this.from);
  }
}
