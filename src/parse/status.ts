/*! /proc/PID/status -> key -> value text (`VmRSS` -> `1234 kB`). Pure: no I/O.
 * Values are kept as printed (leading whitespace dropped); callers convert what they use. */
import { ParseError } from '../errors.js';

const EXAMPLE = 'VmRSS:\t    1234 kB';
const KEY = /^[A-Za-z0-9_()]+$/;

export function parseStatus(text: string, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') continue;
    const colon = raw.indexOf(':');
    const key = colon === -1 ? '' : raw.slice(0, colon);
    if (!KEY.test(key)) throw new ParseError(source, i + 1, raw, 'not a status line (Key:<tab>value)', EXAMPLE);
    let value = raw.slice(colon + 1).replace(/^[ \t]+/, '');
    if (key !== 'Name') value = value.replace(/[ \t]+$/, ''); // Groups: ends in a space; a name may too
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true }); // stays plain data
    else out[key] = value;
    count++;
  }
  if (count === 0) throw new ParseError(source, 1, '', '/proc/PID/status is empty', EXAMPLE);
  return out;
}
