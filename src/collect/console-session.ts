/*! One conversation with a console shell: reach a prompt (Ctrl-C and a newline for a console
 * left in the middle of something, `login:` and `Password:` answered when asked), turn echo
 * and output processing off (`stty -echo -opost`, and `clocal` so a reopened tty does not wait for carrier; the old settings kept in the shell and put
 * back), send the checked capture script as a here-document to `sh -s`, read its output up to
 * a marker the shell prints when it is done, then restore the terminal and log out if it
 * logged in. Kernel messages, echo, CR and `ESC[6n` queries (ignored) are tolerated around it.
 * A console that closes or goes silent fails with CaptureError: nothing is stored. What arrives
 * is kept as a list of chunks and each chunk is scanned once (a Scanner carries across chunk
 * boundaries what can span them): a capture of megabytes is read in linear time. */
import { randomBytes } from 'node:crypto';
import { CaptureError } from '../errors.js';
import type { Link } from './console-link.js';

export interface Login {
  user?: string;
  /** Asked only when the console says `Password:`; never kept. */
  password: () => Promise<string | null>;
}

/** Printk lines (`[  123.456] ...`) and terminal escapes, dropped before looking for prompts. */
const PRINTK = /^\s*(<\d>)?\[\s*\d+\.\d+\][^\n]*$/;
/** The end of a settled console: a login or password prompt, or a shell's prompt. */
const SETTLED = /(?:(?:login|password): *|[#$>%] +)$/i;
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g;

/** What `until` waits for, fed each chunk of text once, in order: `at` is where the chunk starts in
 * the text received since the last take(), and `text()` all of it (joined on demand: only when
 * found). Returns a value, or null to wait for more; it keeps its own state between chunks. */
export type Scanner<T> = (chunk: string, at: number, text: () => string) => T | null;

export class Conversation {
  /** Received since the last take(), in chunks (joined only when asked for: a join per chunk would copy it all again). */
  private chunks: string[] = [];
  private closed: string | null = null;
  private wake: (() => void) | null = null;
  received = 0;

  /** `maxBytes`: all a console may send in one conversation (the target's "maxOutput"); past it
   * the link is closed, as an SSH capture's output is cut, and the capture fails. */
  constructor(private readonly link: Link, private readonly label: string, private readonly onBytes?: (n: number) => void,
    private readonly maxBytes = 64 * 1024 * 1024, private readonly examined?: (chars: number) => void) {
    link.onData((b) => {
      if (this.closed) return;
      if (this.received + b.length > maxBytes) {
        const size = maxBytes % (1 << 20) === 0 ? `${maxBytes / (1 << 20)} MiB` : `${maxBytes} bytes`;
        this.closed = `the console sent more than ${size} (the target's "maxOutput", 64 MiB unless set), so the link was closed`;
        link.close();
        this.wake?.();
        return;
      }
      const s = b.toString('latin1');
      // BusyBox's line editing asks where the cursor is (ESC[6n) but does not wait for the
      // answer; an answer that arrives after echo is off would be read as a command: ignored
      this.chunks.push(s);
      this.received += b.length;
      this.onBytes?.(this.received);
      this.wake?.();
    });
    link.onClose((why) => { this.closed ??= why; this.wake?.(); });
  }

  send(text: string): void {
    if (this.closed) throw this.dropped();
    this.link.write(Buffer.from(text.replaceAll('\n', this.link.eol), 'latin1'));
  }

  /** Everything received since the last take(), and forget it. */
  take(): string {
    const s = this.text();
    this.chunks = [];
    return s;
  }

  /** Everything received since the last take(), as one string (kept as one chunk from then on). */
  private text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  /**
   * Waits until the test gives a value, the link closes, or `ms` pass (null). A Scanner (`scan`) is
   * fed each chunk once; a plain test (`(buf) => ...`) is given the whole text on every chunk, so
   * it is only for short exchanges (a prompt), never for a capture's output.
   */
  async until<T>(test: ((buf: string) => T | null) | { scan: Scanner<T> }, ms: number, signal?: AbortSignal): Promise<T | null> {
    const deadline = Date.now() + ms;
    let fed = 0; // chunks the scanner was given
    let at = 0; // where the next one starts
    let found = false;
    const text = () => { found = true; return this.text(); }; // joins the chunks: only once it found
    for (;;) {
      let got: T | null = null;
      if (typeof test === 'function') {
        const all = this.text();
        this.examined?.(all.length);
        got = test(all);
      } else {
        for (; got === null && fed < this.chunks.length; fed++) {
          const chunk = this.chunks[fed]!;
          this.examined?.(chunk.length);
          got = test.scan(chunk, at, text);
          if (found && got === null) throw new Error('a Scanner asked for the text and found nothing'); // its chunks were joined under it
          at += chunk.length;
        }
      }
      if (got !== null) return got;
      if (this.closed) throw this.dropped();
      if (signal?.aborted) throw new CaptureError(`${this.label}: interrupted; nothing was stored`);
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.min(left, 250));
        this.wake = () => { clearTimeout(t); res(); };
      });
      this.wake = null;
    }
  }

  private dropped(): CaptureError {
    return new CaptureError(`${this.label}: ${this.closed} mid-capture after ${this.received} bytes; nothing was stored`);
  }
}

