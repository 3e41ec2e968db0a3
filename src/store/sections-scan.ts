/*! A snapshot's sections line read straight from its bytes, for a series that reads
 * thousands of files in a row: a string token whose bytes equal the one at the same place in
 * the file read before (a process's maps, 7 captures in 8 of a slow series) is not decoded
 * again: its string is shared. Only the form JSON.stringify writes is read here (a list of
 * flat objects, no whitespace); anything else gives null, and the caller parses the line with
 * JSON.parse as before, so every damaged file still gets the same error. Pure: bytes in, values out. */

/** Across the files of a series: each section's last name, status and long text, as bytes and decoded (by section and key). */
export type TextReuse = Map<number, { raw: Buffer; text: string }>;

/** Tokens shorter than this are decoded each time (copying them to compare costs more). */
const REUSED_FROM = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The list on bytes [start, end) of `buf`, or null when it is not in JSON.stringify's form (or not JSON). */
export function scanSections(buf: Buffer, start: number, end: number, reuse?: TextReuse): Record<string, unknown>[] | null {
  let i = start;
  if (buf[i++] !== 0x5b) return null; // [
  const out: Record<string, unknown>[] = [];
  if (buf[i] === 0x5d) return i + 1 === end ? out : null; // []
  for (;;) {
    if (buf[i++] !== 0x7b) return null; // {
    const obj: Record<string, unknown> = {};
    if (buf[i] === 0x7d) {
      i++;
    } else {
      for (;;) {
        if (buf[i] !== QUOTE) return null;
        const keyEnd = stringEnd(buf, i, end);
        if (keyEnd < 0) return null;
        const key = knownKey(buf, i, keyEnd) ?? decode(buf, i, keyEnd);
        if (key === null || key === '__proto__') return null; // JSON.parse makes that an own key: leave it to it
        i = keyEnd + 1;
        if (buf[i++] !== 0x3a) return null; // :
        let value: unknown;
        if (buf[i] === QUOTE) {
          // a section's name, status and text each at their place: the name and status repeat in every file
          const slot = out.length * 4 + (key === 'text' ? 0 : key === 'name' ? 1 : key === 'status' ? 2 : 3);
          const cached = reuse?.get(slot);
          if (cached && i + cached.raw.length <= end && cached.raw.compare(buf, i, i + cached.raw.length) === 0) {
            // the same bytes from the same opening quote: the same token, ending where that one did
            value = cached.text;
            i += cached.raw.length;
          } else {
            const vEnd = stringEnd(buf, i, end);
            if (vEnd < 0) return null;
            const text = decode(buf, i, vEnd);
            if (text === null) return null;
            if (reuse && (slot % 4 === 1 || slot % 4 === 2 || vEnd + 1 - i >= REUSED_FROM)) reuse.set(slot, { raw: Buffer.from(buf.subarray(i, vEnd + 1)), text });
            value = text;
            i = vEnd + 1;
          }
        } else {
          // a number, true, false or null: up to the next ',' or '}' (a nested value is not this form)
          let j = i;
          while (j < end && buf[j] !== 0x2c && buf[j] !== 0x7d) {
            if (buf[j] === 0x7b || buf[j] === 0x5b || buf[j] === QUOTE) return null;
            j++;
          }
          value = digits(buf, i, j);
          if (value === null) {
            try {
              value = JSON.parse(buf.toString('latin1', i, j));
            } catch {
              return null;
            }
          }
          i = j;
        }
        obj[key] = value;
        if (buf[i] === 0x2c) { i++; continue; }
        if (buf[i] === 0x7d) { i++; break; }
        return null;
      }
    }
    out.push(obj);
    if (buf[i] === 0x2c) { i++; continue; }
    if (buf[i] === 0x5d && i + 1 === end) return out;
    return null;
  }
}

const KEYS = ['name', 'pid', 'status', 'text', 'bytes'].map((k) => ({ k, b: Buffer.from(`"${k}"`) }));

/** The string of a key every section has (`"name"`...), without decoding it; else null. */
function knownKey(buf: Buffer, open: number, close: number): string | null {
  const n = close + 1 - open;
  for (const { k, b } of KEYS) if (b.length === n && b.compare(buf, open, close + 1) === 0) return k;
  return null;
}

/** A whole number written as JSON writes it (no sign, no leading zero, at most 15 digits), else null. */
function digits(buf: Buffer, from: number, to: number): number | null {
  const n = to - from;
  if (n === 0 || n > 15 || (n > 1 && buf[from] === 0x30)) return null;
  let v = 0;
  for (let k = from; k < to; k++) {
    const d = buf[k]! - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return v;
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function stringEnd(buf: Buffer, open: number, end: number): number {
  let q = open;
  for (;;) {
    q = buf.indexOf(QUOTE, q + 1);
    if (q < 0 || q >= end) return -1;
    let slashes = 0;
    while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
  }
}

/** The string token [open, close] decoded as JSON.parse would (after UTF-8 decoding), or null when it is not valid JSON. */
function decode(buf: Buffer, open: number, close: number): string | null {
  let plain = true;
  if (close - open < 64) {
    for (let k = open + 1; k < close && plain; k++) plain = buf[k]! >= 0x20 && buf[k] !== BACKSLASH;
  } else {
    plain = buf.subarray(open + 1, close).indexOf(BACKSLASH) < 0;
    for (let k = open + 1; k < close && plain; k++) plain = buf[k]! >= 0x20;
  }
  // no escape and no control character (which JSON.parse refuses): the bytes are the text
  if (plain) return buf.toString('utf8', open + 1, close);
  try {
    return JSON.parse(buf.toString('utf8', open, close + 1)) as string;
  } catch {
    return null;
  }
}
