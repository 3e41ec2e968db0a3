/*! A capture through a console shell (telnet://, serial+tcp://, serial:): log in or find the
 * prompt (console-session.ts), run the checked capture script (console-script.ts), and keep
 * the stream only when every section's sum and the framing hold (parse/capture-checked.ts).
 * A sum that fails (a noisy line) is asked for again once, with a fresh boundary; a second
 * failure, a dropped link or a silent console stores nothing (CaptureError, exit 3). */
import { CaptureError, ParseError } from '../errors.js';
import type { RawCapture } from '../model/capture.js';
import { parseCheckedText } from '../parse/capture-checked.js';
import { fromLatin1 } from './bytes.js';
import { buildConsoleScript } from './console-script.js';
import { openLink, type ConsoleAddress } from './console-link.js';
import { Conversation, leave, reachShell, runScript, type Login } from './console-session.js';
import { newBoundary } from './remote-script.js';
import { latin1Digest as digest } from './sums.js';
import type { Selection, Source } from './source.js';
import type { SshProgress } from './ssh.js';

export interface ConsoleOptions {
  connectTimeoutMs?: number;
  captureTimeoutMs?: number;
  /** Tries of the whole capture when a section's sum fails (default 2). */
  tries?: number;
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
    const c = new Conversation(link, this.target, (bytes) => this.o.onProgress?.({ stage: 'receiving', bytes }));
    try {
      const loggedIn = await reachShell(c, this.login, this.target, Math.max(30_000, this.o.connectTimeoutMs ?? 0), signal);
      this.o.onProgress?.({ stage: 'running' });
      let last: Error | null = null;
      try {
        for (let i = 0; i < (this.o.tries ?? 2); i++) {
          const boundary = newBoundary();
          const script = buildConsoleScript(sel, boundary, { pauseAfterListing: this.o.pauseAfterListing });
          const run = await runScript(c, script, this.target, this.o.captureTimeoutMs ?? 300_000, signal);
          try {
            return this.split(run.text, run.status, boundary);
          } catch (e) {
            if (!(e instanceof ParseError) || !/checksum/.test(e.message)) throw e instanceof ParseError ? this.malformed(e) : e;
            last = e;
          }
        }
      } finally {
        await leave(c, loggedIn).catch(() => undefined);
      }
      throw this.malformed(last!);
    } finally {
      link.close();
    }
  }

  private malformed(e: Error): CaptureError {
    return new CaptureError(`${this.target}: the console sent a damaged capture, so none of it was stored: ${e.message}`);
  }

  private split(text: string, status: string, boundary: string): RawCapture {
    const header = `mapsdiff-capture 2 ${boundary}\n`;
    const at = text.indexOf(header);
    if (at === -1) {
      const said = text.replace(/[^\x20-\x7e\n]/g, '').trim().slice(-300);
      throw new CaptureError(`${this.target}: the capture script did not run (sh exit status ${status}${said ? `; it said: ${JSON.stringify(said)}` : ''}); nothing was stored`);
    }
    const { raw } = parseCheckedText(text.slice(at), boundary, `console ${this.from}`, (k, b) => digest(k, b), { requireEnd: true });
    const decoded = fromLatin1(raw);
    const listed = decoded.sections.find((s) => s.name === 'processes');
    if (listed) {
      const names = [...new Set(listed.text.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1)))].sort().slice(0, 60);
      throw new CaptureError(`${this.target}: no process matched; running there: ${names.map((n) => JSON.stringify(n).slice(1, -1)).join(', ')}`);
    }
    return { ...decoded, remoteExit: { code: Number(status) } };
  }
}