/** What the console shows, with escapes, CRs and kernel messages removed. */
export function screen(buf: string): string {
  return buf.replace(ESCAPES, '').split('\n').filter((l) => !PRINTK.test(l)).join('\n');
}

const token = () => 'md' + randomBytes(6).toString('hex');
/** A command whose output (`mdTOKEN.`) differs from its echo, so seeing it means the shell ran it. */
const probe = (t: string, extra = '') => `printf '%s.%s\\n' ${t} "${extra}"\n`;
/**
 * A scanner for what a probe prints, `TOKEN.VALUE` then a line end, as the pattern
 * /TOKEN\.([^\r\n]*)\r?\n/ finds it (the first such), fed chunk by chunk: each character is
 * looked at once, and what can span a chunk boundary (a token cut in two, a value still
 * arriving, a CR whose LF is in the next chunk) is carried over. `start`/`end` are offsets in
 * the text; `examined` counts the characters it looked at.
 */
export function answerScanner(t: string, examined?: (chars: number) => void): Scanner<{ start: number; value: string; end: number }> {
  const mark = t + '.';
  let tail = ''; // the last mark.length - 1 characters, while no candidate is open: a mark may go on in the next chunk
  let cand = -1; // where an open candidate (a mark whose line has not ended) starts
  let crAt = -1; // the CR right after the open candidate's value, when the chunk ended on it
  return (chunk, at, text) => {
    const open = cand >= 0;
    const s = open ? chunk : tail + chunk;
    const base = open ? at : at - tail.length;
    examined?.(s.length);
    const found = (valueEnd: number, end: number) => ({ start: cand, value: text().slice(cand + mark.length, valueEnd), end });
    let i = 0;
    for (;;) {
      if (cand < 0) {
        const p = s.indexOf(mark, i);
        if (p < 0) {
          tail = s.slice(Math.max(i, s.length - (mark.length - 1)));
          return null;
        }
        cand = base + p;
        i = p + mark.length;
      }
      if (crAt >= 0) { // the CR ended the last chunk: an LF now ends the answer, anything else ends the candidate
        if (i >= s.length) return null;
        if (s[i] === '\n') return found(crAt, base + i + 1);
        cand = crAt = -1;
        continue;
      }
      let q = i;
      while (q < s.length && s[q] !== '\r' && s[q] !== '\n') q++;
      if (q === s.length) { tail = ''; return null; } // the value goes on in the next chunk
      if (s[q] === '\n') return found(base + q, base + q + 1);
      if (q + 1 === s.length) { crAt = base + q; return null; }
      if (s[q + 1] === '\n') return found(base + q, base + q + 2);
      cand = -1; // a bare CR: no answer here ([^\r\n]* cannot cross it); look on after it
      i = q + 1;
    }
  };
}

/** `answerScanner` for `until`: the text before the answer, and its value. */
const answered = (t: string) => {
  const scan = answerScanner(t);
  return { scan: (chunk: string, at: number, text: () => string) => {
    const got = scan(chunk, at, text);
    return got ? { before: text().slice(0, got.start), value: got.value } : null;
  } };
};

