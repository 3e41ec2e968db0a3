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

/** Hex digit values by byte, -1 for anything else (a table read beats three range tests). */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[97 + c] = HEX[65 + c] = 10 + c;

/** hexUntil over bytes: the digits from `pos` up to `stop`; `pos` is left past the stop
 * character. The loop keeps its index in a local (a module variable is a memory access each time). */
function hexUntilB(b: Uint8Array, stop: number, to: number): number {
  const from = pos;
  let i = from;
  let n = 0;
  for (; i < to; i++) {
    const c = b[i]!;
    if (c === stop) break;
    const v = HEX[c]!;
    if (v < 0) return BAD;
    n = n * 16 + v;
  }
  const len = i - from;
  if (len === 0 || len > 16 || i >= to) return BAD;
  pos = i + 1; // past the stop character
  if (len <= 13) return n;
  let hi = 0;
  let lo = 0;
  for (let k = from; k < i; k++) {
    if (k < i - 13) hi = hi * 16 + HEX[b[k]!]!;
    else lo = lo * 16 + HEX[b[k]!]!;
  }
  const x = hi * 2 ** 52 + lo;
  return x - hi * 2 ** 52 === lo ? x : BAD; // hexExact's test
}

/** One line's fields read by scanBytes, and where the line ends. */
export interface LineScan extends RangeScan {
  /** The line's end, its carriage return (CRLF) left out. */
  to: number;
  /** Where the next line starts (past the newline). */
  next: number;
}

/** The device key of the last line scanBytes read, and its string (-1: none yet). */
let lastDevKey = -1;
let lastDev = '';

/** One object reused by every call, as scanRange's. Its numbers start as doubles (0.5): made
 * with small integers, the first bound past 2^31 changed its shape and threw away the
 * optimized scanner being compiled for it. */
const scratchB: LineScan = { start: 0.5, end: 0.5, offset: 0.5, perms: '', dev: '', inode: 0.5, nameFrom: 0, to: 0, next: 0 };

/**
 * scanRange over the UTF-8 bytes of the text, for the line that starts at `from` (`to`: the
 * end of the bytes): it finds the line's end too, so a line's bytes are read once. The same
 * fields for the same lines (every byte a well-formed line's fields hold is ASCII, and no byte
 * of a multi-byte character is one of them; a newline or a carriage return is none of them), so
 * a line either scanner accepts reads the same from both; null for what scanRange refuses.
 * Typed-array reads are cheaper than charCodeAt on a string of either width.
 */
export function scanBytes(b: Uint8Array, from: number, to: number): LineScan | null {
  const o = scratchB;
  pos = from;
  const start = hexUntilB(b, 45 /* - */, to);
  if (start === BAD) return null;
  const end = hexUntilB(b, 32, to);
  if (end === BAD || pos + 5 > to || b[pos + 4] !== 32) return null;
  const r = b[pos]!, w = b[pos + 1]!, x = b[pos + 2]!, sp = b[pos + 3]!;
  if ((r !== 114 && r !== 45) || (w !== 119 && w !== 45) || (x !== 120 && x !== 45) || (sp !== 115 && sp !== 112)) return null;
  o.perms = PERMS[(r === 114 ? 8 : 0) | (w === 119 ? 4 : 0) | (x === 120 ? 2 : 0) | (sp === 115 ? 1 : 0)]!;
  o.start = start;
  o.end = end;
  pos += 5;
  const offset = hexUntilB(b, 32, to);
  if (offset === BAD) return null;
  o.offset = offset;
  const devFrom = pos;
  let p = devFrom;
  let colon = -1;
  let major = 0;
  let minor = 0;
  for (; p < to; p++) {
    const c = b[p]!;
    if (c === 32) break;
    if (c === 58 /* : */ && colon < 0) colon = p;
    else {
      const v = HEX[c]!;
      if (v < 0) return null;
      if (colon < 0) major = major * 16 + v;
      else minor = minor * 16 + v;
    }
  }
  const space = p;
  if (space >= to || colon < 0 || colon === devFrom || space - colon < 2 || space - devFrom > 10) return null;
  const majorLen = colon - devFrom;
  const minorLen = space - colon - 1;
  if (majorLen > 4 || minorLen > 5) o.dev = storedDev(latin1(b, devFrom, space)); // rare: not in the table
  else {
    const key = ((major * 16 + majorLen) * 2 ** 20 + minor) * 16 + minorLen; // as scanRange's
    // most lines have the device of the line before (00:00 for anonymous memory, a file's lines together)
    if (key !== lastDevKey) {
      let dev = DEVS.get(key);
      if (dev === undefined) {
        dev = storedDev(latin1(b, devFrom, space));
        if (DEVS.size < 4096) DEVS.set(key, dev);
      }
      lastDevKey = key;
      lastDev = dev;
    }
    o.dev = lastDev;
  }
  p = space + 1;
  let inode = 0;
  const inoFrom = p;
  for (; p < to; p++) {
    const c = b[p]!;
    if (c === 32 || c === 10 || c === 13) break;
    if (c < 48 || c > 57) return null;
    inode = inode * 10 + (c - 48);
  }
  if (p === inoFrom || p - inoFrom > 15) return null;
  // the line ends at the first newline from here (none of the fields before holds one)
  let nl = p;
  while (nl < to && b[nl] !== 10) nl++;
  const end2 = nl > from && b[nl - 1] === 13 ? nl - 1 : nl; // serial consoles send CRLF
  if (p > end2) return null; // a carriage return inside the line, not before its newline
  if (p < end2 && b[p] !== 32) return null;
  while (p < end2 && b[p] === 32) p++;
  o.inode = inode;
  o.nameFrom = p;
  o.to = end2;
  o.next = nl + 1;
  return o;
}

/** The ASCII bytes [from, to) as a string (a device column: at most 10 characters). */
function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(b[k]!);
  return s;
}
