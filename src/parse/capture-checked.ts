/*! Capture format 2 with a checksum on every closing line (docs/capture-format.md, "Checked
 * sections"), the form a console capture sends: `BOUNDARY pid 412 maps ok md5 HEX` or
 * `... ok cksum CRC LENGTH`. Every section's text is checked against its sum, text between
 * sections (kernel messages on a console, a prompt) is dropped as noise, and what is left is
 * handed to the format 2 reader for its framing rules. A sum that fails, a section left open,
 * a closing line without a sum: the whole stream is refused. Pure: the digest is passed in. */
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

/** `text` starts with the format 2 header line. Throws ParseError for a failed sum or framing. */
export function parseCheckedText(text: string, boundary: string, source: string, digest: Digest, opts: CaptureTextOptions = {}): CheckedCapture {
  const lead = boundary + ' ';
  const headerEnd = text.indexOf('\n');
  const out: string[] = [text.slice(0, headerEnd + 1)];
  let noiseLines = 0;
  let open: { words: string; lineStart: number; bodyStart: number } | null = null;
  let ended = false;
  let pos = headerEnd + 1;
  while (pos < text.length && headerEnd !== -1) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const next = end + 1;
    if (!text.startsWith(lead, pos)) {
      if (!open && text.slice(pos, end).trim() !== '') noiseLines++;
      pos = next;
      continue;
    }
    const words = text.slice(pos + lead.length, end).replace(/\r$/, '');
    const m = CLOSE.exec(words);
    if (open) {
      if (!m || m[1] !== open.words) throw fail(text, source, pos, `section ${open.words} is not closed by its own line (a noisy or cut line?)`, `${boundary} ${open.words} ok md5 ...`);
      if (text[pos - 1] !== '\n' || pos - 1 < open.bodyStart) throw fail(text, source, pos, `section ${open.words} lost the newline before its closing line`, `${boundary} ${open.words} ok md5 ...`);
      const body = text.slice(open.bodyStart, pos - 1);
      const kind: SumKind = m[4] ? 'md5' : 'cksum';
      const want = m[4] ?? m[5]!;
      if (digest(kind, body) !== want) {
        throw fail(text, source, pos, `section ${open.words} does not match its checksum: it was changed on the way (a noisy line?)`, `${boundary} ${open.words} ok md5 ...`);
      }
      out.push(text.slice(open.lineStart, pos), `${lead}${open.words} ${m[2]}\n`);
      open = null;
      pos = next;
      continue;
    }
    if (words === 'end') {
      out.push(`${lead}end\n`);
      ended = true;
      break; // what follows (a prompt) is not part of the capture
    }
    if (m) throw fail(text, source, pos, 'a closing line for a section that is not open', `${boundary} pid 412 maps`);
    const section = readSectionLine(words, boundary, text, source, pos);
    if (section.status === 'ok') open = { words, lineStart: pos, bodyStart: next };
    else out.push(`${lead}${words}\n`);
    pos = next;
  }
  if (open) throw fail(text, source, open.lineStart, `section ${open.words} is never closed (the capture was cut short?)`, `${boundary} ${open.words} ok md5 ...`);
  if (!ended && opts.requireEnd) {
    throw fail(text, source, Math.max(0, text.lastIndexOf('\n', text.length - 2) + 1),
      `the capture was cut short: it has no \`${boundary} end\` line (connection dropped?)`, `${boundary} end`);
  }
  return { raw: parseFramedText(out.join(''), boundary, source, opts), noiseLines };
}
