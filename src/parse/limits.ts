/*! /proc/PID/limits -> ProcLimits (the Max stack size row, bytes, and the Max open files row;
 * null = unlimited).
 * Pure: no I/O. Every row is checked so a garbled table is an error, not a guess. */
import { ParseError } from '../errors.js';
import type { ProcLimits } from '../model/capture.js';

const EXAMPLE = 'Max stack size            8388608              unlimited            bytes';
const ROW = /^(Max(?: [A-Za-z]+)+)[ \t]+([0-9]{1,20}|unlimited)[ \t]+([0-9]{1,20}|unlimited)(?:[ \t]+([A-Za-z]+))?[ \t]*$/;

export function parseLimits(text: string, source: string): ProcLimits {
  const lines = text.split('\n');
  let stack: ProcLimits | null = null;
  let nofile: [number | null, number | null] | null = null;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '' || /^Limit[ \t]+Soft Limit[ \t]+Hard Limit/.test(raw)) continue;
    const m = ROW.exec(raw);
    if (!m) throw new ParseError(source, i + 1, raw, 'not a limits row (Max NAME  soft  hard  [units])', EXAMPLE);
    if (m[1] === 'Max open files') nofile = [bytes(m[2]!), bytes(m[3]!)];
    if (m[1] !== 'Max stack size') continue;
    if (m[4] !== 'bytes') throw new ParseError(source, i + 1, raw, 'the stack size should be in bytes', EXAMPLE);
    stack = { stackSoft: bytes(m[2]!), stackHard: bytes(m[3]!) };
  }
  if (!stack) throw new ParseError(source, 1, lines[0]?.replace(/\r$/, '') ?? '', 'no `Max stack size` row in /proc/PID/limits', EXAMPLE);
  if (nofile) { stack.nofileSoft = nofile[0]; stack.nofileHard = nofile[1]; }
  return stack;
}

function bytes(word: string): number | null {
  return word === 'unlimited' ? null : Number(word);
}
