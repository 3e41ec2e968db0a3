/*! A capture through a console shell (telnet://, serial+tcp://, serial:): log in or find the
 * prompt (console-session.ts), run the checked capture script (console-script.ts), and keep
 * the stream only when every section's sum and the framing hold (parse/capture-checked.ts).
 * A section whose sum fails (a noisy line) is asked for again, alone, with a fresh boundary
 * (console-script.ts buildResendScript), up to `resends` times; one still damaged then, a
 * dropped link or a silent console stores nothing (CaptureError, exit 3). */
import { CaptureError, ParseError } from '../errors.js';
import type { RawCapture } from '../model/capture.js';
import { assembleChecked, damagedKeys, readChecked, replaceDamaged, type CheckedRead } from '../parse/capture-checked.js';
import { fromLatin1 } from './bytes.js';
import { buildConsoleScript, buildResendScript } from './console-script.js';
import { openLink, type ConsoleAddress } from './console-link.js';
import { Conversation, leave, reachShell, runScript, type Login } from './console-session.js';
import { newBoundary } from './remote-script.js';
import { latin1Digest as digest } from './sums.js';
import type { Selection, Source } from './source.js';
import type { SshProgress } from './ssh.js';

export interface ConsoleOptions {
  connectTimeoutMs?: number;
  captureTimeoutMs?: number;
  /** Times the sections whose sums failed are asked for again (default 3). */
  resends?: number;
  /** All the console may send in one capture (the target's "maxOutput"; 64 MiB by default). */
  maxOutputBytes?: number;
  /** Told each time damaged sections are asked for again. */
  onNotice?: (message: string) => void;
  pauseAfterListing?: number;
  onProgress?: (p: SshProgress) => void;
}

export class ConsoleSource implements Source {
  constructor(readonly target: string, readonly from: string, private readonly address: ConsoleAddress,
    private readonly login: Login, private readonly o: ConsoleOptions = {}) {}

  async collect(sel: Selection, signal?: AbortSignal): Promise<RawCapture> {
    for (const n of sel.names) {
      if (/[\x00-\x1f\x7f]/.test(n)) throw new CaptureError(`${this.target}: the process name ${JSON.stringify(n)} holds a control character, which a console would act on; use --pid`);
    }
    this.o.onProgress?.({ stage: 'connecting' });
    const link = await openLink(this.address, this.target, this.o.connectTimeoutMs ?? 10_000);
    const c = new Conversation(link, this.target, (bytes) => this.o.onProgress?.({ stage: 'receiving', bytes }), this.o.maxOutputBytes);
    try {
      const loggedIn = await reachShell(c, this.login, this.target, Math.max(30_000, this.o.connectTimeoutMs ?? 0), signal);
      this.o.onProgress?.({ stage: 'running' });
      try {
        const boundary = newBoundary();
        const script = buildConsoleScript(sel, boundary, { pauseAfterListing: this.o.pauseAfterListing });
        const run = await runScript(c, script, this.target, this.o.captureTimeoutMs ?? 300_000, signal);
        const read = this.read(run.text, run.status, boundary);
        const resends = this.o.resends ?? 3;
        for (let round = 1; round <= resends; round++) {
          const damaged = damagedKeys(read);
          if (damaged.length === 0 || damaged.includes('processes')) break;
          this.o.onNotice?.(`${damaged.join(', ')} did not match ${damaged.length === 1 ? 'its checksum' : 'their checksums'} (a noisy line?); asking for ${damaged.length === 1 ? 'it' : 'them'} again (${round} of ${resends})`);
          const b = newBoundary();
          const again = await runScript(c, buildResendScript(sel, b, damaged), this.target, this.o.captureTimeoutMs ?? 300_000, signal);
          replaceDamaged(read, this.read(again.text, again.status, b));
        }
        return this.finish(read, run.status, boundary, resends);
      } finally {
        await leave(c, loggedIn).catch(() => undefined);
      }
    } finally {
      link.close();
    }
  }

  private malformed(e: Error): CaptureError {
    return new CaptureError(`${this.target}: the console sent a damaged capture, so none of it was stored: ${e.message}`);
  }

  /** The checked sections of one run's output; ParseError for framing that names no section. */
  private read(text: string, status: string, boundary: string): CheckedRead {
    const header = `mapsdiff-capture 2 ${boundary}\n`;
    const at = text.indexOf(header);
    if (at === -1) {
      const said = text.replace(/[^\x20-\x7e\n]/g, '').trim().slice(-300);
      throw new CaptureError(`${this.target}: the capture script did not run (sh exit status ${status}${said ? `; it said: ${JSON.stringify(said)}` : ''}); nothing was stored`);
    }
    try {
      return readChecked(text.slice(at), boundary, `console ${this.from}`, digest);
    } catch (e) {
      throw e instanceof ParseError ? this.malformed(e) : e;
    }
  }

  private finish(read: CheckedRead, status: string, boundary: string, resends: number): RawCapture {
    let raw: RawCapture;
    try {
      raw = assembleChecked(read, boundary, `console ${this.from}`, { requireEnd: true }).raw;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      const damaged = damagedKeys(read);
      const asked = damaged.length && !damaged.includes('processes') ? ` (${damaged.join(', ')} asked for again ${resends} times)` : '';
      throw new CaptureError(`${this.target}: the console sent a damaged capture${asked}, so none of it was stored: ${e.message}`);
    }
    const decoded = fromLatin1(raw);
    const listed = decoded.sections.find((s) => s.name === 'processes');
    if (listed) {
      const names = [...new Set(listed.text.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1)))].sort().slice(0, 60);
      throw new CaptureError(`${this.target}: no process matched; running there: ${names.map((n) => JSON.stringify(n).slice(1, -1)).join(', ')}`);
    }
    return { ...decoded, remoteExit: { code: Number(status) } };
  }
}
