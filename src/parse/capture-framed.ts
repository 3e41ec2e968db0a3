/*! Versions 2 and 3 of the capture stream (docs/capture-format.md): a boundary line counts
 * only at the start of a line, every section that has text is closed by a line naming it again
 * (`... ok` or `... gone`), and stat and cmdline sent alone travel with their newlines as 0x01.
 * Version 3 (the SSH collector's) adds the `cat` section: several processes' small files read
 * by one `cat`, split by parse/capture-batch.ts. Framing that does not add up (a section left
 * open, closed by another section's line, a boundary line inside a section's text, text between
 * sections, a section twice, anything after `end`) refuses the whole stream. Pure: no I/O. */
import type { RawCapture, RawSection } from '../model/capture.js';
import type { CaptureTextOptions } from './capture.js';
import { readBatchWord, splitBatch, type BatchEntry } from './capture-batch.js';
import { isKernelThreadStat } from './stat.js';
import { fail, readSectionLine } from './capture-section.js';

/** Sections whose text a process chooses (comm in stat, its argv in cmdline): sent through
 * `tr '\n' '\001'`, so none of their bytes can start a line. */
export const ONE_LINE: ReadonlySet<string> = new Set(['stat', 'cmdline']);

/** `batched`: the stream is version 3 or 4, whose `cat` sections version 2 does not have;
 * `withSession`: version 4, whose first line after the header is `BOUNDARY session SHELL PARENT`. */
export function parseFramedText(text: string, boundary: string, source: string, opts: CaptureTextOptions = {}, batched = false, withSession = false): RawCapture {
  const lead = boundary + ' ';
  const marker = '\n' + lead;
  const sections: RawSection[] = [];
  const seen = new Set<string>();
  const headerEnd = text.indexOf('\n');
  let pos = headerEnd === -1 ? text.length : headerEnd + 1; // start of the next line, between sections
  let session: RawCapture['session'];
  if (withSession) {
    const { words, next } = text.startsWith(lead, pos) ? lineAt(text, pos + lead.length) : { words: '', next: pos };
    const m = /^session ([0-9]{1,10}) ([0-9]{1,10})$/.exec(words);
    if (!m) throw fail(text, source, pos, 'a version 4 capture starts with its session line (the remote shell\'s pid and its parent\'s)', `${boundary} session 4120 4119`);
    session = { shell: Number(m[1]), parent: Number(m[2]) };
    pos = next;
  }
  while (pos < text.length) {
    if (!text.startsWith(lead, pos)) {
      if (text.slice(pos).trim() === '') break;
      throw fail(text, source, pos, 'text outside any section: a section\'s text must be closed by its own line', `${boundary} pid 412 maps ok`);
    }
    const { words, next } = lineAt(text, pos + lead.length);
    if (words === 'end') {
      const after = text.indexOf(marker, next - 1);
      if (after !== -1) throw fail(text, source, after + 1, 'a section after the `end` line', `${boundary} end`);
      return session ? { sections, session } : { sections };
    }
    if (batched && (words === 'cat' || words.startsWith('cat '))) {
      pos = readBatch(text, boundary, source, pos, words, next, sections, seen);
      continue;
    }
    if (words.endsWith(' ok')) throw fail(text, source, pos, 'a closing line for a section that is not open: the framing does not add up', `${boundary} pid 412 maps`);
    const section = readSectionLine(words, boundary, text, source, pos);
    const key = `${section.pid ?? ''} ${section.name}`;
    if (seen.has(key)) throw fail(text, source, pos, 'this section appears twice in the capture', `${boundary} pid 412 maps`);
    seen.add(key);
    sections.push(section);
    if (section.status !== 'ok') { // a one-line section: missing, denied, gone before it was opened
      pos = next;
      continue;
    }
    if (next > text.length) throw fail(text, source, pos, `the capture was cut short inside section ${words}`, `${boundary} ${words} ok`);
    // the closing line: the next boundary line; the newline before it was added by the collector
    const at = text.indexOf(marker, next - 1);
    if (at === -1) throw fail(text, source, pos, `section ${words} is never closed (the capture was cut short?)`, `${boundary} ${words} ok`);
    if (at < next) throw fail(text, source, next, `section ${words} holds a boundary line in its text`, `${boundary} ${words} ok`);
    const close = lineAt(text, at + 1 + lead.length);
    if (close.words !== `${words} ok` && close.words !== `${words} gone`) {
      throw fail(text, source, at + 1, `section ${words} is closed by a line that is not its own: the framing does not add up`, `${boundary} ${words} ok`);
    }
    const body = text.slice(next, at);
    section.text = ONE_LINE.has(section.name) ? body.replaceAll('\x01', '\n') : body;
    if (close.words.endsWith(' gone')) section.status = 'gone';
    pos = close.next;
  }
  if (opts.requireEnd) {
    throw fail(text, source, Math.max(0, text.lastIndexOf('\n', text.length - 2) + 1),
      `the capture was cut short: it has no \`${boundary} end\` line (connection dropped or command killed?)`, `${boundary} end`);
  }
  return session ? { sections, session } : { sections };
}

/** The `cat` section whose line (`words`) is at `at`, its text from `next`: its files pushed to
 * `sections` (each `gone` when its process is in the closing line's `gone` list); returns where
 * the line after its closing line starts. */
