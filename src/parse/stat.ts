/*! /proc/PID/stat -> ProcStat (pid, comm, state, ppid, threads, start time, vsize, rss).
 * Pure: no I/O. comm may hold spaces, parentheses and even newlines: it runs from the
 * first '(' to the LAST ')'. */
import { ParseError } from '../errors.js';
import type { ProcStat } from '../model/capture.js';

const EXAMPLE = '412 (leaker) S 1 412 412 0 -1 4194560 ... 20 0 1 0 8279 2490368 164 ...';
const NUMBER = /^-?[0-9]{1,20}$/;

export function parseStat(text: string, source: string): ProcStat {
  const body = text.replace(/\r?\n$/, '');
  const open = body.indexOf('(');
  const close = body.lastIndexOf(')');
  const bad = (problem: string): ParseError => new ParseError(source, 1, body, problem, EXAMPLE);
  if (open === -1 || close < open) throw bad('no (comm) in /proc/PID/stat');
  const pidText = body.slice(0, open).trim();
  if (!/^[0-9]{1,10}$/.test(pidText)) throw bad('/proc/PID/stat should start with the pid');
  if (body[close + 1] !== ' ') throw bad('expected a space after (comm)');
  // rest[0] is field 3 (state), so field k is rest[k - 3]
  const rest = body.slice(close + 2).split(' ');
  if (rest.length < 22) throw bad(`only ${rest.length + 2} fields; at least 24 expected`);
  const state = rest[0]!;
  if (!/^[A-Za-z]$/.test(state)) throw bad('field 3 (state) should be one letter');
  const field = (k: number): number => {
    const v = rest[k - 3]!;
    if (!NUMBER.test(v)) throw bad(`field ${k} should be a number, got ${JSON.stringify(v.slice(0, 24))}`);
    return Number(v);
  };
  return {
    pid: Number(pidText),
    comm: body.slice(open + 1, close),
    state,
    ppid: field(4),
    startTime: field(22),
    numThreads: field(20),
    vsize: field(23),
    rss: field(24),
  };
}

/** PF_KTHREAD (include/linux/sched.h), in stat's field 9 (flags). */
const PF_KTHREAD = 0x00200000;

/** Whether a stat line is a kernel thread's (PF_KTHREAD in field 9); false where the line does
 * not say (no `(comm)`, too few fields). A kernel thread has no mm: its maps are empty. */
export function isKernelThreadStat(text: string): boolean {
  const close = text.lastIndexOf(')');
  const flags = close === -1 ? NaN : Number(text.slice(close + 2).split(' ')[9 - 3]);
  return Number.isSafeInteger(flags) && (flags & PF_KTHREAD) !== 0;
}
