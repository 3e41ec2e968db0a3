/*! The section line of the capture stream (docs/capture-format.md), shared by both versions:
 * the names a section may have, `[pid PID] NAME [missing|gone|denied]`, and errors that
 * point at the line. Pure. */
import { ParseError } from '../errors.js';
import type { RawSection, SectionName, SectionStatus } from '../model/capture.js';

export const GLOBAL: ReadonlySet<string> = new Set(['uname', 'uptime', 'ulimit-s', 'meminfo', 'boot_id', 'processes',
  'max_map_count', 'file-nr', 'slabinfo', 'buddyinfo', 'mounts', 'df']);
export const PER_PID: ReadonlySet<string> = new Set(['stat', 'status', 'limits', 'maps', 'smaps', 'smaps_rollup', 'cmdline', 'fds']);

/** `NAME [missing|gone|denied]` or `pid PID NAME [missing|gone|denied]` (the words after the boundary). */
export function readSectionLine(words: string, boundary: string, text: string, source: string, at: number): RawSection {
  const w = words.split(' ');
  let pid: number | undefined;
  if (w[0] === 'pid') {
    if (!/^[0-9]{1,10}$/.test(w[1] ?? '')) throw fail(text, source, at, 'a per-process section needs a decimal pid', `${boundary} pid 412 maps`);
    pid = Number(w[1]);
    w.splice(0, 2);
  }
  let status: SectionStatus = 'ok';
  if (w.length === 2 && (w[1] === 'missing' || w[1] === 'gone' || w[1] === 'denied')) status = w.pop() as SectionStatus;
  const name = w[0] ?? '';
  if (w.length !== 1 || !(GLOBAL.has(name) || PER_PID.has(name))) {
    throw fail(text, source, at, 'not a section line: unknown section name or extra words', `${boundary} pid 412 maps`);
  }
  if (pid === undefined && PER_PID.has(name)) throw fail(text, source, at, `section ${name} needs a pid`, `${boundary} pid 412 ${name}`);
  if (pid !== undefined && GLOBAL.has(name)) throw fail(text, source, at, `section ${name} is not per process`, `${boundary} ${name}`);
  const section: RawSection = { name: name as SectionName, status, text: '' };
  if (pid !== undefined) section.pid = pid;
  return section;
}

/** A ParseError for the line holding offset `at`; `lineNo`, that line's number when the caller
 * counted it (a reader that may make an error a line, as a checked stream's damaged sections,
 * must: counting from the start each time made them quadratic). */
export function fail(text: string, source: string, at: number, problem: string, example: string, lineNo?: number): ParseError {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  const line = text.slice(start, nl === -1 ? text.length : nl).replace(/\r$/, '');
  return new ParseError(source, lineNo ?? lineOf(text, at), line, problem, example);
}

/** 1-based line number of offset `at` (only computed on errors). */
export function lineOf(text: string, at: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
