/*! What every SSH transport does with the remote command's output: find the capture in it,
 * check its framing, and split it into sections (parse/capture.ts, format 4), or refuse the
 * whole stream. Shared by every transport that runs remote-script.ts's script (ssh2 here,
 * an OpenSSH binary elsewhere), so all of them verify the stream alike. */
import { CaptureError, ParseError } from '../errors.js';
import type { RawCapture, RemoteExit } from '../model/capture.js';
import { parseCaptureText } from '../parse/capture.js';
import { withoutSession } from '../parse/capture-session.js';
import { fromLatin1 } from './bytes.js';
import { namesWithPids } from './select.js';

/** The remote command's output as received, each byte one latin1 character. */
export interface RemoteRun {
  text: string;
  bytes: number;
  /** The first 2000 characters of its stderr. */
  stderr: string;
  /** Absent when the connection dropped before the server said how the command ended. */
  exit?: RemoteExit;
}

/** The stream as sections, the capture's own session taken out (parse/capture-session.ts); a
 * stream cut short, badly framed, or with `processes` (nothing matched) throws CaptureError, so
 * nothing is stored. `target` and `from` name it in messages. */
export function captureFromRun(run: RemoteRun, boundary: string, target: string, from: string): RawCapture {
  const header = `mapsdiff-capture 4 ${boundary}\n`;
  const at = run.text.indexOf(header);
  // a login shell may print before the script starts (a noisy .bashrc): that is not the board's data
  const text = at > 0 ? run.text.slice(at) : run.text;
  if (at === -1 || !text.includes(`\n${boundary} end`)) {
    const err = run.stderr.trim() ? `; it said: ${JSON.stringify(run.stderr.trim().slice(0, 300))}` : '';
    throw new CaptureError(`${target}: the capture was cut short after ${run.bytes} bytes (${describeExit(run.exit)}${err}); nothing was stored`);
  }
  let raw: RawCapture;
  try {
    // parsed byte for byte (latin1), then each section decoded: no byte the board sent is lost
    raw = fromLatin1(withoutSession(parseCaptureText(text, `ssh ${from}`, { requireEnd: true })));
  } catch (e) {
    if (e instanceof ParseError) throw new CaptureError(`${target}: the board sent a malformed capture, so none of it was stored: ${e.message}`);
    throw e;
  }
  const listed = raw.sections.find((s) => s.name === 'processes');
  if (listed) throw new CaptureError(`${target}: no process matched; running there: ${processNames(listed.text)}`);
  return run.exit ? { ...raw, remoteExit: run.exit } : raw;
}

/** `exit status 3`, `killed by SIGTERM`, or that there was none. */
export function describeExit(exit: RemoteExit | undefined): string {
  if (!exit) return 'no exit status: the connection dropped';
  return exit.signal ? `killed by SIG${exit.signal.replace(/^SIG/, '')}` : `exit status ${exit.code}`;
}

/** `pid comm` lines -> the distinct names, each with its pids by number (1, 98, 100: the
 * shell's glob lists them as strings), capped. */
function processNames(text: string): string {
  const byName = new Map<string, number[]>();
  for (const l of text.split('\n')) {
    if (!l) continue;
    const name = l.slice(l.indexOf(' ') + 1);
    const pids = byName.get(name) ?? [];
    pids.push(Number.parseInt(l, 10));
    byName.set(name, pids);
  }
  return namesWithPids(byName, 60);
}
