/*! The fast path of the maps parser: one pass over a line's characters (a range of the whole
 * text: no substring per line), no regex, no allocation beyond the result. Returns null for
 * anything unusual; parse/maps.ts then re-checks that line with the full rules to accept it or
 * say what is wrong. Perms and devices come from small tables (a few distinct strings). */
import type { Vma } from '../model/vma.js';

/** Parsed fields of a well-formed line, before the path checks. */
export interface Scanned extends Pick<Vma, 'start' | 'end' | 'perms' | 'offset' | 'dev' | 'inode'> {
  /** The name column, '' when absent. */
  name: string;
}

const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

let pos = 0;
const BAD = -1;

/** Reads hex digits from `pos` up to `stop` before `to`; BAD when malformed or when a double
 * cannot hold the value exactly (parse/maps then says which). */
function hexUntil(s: string, stop: number, to: number): number {
  const from = pos;
  let n = 0;
  while (pos < to) {
    const c = s.charCodeAt(pos);
    if (c === stop) break;
    const v = hexVal(c);
    if (v < 0) return BAD;
    n = n * 16 + v;
    pos++;
  }
  const len = pos - from;
  if (len === 0 || len > 16 || pos >= to) return BAD;
  pos++; // the stop character
  if (len <= 13) return n;
  const exact = hexExact(s, from, pos - 1);
  return Number.isNaN(exact) ? BAD : exact;
}

/** The value of the hex digits `s[from, to)` (16 at most, already checked), or NaN when a double
 * cannot hold it exactly. 13 digits or fewer always fit; past that the value is hi·2^52 + lo (lo
 * the last 13 digits) and is exact when taking hi·2^52 off again gives lo back (both terms and
 * the difference are exact: Sterbenz). Every page-aligned value below 2^64 is (model/vma). */
export function hexExact(s: string, from: number, to: number): number {
  let hi = 0;
  let lo = 0;
  const cut = to - 13;
  for (let k = from; k < to; k++) {
    const v = hexVal(s.charCodeAt(k));
    if (k < cut) hi = hi * 16 + v;
    else lo = lo * 16 + v;
  }
  if (hi === 0) return lo;
  const n = hi * 2 ** 52 + lo;
  return n - hi * 2 ** 52 === lo ? n : NaN;
}

/** One line's fields, read by scanRange. */
export interface RangeScan {
  start: number;
  end: number;
  offset: number;
  perms: string;
  dev: string;
  inode: number;
  /** Where the name column starts (the line's end when there is none). */
  nameFrom: number;
}

/** `[r-][w-][x-][sp]` as one of 16 strings (a table, not a slice per line); null otherwise. */
const PERMS: string[] = [];
for (let i = 0; i < 16; i++) PERMS.push((i & 8 ? 'r' : '-') + (i & 4 ? 'w' : '-') + (i & 2 ? 'x' : '-') + (i & 1 ? 's' : 'p'));
function permsAt(s: string, at: number): string | null {
  const r = s.charCodeAt(at), w = s.charCodeAt(at + 1), x = s.charCodeAt(at + 2), p = s.charCodeAt(at + 3);
  if ((r !== 114 && r !== 45) || (w !== 119 && w !== 45) || (x !== 120 && x !== 45) || (p !== 115 && p !== 112)) return null;
  return PERMS[(r === 114 ? 8 : 0) | (w === 119 ? 4 : 0) | (x === 120 ? 2 : 0) | (p === 115 ? 1 : 0)]!;
}

/** `major:minor` as the kernel prints it (`%02x:%02x`), whatever zeros the line carried. */
export function devOf(major: string, minor: string): string {
  const two = (h: string) => (h.length < 2 ? '0' + h : h).toLowerCase();
  return `${two(major)}:${two(minor)}`;
}

/** A well-formed device column as stored: lower-cased; with extra leading zeros (rare) as devOf prints it. */
function storedDev(d: string): string {
  const c = d.indexOf(':');
  if ((c > 2 && d.charCodeAt(0) === 48) || (d.length - c > 3 && d.charCodeAt(c + 1) === 48)) {
    const strip = (h: string) => h.replace(/^0+(?=.)/, '');
    return devOf(strip(d.slice(0, c)), strip(d.slice(c + 1)));
  }
  return d.toLowerCase();
}

/** Device columns seen, by their digits and how many of each (the text as printed, any case). */
const DEVS = new Map<number, string>();

const scratch: RangeScan = { start: 0, end: 0, offset: 0, perms: '', dev: '', inode: 0, nameFrom: 0 };

/**
 * Scans the maps line `s[from, to)`; null when it is not a plain well-formed line (bad perms
 * included). The result is one object reused by every call: read it before the next.
 */
export function scanRange(s: string, from: number, to: number): RangeScan | null {
  const o = scratch;
  pos = from;
  const start = hexUntil(s, 45 /* - */, to);
  if (start === BAD) return null;
  o.start = start;
  const end = hexUntil(s, 32, to);
  if (end === BAD || pos + 5 > to || s.charCodeAt(pos + 4) !== 32) return null;
  o.end = end;
  const perms = permsAt(s, pos);
  if (perms === null) return null;
  o.perms = perms;
  pos += 5;
  const offset = hexUntil(s, 32, to);
  if (offset === BAD) return null;
  o.offset = offset;
  const devFrom = pos;
  let colon = -1;
  let major = 0;
  let minor = 0;
  while (pos < to) {
    const c = s.charCodeAt(pos);
    if (c === 32) break;
    if (c === 58 /* : */ && colon < 0) colon = pos;
    else {
      const v = hexVal(c);
      if (v < 0) return null;
      if (colon < 0) major = major * 16 + v;
      else minor = minor * 16 + v;
    }
    pos++;
  }
  const space = pos;
  if (space >= to || colon < 0 || colon === devFrom || space - colon < 2 || space - devFrom > 10) return null;
  const majorLen = colon - devFrom;
  const minorLen = space - colon - 1;
  if (majorLen > 4 || minorLen > 5) o.dev = storedDev(s.slice(devFrom, space)); // rare: not in the table
  else {
    // up to 4 and 5 digits, with their counts, fit 44 bits: the same printed device (up to case) is one key
    const key = ((major * 16 + majorLen) * 2 ** 20 + minor) * 16 + minorLen;
    let dev = DEVS.get(key);
    if (dev === undefined) {
      dev = storedDev(s.slice(devFrom, space));
      if (DEVS.size < 4096) DEVS.set(key, dev);
    }
    o.dev = dev;
  }
  pos = space + 1;
  let inode = 0;
  const inoFrom = pos;
  while (pos < to) {
    const c = s.charCodeAt(pos);
    if (c === 32) break;
    if (c < 48 || c > 57) return null;
    inode = inode * 10 + (c - 48);
    pos++;
  }
  if (pos === inoFrom || pos - inoFrom > 15) return null;
  while (pos < to && s.charCodeAt(pos) === 32) pos++;
  o.inode = inode;
  o.nameFrom = pos;
  return o;
}

/** One line's fields, the device as stored (storedDev). */
export function scanLine(s: string): Scanned | null {
  const r = scanRange(s, 0, s.length);
  if (r === null) return null;
  return { start: r.start, end: r.end, perms: r.perms, offset: r.offset, dev: r.dev, inode: r.inode, name: s.slice(r.nameFrom) };
}
