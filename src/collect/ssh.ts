/*! The SSH collector: one connection, one exec of the remote script, the whole stream
 * read under a byte cap and a deadline, then split by parse/capture.ts. Any failure is a
 * CaptureError and nothing is returned, so nothing half-made is stored. */
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { fromLatin1 } from './bytes.js';
import { CaptureError, ParseError } from '../errors.js';
import type { RawCapture } from '../model/capture.js';
import { namesWithPids } from './select.js';
import { parseCaptureText } from '../parse/capture.js';
import type { Prompter } from './auth.js';
import { closeClient, endpointLabel, openConnection, type SshTarget } from './connect.js';
import { buildRemoteScript, newBoundary, remoteCommand } from './remote-script.js';
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
    const boundary = newBoundary();
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
    let run: RunResult;
    try {
      o.onProgress?.({ stage: 'running' });
      run = await this.run(clients[0]!, remoteCommand(script), signal);
    } finally {
      for (const c of clients) closeClient(c);
    }
    return this.split(run, boundary);
  }

  /** The exec, read to its end under the byte cap, the deadline and the abort signal. */
  private run(client: Client, command: string, signal?: AbortSignal): Promise<RunResult> {
    const max = this.opts.maxOutputBytes ?? DEFAULTS.maxOutputBytes;
    const limitMs = this.opts.captureTimeoutMs ?? DEFAULTS.captureTimeoutMs;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let stderr = '';
      let exit: RunResult['exit'];
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
      client.exec(command, (err, stream) => {
        if (err) return fail(`the server would not run the capture command (${err.message})`);
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

  /** The stream as sections; a stream without its end line, or with `processes` (nothing matched), fails. */
  private split(run: RunResult, boundary: string): RawCapture {
    const header = `mapsdiff-capture 1 ${boundary}\n`;
    const at = run.text.indexOf(header);
    // a login shell may print before the script starts (a noisy .bashrc): that is not the board's data
    const text = at > 0 ? run.text.slice(at) : run.text;
    if (at === -1 || !text.includes(`${boundary} end`)) {
      const how = run.exit?.signal ? `killed by SIG${run.exit.signal.replace(/^SIG/, '')}` : run.exit ? `exit status ${run.exit.code}` : 'no exit status: the connection dropped';
      const err = run.stderr.trim() ? `; it said: ${JSON.stringify(run.stderr.trim().slice(0, 300))}` : '';
      throw new CaptureError(`${this.target}: the capture was cut short after ${run.bytes} bytes (${how}${err}); nothing was stored`);
    }
    let raw: RawCapture;
    try {
      // parsed byte for byte (latin1), then each section decoded: no byte the board sent is lost
      raw = fromLatin1(parseCaptureText(text, `ssh ${this.from}`, { requireEnd: true }));
    } catch (e) {
      if (e instanceof ParseError) throw new CaptureError(`${this.target}: the board sent a malformed capture: ${e.message}`);
      throw e;
    }
    const listed = raw.sections.find((s) => (s.name as string) === 'processes');
    if (listed) throw new CaptureError(`${this.target}: no process matched; running there: ${processNames(listed.text)}`);
    return raw;
  }
}

interface RunResult {
  text: string;
  bytes: number;
  stderr: string;
  exit?: { code: number | null; signal?: string };
}

/** `pid comm` lines -> the distinct names, each with its pids by number (1, 98, 100: the
 * shell's glob lists them as strings), capped. */
function processNames(text: string): string {
  const byName = new Map<string, number[]>();
  for (const l of text.split('\n').filter(Boolean)) {
    const name = l.slice(l.indexOf(' ') + 1);
    byName.set(name, [...(byName.get(name) ?? []), Number.parseInt(l, 10)]);
  }
  return namesWithPids(byName, 60);
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
