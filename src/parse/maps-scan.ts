/*! The fast path of the maps parser: one pass over a line's characters, no regex, no
 * allocation beyond the result. Returns null for anything unusual; parse/maps.ts then
 * re-checks that line with the full rules to accept it or say what is wrong. */
import type { Vma } from '../model/vma.js';

/** Parsed fields of a well-formed line, before the path checks. */
export interface Scanned extends Pick<Vma, 'start' | 'end' | 'perms' | 'offset' | 'dev' | 'inode'> {
  /** The name column, '' when absent. */
  name: string;
}

const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

let pos = 0;

/** Reads hex digits up to `stop` at `pos`; -1n when malformed. 13 digits or fewer stay in a double (exact). */
function hexUntil(s: string, stop: number): bigint {
  const from = pos;
  let n = 0;
  while (pos < s.length) {
    const c = s.charCodeAt(pos);
    if (c === stop) break;
    const v = hexVal(c);
    if (v < 0) return -1n;
    n = n * 16 + v;
    pos++;
  }
  const len = pos - from;
  if (len === 0 || len > 16 || pos >= s.length) return -1n;
  pos++; // the stop character
  return len > 13 ? BigInt('0x' + s.slice(from, pos - 1)) : n === 0 ? 0n : BigInt(n); // 0n: one constant for every zero offset
}

export function scanLine(s: string): Scanned | null {
  pos = 0;
  const start = hexUntil(s, 45 /* - */);
  if (start < 0n) return null;
  const end = hexUntil(s, 32);
  if (end < 0n || pos + 5 > s.length || s.charCodeAt(pos + 4) !== 32) return null;
  const perms = s.slice(pos, pos + 4);
  pos += 5;
  const offset = hexUntil(s, 32);
  if (offset < 0n) return null;
  const devFrom = pos;
  const colon = s.indexOf(':', pos);
  const space = s.indexOf(' ', pos);
  if (colon < 0 || space < 0 || colon > space || colon === devFrom || space - colon < 2 || space - devFrom > 10) return null;
  for (let i = devFrom; i < space; i++) if (i !== colon && hexVal(s.charCodeAt(i)) < 0) return null;
  const dev = s.slice(devFrom, space);
  pos = space + 1;
  let inode = 0;
  const inoFrom = pos;
  while (pos < s.length) {
    const c = s.charCodeAt(pos);
    if (c === 32) break;
    if (c < 48 || c > 57) return null;
    inode = inode * 10 + (c - 48);
    pos++;
  }
  if (pos === inoFrom || pos - inoFrom > 15) return null;
  while (pos < s.length && s.charCodeAt(pos) === 32) pos++;
  return { start, end, perms, offset, dev, inode, name: s.slice(pos) };
}
