/*! Capture format 2 with a checksum on every closing line (docs/capture-format.md, "Checked
 * sections"), the form a console capture sends: `BOUNDARY pid 412 maps ok md5 HEX` or
 * `... ok cksum CRC LENGTH`. Every section's text is checked against its sum, text between
 * sections (kernel messages on a console, a prompt) is dropped as noise, and what is left is
 * handed to the format 2 reader for its framing rules. A section whose sum fails (or whose
 * opening or closing line was hit) is marked damaged, so a console can ask for it alone again
 * (replaceDamaged); a stream still holding one, a section left open, a closing line without
 * a sum: the whole stream is refused. Pure: the digest is passed in. */
import type { RawCapture } from '../model/capture.js';
import type { CaptureTextOptions } from './capture.js';
import { parseFramedText } from './capture-framed.js';
import { fail, readSectionLine } from './capture-section.js';

export type SumKind = 'md5' | 'cksum';
/** The sum as the board prints it for `body` (bytes as latin1 characters): md5 -> 32 hex
 * digits; cksum -> `CRC LENGTH` (POSIX cksum). */
export type Digest = (kind: SumKind, body: string) => string;

const CLOSE = /^(.*) (ok|gone) (md5 ([0-9a-f]{32})|cksum ([0-9]{1,10} [0-9]{1,20}))$/;

export interface CheckedCapture {
  raw: RawCapture;
  /** Lines outside every section that were dropped (kernel messages, prompts, echo). */
  noiseLines: number;
}

/** True when the stream's closing lines carry sums: read it with parseCheckedText. */
export function hasSums(text: string, boundary: string): boolean {
  const lead = '\n' + boundary + ' ';
  for (let at = text.indexOf(lead); at !== -1; at = text.indexOf(lead, at + 1)) {
    const nl = text.indexOf('\n', at + 1);
    if (CLOSE.test(text.slice(at + lead.length, nl === -1 ? text.length : nl).replace(/\r$/, ''))) return true;
  }
  return false;
}

/** One section line of a checked stream, with its text when it has one. */
export interface CheckedPiece {
  /** The section, without a status word: `pid 412 maps`, `meminfo`. */
  key: string;
  /** The section line's words: `pid 412 maps`, or `pid 412 maps gone` for a line without text. */
  words: string;
  /** For a section with text: how it was closed, and its text (without the newline before the closing line). */
  close?: 'ok' | 'gone';
  body?: string;
  /** Why the section cannot be kept as received (its sum failed, its section line was hit):
   * the section is to be asked for again, or the stream refused. */
  damaged?: Error;
}

export interface CheckedRead {
  pieces: CheckedPiece[];
  ended: boolean;
  noiseLines: number;
  /** Where the stream was cut, for the error when `end` is required and missing. */
  cutAt: number;
  text: string;
}

const keyOf = (words: string) => words.replace(/ (missing|gone|denied)$/, '');

/** Reads a checked stream (`text` starts with the format 2 header line) into its sections,
 * checking every sum. A section whose text fails its sum, or whose opening or closing line
 * was hit (the other one still names it), is kept as damaged, so that it alone can be asked
 * for again (collect/console.ts); framing that names no section throws ParseError. */