/** Reaches a shell prompt; returns whether it logged in (then it logs out at the end). */
export async function reachShell(c: Conversation, login: Login, label: string, ms: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + ms;
  let loggedIn = false;
  let sentPassword = false;
  let round = 0;
  // a newline first: a Ctrl-C at a login prompt ends that login (telnetd closes the session)
  c.send('\n');
  while (Date.now() < deadline) {
    // let the console settle (a login prompt, a banner, the answer to Ctrl-C): up to 1.5 s, or
    // until the screen ends in a login prompt or what looks like a shell's (`# `, `$ `, `> `, `% `),
    // when the probe goes at once (waiting out the 1.5 s after every password took half of a
    // console capture); a prompt that was not one leaves the probe unanswered, and the next round asks again
    await c.until((b) => (SETTLED.test(screen(b).trimEnd() + ' ') ? true : null), 1500, signal);
    const shown = screen(c.take());
    if (/login incorrect|authentication fail|access denied/i.test(shown) && sentPassword) {
      throw new CaptureError(`${label}: the console refused the login${login.user ? ` as ${login.user}` : ''} (wrong password?); nothing was stored`);
    }
    const last = shown.trimEnd();
    if (/password: *$/i.test(last)) {
      if (!loggedIn) { c.send('\n'); continue; } // our probe was taken for a user name
      // login turns echo off and flushes input after printing the prompt: let it, so the password is neither echoed nor lost
      await c.until(() => null, 400, signal);
      const pw = await login.password();
      if (pw === null) throw new CaptureError(`${label}: the console asks for a password; set MAPSDIFF_PASSWORD, give the target file a "passwordCommand", or run on a terminal to be asked; nothing was stored`);
      c.send(pw + '\n');
      sentPassword = true;
      continue;
    }
    if (/login: *$/i.test(last)) {
      if (!login.user) throw new CaptureError(`${label}: the console asks for a login; give a user (telnet://root@host, or "user" in the target file); nothing was stored`);
      c.send(login.user + '\n');
      loggedIn = true;
      continue;
    }
    // a console left in the middle of something: interrupt it, then ask again
    if (round++ > 0) c.send('\x03\n');
    const t = token();
    c.send(probe(t));
    const got = await c.until(answered(t), 3000, signal);
    if (got) { c.take(); return loggedIn; }
  }
  throw new CaptureError(`${label}: no shell prompt on the console within ${ms / 1000} s (it shows: ${JSON.stringify(screen(c.take()).slice(-200))}); nothing was stored`);
}

export interface ScriptRun {
  /** The script's output, as sent (latin1). */
  text: string;
  /** The exit status of `sh -s`. */
  status: string;
}

/** Echo and output processing off (the settings kept in md_s), the script run, status returned. */
export async function runScript(c: Conversation, script: string, label: string, ms: number, signal?: AbortSignal): Promise<ScriptRun> {
  const quiet = token();
  c.send(` : "\${md_s:=$(stty -g 2>/dev/null)}"; stty -echo -opost clocal 2>/dev/null; ${probe(quiet)}`);
  if (!(await c.until(answered(quiet), 10_000, signal))) throw new CaptureError(`${label}: the shell did not answer after stty; nothing was stored`);
  c.take();
  const eof = 'MAPSDIFF_EOF_' + randomBytes(8).toString('hex');
  const done = token();
  // a here-document: the interactive shell reads the lines (no echo now), sh -s runs them with
  // its stdin a pipe, so nothing typed ahead (the done marker) is eaten by the script
  c.send(`sh -s <<'${eof}'\n${script.endsWith('\n') ? script : script + '\n'}${eof}\n${probe(done, '$?')}`);
  const got = await c.until(answered(done), ms, signal);
  if (!got) throw new CaptureError(`${label}: the capture did not finish within ${ms / 1000} s; nothing was stored`);
  c.take();
  return { text: got.before, status: got.value };
}

/** Terminal settings back, our variable gone, and logged out when we logged in. */
export async function leave(c: Conversation, loggedIn: boolean): Promise<void> {
  const back = token();
  c.send(` stty "$md_s" 2>/dev/null; unset md_s; ${probe(back)}`);
  await c.until(answered(back), 5000);
  if (!loggedIn) return;
  c.take();
  c.send('exit\n');
  // logged out when the login prompt is back (a serial getty) or the server closes (telnet)
  await c.until((b) => (/login: *$/i.test(screen(b).trimEnd() + ' ') ? true : null), 5000).catch(() => undefined);
}
