/*! The capture stream of docs/capture-format.md <-> RawCapture: splits the text behind
 * its boundary into sections, verbatim, and writes it back. Pure: no I/O, and it never
 * looks inside a section (the per-section parsers do that). */
import { ParseError } from '../errors.js';
import type { RawCapture, RawSection, SectionName, SectionStatus } from '../model/capture.js';

const MAGIC = 'mapsdiff-capture';
const VERSION = '1';
const BOUNDARY = /^[A-Za-z0-9_.@=+-]{6,64}$/;
const GLOBAL: ReadonlySet<string> = new Set(['uname', 'uptime', 'ulimit-s', 'meminfo', 'processes', 'boot_id']);
const PER_PID: ReadonlySet<string> = new Set(['stat', 'status', 'limits', 'maps', 'smaps', 'smaps_rollup', 'cmdline']);
const HEADER_EXAMPLE = `${MAGIC} ${VERSION} MAPSDIFF-SECTION`;

export interface CaptureTextOptions {
  /** A stream without `BOUNDARY end` was cut short: refuse it (the SSH collector does). */
  requireEnd?: boolean;
}

/** Split a capture stream into its sections. `source` names it in errors (a file, `ssh root@...`). */
export function parseCaptureText(text: string, source: string, opts: CaptureTextOptions = {}): RawCapture {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM from a Windows editor
  const boundary = readHeader(text, source);
  const marker = boundary + ' ';
  const sections: RawSection[] = [];
  const seen = new Set<string>();
  const headerEnd = text.indexOf('\n');
  let pos = headerEnd === -1 ? text.length : headerEnd + 1;
  let open: { section: RawSection; textStart: number } | null = null;
  for (;;) {
    const at = text.indexOf(marker, pos);
    const stop = at === -1 ? text.length : at;
    if (open) open.section.text = text.slice(open.textStart, stop);
    else if (text.slice(pos, stop).trim() !== '') {
      throw fail(text, source, pos, 'text before the first section line', `${boundary} uname`);
    }
    if (at === -1) break;
    const nl = text.indexOf('\n', at);
    const lineEnd = nl === -1 ? text.length : nl;
    let words = text.slice(at + marker.length, lineEnd);
    if (words.endsWith('\r')) words = words.slice(0, -1);
    if (words === 'end') {
      if (text.indexOf(marker, lineEnd) !== -1) {
        throw fail(text, source, text.indexOf(marker, lineEnd), 'a section after the `end` line (two captures in one file?)', `${boundary} end`);
      }
      return { sections }; // what follows `end` (a console prompt) is not part of the capture
    }
    const section = readSectionLine(words, boundary, text, source, at);
    const key = `${section.pid ?? ''} ${section.name}`;
    if (seen.has(key)) throw fail(text, source, at, 'this section appears twice in the capture', `${boundary} pid 412 maps`);
    seen.add(key);
    sections.push(section);
    open = { section, textStart: nl === -1 ? text.length : nl + 1 };
    pos = open.textStart;
  }
  if (opts.requireEnd) {
    throw fail(text, source, Math.max(0, text.lastIndexOf('\n', text.length - 2) + 1),
      `the capture was cut short: it has no \`${boundary} end\` line (connection dropped or command killed?)`,
      `${boundary} end`);
  }
  return { sections };
}

/** Write a capture in the stream format; `parseCaptureText` reads it back to the same sections. */
export function formatCaptureText(raw: RawCapture, boundary: string): string {
  if (!BOUNDARY.test(boundary)) throw new Error(`bad capture boundary ${JSON.stringify(boundary)}`);
  const parts: string[] = [`${MAGIC} ${VERSION} ${boundary}\n`];
  for (const s of raw.sections) {
    // a collector bug, not a user's mistake: the boundary must never occur in a section
    if (s.text.includes(boundary)) throw new Error(`the boundary ${boundary} occurs in section ${s.name}; draw another`);
    const pid = s.pid === undefined ? '' : `pid ${s.pid} `;
    const status = s.status === 'ok' ? '' : ` ${s.status}`;
    parts.push(`${boundary} ${pid}${s.name}${status}\n`, s.text);
  }
  parts.push(`${boundary} end\n`);
  return parts.join('');
}

/** The boundary from line 1, `mapsdiff-capture 1 BOUNDARY`. */
function readHeader(text: string, source: string): string {
  const nl = text.indexOf('\n');
  let line = nl === -1 ? text : text.slice(0, nl);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const words = line.split(' ');
  if (words[0] !== MAGIC || words.length !== 3) {
    const later = text.indexOf('\n' + MAGIC + ' ');
    const problem = later === -1
      ? `not a mapsdiff capture: line 1 must be \`${MAGIC} ${VERSION} BOUNDARY\``
      : `the capture header is on line ${lineOf(text, later + 1)}, not line 1: remove the lines above it (a console prompt?)`;
    throw new ParseError(source, 1, line, problem, HEADER_EXAMPLE);
  }
  if (words[1] !== VERSION) {
    throw new ParseError(source, 1, line, `capture format version ${words[1]} is not supported (this mapsdiff reads version ${VERSION})`, HEADER_EXAMPLE);
  }
  if (!BOUNDARY.test(words[2]!)) {
    throw new ParseError(source, 1, line, 'the boundary must be 6 to 64 characters from A-Z a-z 0-9 _ . @ = + -', HEADER_EXAMPLE);
  }
  return words[2]!;
}

/** `NAME [missing|gone|denied]` or `pid PID NAME [missing|gone|denied]` (the words after the boundary). */
function readSectionLine(words: string, boundary: string, text: string, source: string, at: number): RawSection {
  const w = words.split(' ');
  let pid: number | undefined;
  if (w[0] === 'pid') {
    if (!/^[0-9]{1,10}$/.test(w[1] ?? '')) throw fail(text, source, at, 'a per-process section needs a decimal pid', `${boundary} pid 412 maps`);
    pid = Number(w[1]);
    w.splice(0, 2);
  }
  let status: SectionStatus = 'ok';
  if (w.length === 2 && (w[1] === 'missing' || w[1] === 'gone' || w[1] === 'denied')) status = w.pop() as SectionStatus;
  const name = w[0] ?? '';
  if (w.length !== 1 || !(GLOBAL.has(name) || PER_PID.has(name))) {
    throw fail(text, source, at, 'not a section line: unknown section name or extra words', `${boundary} pid 412 maps`);
  }
  if (pid === undefined && PER_PID.has(name)) throw fail(text, source, at, `section ${name} needs a pid`, `${boundary} pid 412 ${name}`);
  if (pid !== undefined && GLOBAL.has(name)) throw fail(text, source, at, `section ${name} is not per process`, `${boundary} ${name}`);
  const section: RawSection = { name: name as SectionName, status, text: '' };
  if (pid !== undefined) section.pid = pid;
  return section;
}

/** A ParseError for the line holding offset `at`. */
function fail(text: string, source: string, at: number, problem: string, example: string): ParseError {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  const line = text.slice(start, nl === -1 ? text.length : nl).replace(/\r$/, '');
  return new ParseError(source, lineOf(text, at), line, problem, example);
}

/** 1-based line number of offset `at` (only computed on errors). */
function lineOf(text: string, at: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