function readBatch(text: string, boundary: string, source: string, at: number, words: string, next: number, sections: RawSection[], seen: Set<string>): number {
  const example = `${boundary} cat 412:stlrm 415:stlrm`;
  const entries: BatchEntry[] = [];
  // what each word names, looked up, not searched for among the words before it: a hostile
  // board's line of a million words was a trillion comparisons
  const named = new Set<number | string>();
  for (const w of words.split(' ').slice(1)) {
    const e = readBatchWord(w);
    if (!e) throw fail(text, source, at, `\`${w}\` is neither PID:FILES (FILES letters of s t l r m, in that order) nor a board-wide file (meminfo, mounts, ...)`, example);
    const what = e.pid ?? e.files[0]!;
    if (named.has(what)) throw fail(text, source, at, `${w} is named twice in this \`cat\` section`, example);
    named.add(what);
    entries.push(e);
  }
  if (!entries.length) throw fail(text, source, at, 'a `cat` section names no process', example);
  const marker = '\n' + boundary + ' ';
  const close = text.indexOf(marker, next - 1);
  if (next > text.length || close === -1) throw fail(text, source, at, 'this `cat` section is never closed (the capture was cut short?)', `${boundary} cat ok`);
  if (close < next) throw fail(text, source, next, 'this `cat` section holds a boundary line in its text', `${boundary} cat ok`);
  const end = lineAt(text, close + 1 + boundary.length + 1);
  const cw = end.words.split(' ');
  const gone = new Set(cw.slice(2).map(Number));
  if (cw[0] !== 'cat' || !(end.words === 'cat ok' || (cw[1] === 'gone' && cw.length > 2 && cw.slice(2).every((p) => /^[0-9]{1,10}$/.test(p) && named.has(Number(p)))))) {
    throw fail(text, source, close + 1, 'this `cat` section is closed by a line that is not its own (`cat ok`, or `cat gone` and pids it names): the framing does not add up', `${boundary} cat ok`);
  }
  let files;
  try {
    files = splitBatch(text.slice(next, close), entries);
  } catch (e) {
    throw fail(text, source, at, `the text of this \`cat\` section is not the files it names: ${(e as Error).message}`, example);
  }
  const exiting = readAsExiting(files);
  for (const f of files) {
    const key = `${f.pid ?? ''} ${f.name}`;
    if (seen.has(key)) throw fail(text, source, at, `${f.pid === undefined ? '' : `pid ${f.pid} `}${f.name} appears twice in the capture`, example);
    seen.add(key);
    const section: RawSection = { name: f.name, status: f.pid !== undefined && (gone.has(f.pid) || exiting.has(f.pid)) ? 'gone' : 'ok', text: f.text };
    if (f.pid !== undefined) section.pid = f.pid;
    sections.push(section);
  }
  return end.next;
}

/** The pids whose files one `cat` read as the process exited, though the shell's check after the
 * cat still found it: a stat that came back empty (the task was gone), or an empty smaps_rollup
 * or maps of a process whose stat is not a kernel thread's. A user process's mm goes only in
 * do_exit (exit_mm; exec swaps the old mm for the new one at once), and exit_mm runs before
 * exit_fs, so /proc/PID/cwd (the shell's liveness check) still resolves for a moment after; a
 * live user process always has a VMA (its stack). Kernel threads have no mm at all. */
function readAsExiting(files: { pid?: number; name: string; text: string }[]): Set<number> {
  const stat = new Map<number, string>();
  for (const f of files) if (f.pid !== undefined && f.name === 'stat') stat.set(f.pid, f.text);
  const out = new Set<number>();
  for (const f of files) {
    if (f.pid === undefined || f.text !== '') continue;
    const st = stat.get(f.pid);
    if (f.name === 'stat') out.add(f.pid);
    else if ((f.name === 'smaps_rollup' || f.name === 'maps') && st && !isKernelThreadStat(st)) out.add(f.pid);
  }
  return out;
}

/** The words of the line from `at` (a trailing CR dropped) and where the line after it starts
 * (text.length + 1 when the line has no newline). */
function lineAt(text: string, at: number): { words: string; next: number } {
  const nl = text.indexOf('\n', at);
  const end = nl === -1 ? text.length : nl;
  const words = text.slice(at, end);
  return { words: words.endsWith('\r') ? words.slice(0, -1) : words, next: end + 1 };
}

/** Write a capture as version 2; `parseFramedText` reads it back to the same sections (stat and
 * cmdline must then hold no 0x01 byte). */
export function formatFramedText(raw: RawCapture, boundary: string): string {
  const parts: string[] = [`mapsdiff-capture 2 ${boundary}\n`];
  for (const s of raw.sections) {
    const words = `${s.pid === undefined ? '' : `pid ${s.pid} `}${s.name}`;
    if (s.status !== 'ok' && s.status !== 'gone') {
      parts.push(`${boundary} ${words} ${s.status}\n`);
      continue;
    }
    const body = ONE_LINE.has(s.name) ? s.text.replaceAll('\n', '\x01') : s.text;
    if (('\n' + body).includes('\n' + boundary + ' ')) throw new Error(`section ${words} holds a boundary line; draw another boundary`);
    parts.push(`${boundary} ${words}\n`, body, '\n', `${boundary} ${words} ${s.status}\n`);
  }
  parts.push(`${boundary} end\n`);
  return parts.join('');
}
