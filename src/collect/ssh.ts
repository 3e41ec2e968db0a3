/*! The SSH collector (ssh2): one connection, one exec of `sh -s` with the remote script on
 * its stdin, the whole stream read under a byte cap and a deadline, then checked and split by
 * remote-stream.ts. Any failure is a CaptureError and nothing is returned, so nothing
 * half-made is stored. */
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { CaptureError } from '../errors.js';
import type { RawCapture } from '../model/capture.js';
import type { Prompter } from './auth.js';
import { closeClient, endpointLabel, openConnection, type SshTarget } from './connect.js';
import { buildRemoteScript, newBoundary, REMOTE_COMMAND } from './remote-script.js';
import { captureFromRun, type RemoteRun } from './remote-stream.js';
import type { Selection, Source } from './source.js';

export const DEFAULTS = { connectTimeoutMs: 10_000, captureTimeoutMs: 120_000, maxOutputBytes: 64 * 1024 * 1024 };

export interface SshOptions {
  /** Trust and record the key of a host known_hosts does not have (--accept-new). */
  acceptNew?: boolean;
  /** Pinned `SHA256:...` host key of the target (targets/NAME.json "hostKey"); known_hosts is then not used for it. */
  hostKey?: string;
  /** Default: ~/.ssh/known_hosts (written by accept-new), then /etc/ssh/ssh_known_hosts. */
  knownHostsFiles?: string[];
  /** Write accept-new entries hashed, like HashKnownHosts yes. */
  hashKnownHosts?: boolean;
  /** TCP connect + key exchange + login, per hop; time at a prompt not counted. Default 10 s. */
  connectTimeoutMs?: number;
  /** From the remote command's start to its last byte. Default 120 s. */
  captureTimeoutMs?: number;
  /** Most bytes the remote command may print. Default 64 MiB. */
  maxOutputBytes?: number;
  /** HOME, SSH_AUTH_SOCK (the agent), MAPSDIFF_PASSWORD. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Asks for passphrases and passwords (no echo); absent: never ask. */
  prompt?: Prompter;
  /** Things worth a line on stderr, e.g. a host key recorded by accept-new. */
  onNotice?: (message: string) => void;
  onProgress?: (p: SshProgress) => void;
  /** Tests only: seconds the remote script sleeps between listing and reading processes. */
  pauseAfterListing?: number;
  /** Tests only: this boundary instead of a fresh random one (to play a board that knows it). */
  boundary?: string;
}

export type SshProgress = { stage: 'connecting' } | { stage: 'running' } | { stage: 'receiving'; bytes: number };

export class SshSource implements Source {
  readonly from: string;
  constructor(readonly target: string, private readonly dest: SshTarget, private readonly opts: SshOptions = {}) {
    this.from = endpointLabel(dest);
  }

  async collect(sel: Selection, signal?: AbortSignal): Promise<RawCapture> {
    const o = this.opts;
    const env = o.env ?? process.env;
    const home = env.HOME || os.homedir();
    const boundary = o.boundary ?? newBoundary();
    const script = buildRemoteScript(sel, boundary, { pauseAfterListing: o.pauseAfterListing });
    o.onProgress?.({ stage: 'connecting' });
    const clients = await openConnection(this.dest, {
      hostKeys: {
        pinned: o.hostKey,
        knownHostsFiles: o.knownHostsFiles ?? [path.join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'],
        acceptNew: o.acceptNew ?? false,
        hashNew: o.hashKnownHosts,
      },
      connectTimeoutMs: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      home, agent: env.SSH_AUTH_SOCK || undefined, password: env.MAPSDIFF_PASSWORD, prompt: o.prompt, signal,
      onNotice: o.onNotice,
    });
    let run: RemoteRun;
    try {
      o.onProgress?.({ stage: 'running' });
      run = await this.run(clients[0]!, script, signal);
    } finally {
      for (const c of clients) closeClient(c);
    }
    return captureFromRun(run, boundary, this.target, this.from);
  }

  /** The exec with the script on its stdin, read to its end under the byte cap, the deadline and the abort signal. */
  private run(client: Client, script: string, signal?: AbortSignal): Promise<RemoteRun> {
    const max = this.opts.maxOutputBytes ?? DEFAULTS.maxOutputBytes;
    const limitMs = this.opts.captureTimeoutMs ?? DEFAULTS.captureTimeoutMs;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let stderr = '';
      let exit: RemoteRun['exit'];
      let done = false;
      const end = () => { done = true; clearTimeout(timer); signal?.removeEventListener('abort', onAbort); };
      const fail = (message: string) => {
        if (done) return;
        end();
        client.destroy();
        reject(new CaptureError(`${this.target}: ${message}; nothing was stored`));
      };
      const timer = setTimeout(() => fail(`the capture took longer than the capture timeout (${limitMs / 1000} s)`), limitMs);
      const onAbort = () => fail('interrupted');
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      client.on('error', (err) => fail(`the connection failed mid-capture after ${bytes} bytes (${err.message})`));
      client.on('close', () => fail(`the connection closed mid-capture after ${bytes} bytes`));
      client.exec(REMOTE_COMMAND, (err, stream) => {
        if (err) return fail(`the server would not run the capture command (${err.message})`);
        stream.end(script); // then EOF: the shell reads its script to the end
        stream.on('data', (d: Buffer) => {
          bytes += d.length;
          if (bytes > max) return fail(`the output passed the maximum output size (${formatBytes(max)})`);
          chunks.push(d);
          this.opts.onProgress?.({ stage: 'receiving', bytes });
        });
        stream.stderr.on('data', (d: Buffer) => { if (stderr.length < 2000) stderr += d.toString('utf8'); });
        stream.on('exit', (code: number | null, sig?: string) => { exit = { code, signal: sig }; });
        stream.on('close', () => {
          if (done) return;
          end();
          resolve({ text: Buffer.concat(chunks).toString('latin1'), bytes, stderr: stderr.slice(0, 2000), exit });
        });
      });
    });
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
