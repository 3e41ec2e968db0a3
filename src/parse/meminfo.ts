/*! /proc/meminfo text -> Meminfo (key -> number and unit as printed). Pure: no I/O;
 * converts no units (analyze/ decides what kB means), skips nothing silently. */
import { ParseError } from '../errors.js';
import type { Meminfo } from '../model/capture.js';

const EXAMPLE = 'MemTotal:         505412 kB';
// `Key:   123 kB`, or unit-less `HugePages_Total:       0`; keys such as Active(anon), DirectMap4k
const LINE = /^([A-Za-z0-9_()]+):[ \t]*([0-9]{1,20})(?: (kB))?[ \t]*$/;

export function parseMeminfo(text: string, source: string): Meminfo {
  const out: Meminfo = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') continue;
    const m = LINE.exec(raw);
    if (!m) throw new ParseError(source, i + 1, raw, 'not a meminfo line (Key: number [kB])', EXAMPLE);
    const entry = { value: Number(m[2]), unit: m[3] ?? '' };
    // defineProperty: a key such as __proto__ stays plain data (it is slow: only for that key)
    if (m[1] === '__proto__') Object.defineProperty(out, m[1], { value: entry, enumerable: true, writable: true, configurable: true });
    else out[m[1]!] = entry;
  }
  if (Object.keys(out).length === 0) throw new ParseError(source, 1, text.slice(0, 120), 'meminfo is empty', EXAMPLE);
  return out;
}
