/*! /proc/uptime -> seconds since boot (the first field). Pure: no I/O.
 * Intervals between captures come from this, never from the board's wall clock. */
import { ParseError } from '../errors.js';

const LINE = /^([0-9]{1,15}(?:\.[0-9]{1,9})?)(?:[ \t]+[0-9]{1,15}(?:\.[0-9]{1,9})?)?$/;

export function parseUptime(text: string, source: string): number {
  const line = text.replace(/\r?\n$/, '').replace(/\r$/, '');
  const m = LINE.exec(line.trim());
  if (!m || line.includes('\n')) {
    throw new ParseError(source, 1, line, '/proc/uptime should be seconds since boot and idle seconds', '1234.56 1100.20');
  }
  return Number(m[1]);
}
