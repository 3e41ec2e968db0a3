/*! `ulimit -s` output -> the stack limit in bytes (null = unlimited). Pure: no I/O.
 * The shell prints KiB (`8192`) or `unlimited`; anything else (an error message) is a ParseError. */
import { ParseError } from '../errors.js';

export function parseUlimitStack(text: string, source: string): number | null {
  const word = text.trim();
  if (word === 'unlimited') return null;
  if (/^[0-9]{1,15}$/.test(word)) return Number(word) * 1024;
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const line = first === -1 ? 1 : first + 1;
  const shown = first === -1 ? '' : lines[first]!.replace(/\r$/, '');
  throw new ParseError(source, line, shown, '`ulimit -s` should print a number of KiB or `unlimited`', '8192');
}
