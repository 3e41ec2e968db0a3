/*! Bytes from a board become section text without losing any: text is decoded as UTF-8,
 * and when the bytes are not valid UTF-8 (a Latin-1 file name, a binary blob) the exact
 * bytes are kept beside it, base64. */
import { isUtf8 } from 'node:buffer';
import type { RawCapture, RawSection } from '../model/capture.js';

export function textOf(bytes: Buffer): { text: string; bytes?: string } {
  return isUtf8(bytes) ? { text: bytes.toString('utf8') } : { text: bytes.toString('utf8'), bytes: bytes.toString('base64') };
}

/** A capture parsed from a stream decoded as latin1 (one char per byte): each section's text
 * turned back into its bytes, then decoded properly. */
export function fromLatin1(raw: RawCapture): RawCapture {
  return { sections: raw.sections.map((s): RawSection => ({ ...s, ...textOf(Buffer.from(s.text, 'latin1')) })) };
}