export function readChecked(text: string, boundary: string, source: string, digest: Digest): CheckedRead {
  const lead = boundary + ' ';
  const headerEnd = text.indexOf('\n');
  const pieces: CheckedPiece[] = [];
  let noiseLines = 0;
  let open: { words: string; lineStart: number; bodyStart: number } | null = null;
  let ended = false;
  let pos = headerEnd + 1;
  let line = 2; // the number of the line at pos, counted as we go: a damaged section is an error made each time
  const example = (w: string) => `${boundary} ${w} ok md5 ...`;
  while (pos < text.length && headerEnd !== -1) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const next = end + 1;
    if (!text.startsWith(lead, pos)) {
      if (!open && text.slice(pos, end).trim() !== '') noiseLines++;
      pos = next;
      line++;
      continue;
    }
    const words = text.slice(pos + lead.length, end).replace(/\r$/, '');
    const m = CLOSE.exec(words);
    if (open) {
      if (!m || m[1] !== open.words) {
        // its closing line was hit: the section is damaged, and this line is read afresh
        pieces.push({ key: open.words, words: open.words, damaged: fail(text, source, pos, `section ${open.words} is not closed by its own line (a noisy or cut line?)`, example(open.words), line) });
        open = null;
        continue;
      }
      const piece: CheckedPiece = { key: open.words, words: open.words, close: m[2] as 'ok' | 'gone' };
      if (text[pos - 1] !== '\n' || pos - 1 < open.bodyStart) {
        piece.damaged = fail(text, source, pos, `section ${open.words} lost the newline before its closing line`, example(open.words), line);
      } else {
        piece.body = text.slice(open.bodyStart, pos - 1);
        const kind: SumKind = m[4] ? 'md5' : 'cksum';
        if (digest(kind, piece.body) !== (m[4] ?? m[5]!)) {
          piece.damaged = fail(text, source, pos, `section ${open.words} does not match its checksum: it was changed on the way (a noisy line?)`, example(open.words), line);
        }
      }
      pieces.push(piece);
      open = null;
      pos = next;
      line++;
      continue;
    }
    if (words === 'end') {
      ended = true;
      break; // what follows (a prompt) is not part of the capture
    }
    if (m) {
      // its opening line was hit (it read as noise): damaged, when the closing line names a section
      readSectionLine(m[1]!, boundary, text, source, pos);
      pieces.push({ key: m[1]!, words: m[1]!, damaged: fail(text, source, pos, `a closing line for section ${m[1]}, which is not open (its opening line was changed on the way?)`, `${boundary} ${m[1]}`, line) });
      pos = next;
      line++;
      continue;
    }
    const section = readSectionLine(words, boundary, text, source, pos);
    if (section.status === 'ok') open = { words, lineStart: pos, bodyStart: next };
    else pieces.push({ key: keyOf(words), words });
    pos = next;
    line++;
  }
  if (open) throw fail(text, source, open.lineStart, `section ${open.words} is never closed (the capture was cut short?)`, example(open.words));
  return { pieces, ended, noiseLines, cutAt: Math.max(0, text.lastIndexOf('\n', text.length - 2) + 1), text };
}

/** The sections that are damaged, by key, in stream order. */
export const damagedKeys = (r: CheckedRead): string[] => r.pieces.filter((p) => p.damaged).map((p) => p.key);

/** Puts each undamaged section of `again` (a later stream that re-sent some sections) in place
 * of the damaged section of `r` with its key; returns the keys replaced. */
export function replaceDamaged(r: CheckedRead, again: CheckedRead): string[] {
  const got = new Map(again.pieces.filter((p) => !p.damaged).map((p) => [p.key, p]));
  const done: string[] = [];
  r.pieces = r.pieces.map((p) => {
    const q = p.damaged ? got.get(p.key) : undefined;
    if (!q) return p;
    done.push(p.key);
    return q;
  });
  return done;
}

/** The stream as format 2 (sums dropped), read by the format 2 reader. Throws the first
 * damaged section's ParseError, or a cut one's when `requireEnd` and `end` never came. */
export function assembleChecked(r: CheckedRead, boundary: string, source: string, opts: CaptureTextOptions = {}): CheckedCapture {
  const bad = r.pieces.find((p) => p.damaged);
  if (bad) throw bad.damaged!;
  if (!r.ended && opts.requireEnd) {
    throw fail(r.text, source, r.cutAt, `the capture was cut short: it has no \`${boundary} end\` line (connection dropped?)`, `${boundary} end`);
  }
  const lead = boundary + ' ';
  const out: string[] = [`mapsdiff-capture 2 ${boundary}\n`];
  for (const p of r.pieces) {
    if (p.close) out.push(`${lead}${p.words}\n${p.body!}\n${lead}${p.words} ${p.close}\n`);
    else out.push(`${lead}${p.words}\n`);
  }
  if (r.ended) out.push(`${lead}end\n`);
  return { raw: parseFramedText(out.join(''), boundary, source, opts), noiseLines: r.noiseLines };
}

/** `text` starts with the format 2 header line. Throws ParseError for a failed sum or framing. */
export function parseCheckedText(text: string, boundary: string, source: string, digest: Digest, opts: CaptureTextOptions = {}): CheckedCapture {
  return assembleChecked(readChecked(text, boundary, source, digest), boundary, source, opts);
}
