/*! The capture stream of docs/capture-format.md <-> RawCapture: splits the text behind
 * its boundary into sections, verbatim, and writes it back. Pure: no I/O, and it never
 * looks inside a section (the per-section parsers do that). */
import { ParseError } from '../errors.js';
import type { RawCapture, RawSection } from '../model/capture.js';
import { fail, lineOf, readSectionLine } from './capture-section.js';
import { parseFramedText } from './capture-framed.js';

const MAGIC = 'mapsdiff-capture';
const VERSION = '1';
/** Version 2 closes every section with its own line, and version 3 (version 4's base) adds
 * `cat` sections, several files in one: parse/capture-framed.ts. */
const FRAMED = '2';
const BATCHED = '3';
/** Version 4 is version 3 with a `session` line after the header (the shell's pid and its parent's). */
const SESSION = '4';
const BOUNDARY = /^[A-Za-z0-9_.@=+-]{6,64}$/;
const HEADER_EXAMPLE = `${MAGIC} ${VERSION} MAPSDIFF-SECTION`;

export interface CaptureTextOptions {
  /** A stream without `BOUNDARY end` was cut short: refuse it (the SSH collector does). */
  requireEnd?: boolean;
}

/** Split a capture stream into its sections. `source` names it in errors (a file, `ssh root@...`). */
export function parseCaptureText(text: string, source: string, opts: CaptureTextOptions = {}): RawCapture {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM from a Windows editor
  const { boundary, version } = readHeader(text, source);
  if (version === FRAMED || version === BATCHED || version === SESSION) return parseFramedText(text, boundary, source, opts, version !== FRAMED, version === SESSION);
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

/** The boundary and version from line 1, `mapsdiff-capture 1 BOUNDARY` (or 2, 3). */
function readHeader(text: string, source: string): { boundary: string; version: string } {
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
  if (words[1] !== VERSION && words[1] !== FRAMED && words[1] !== BATCHED && words[1] !== SESSION) {
    throw new ParseError(source, 1, line, `capture format version ${words[1]} is not supported (this mapsdiff reads versions ${VERSION}, ${FRAMED}, ${BATCHED} and ${SESSION})`, HEADER_EXAMPLE);
  }
  if (!BOUNDARY.test(words[2]!)) {
    throw new ParseError(source, 1, line, 'the boundary must be 6 to 64 characters from A-Z a-z 0-9 _ . @ = + -', HEADER_EXAMPLE);
  }
  return { boundary: words[2]!, version: words[1]! };
}
