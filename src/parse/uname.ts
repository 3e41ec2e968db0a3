/*! `uname -a` line -> kernel name, release and machine, best effort. Pure: no I/O.
 * BusyBox and GNU print `sysname nodename release version... machine [GNU/Linux]`. */
import { ParseError } from '../errors.js';

export interface Uname {
  /** sysname, e.g. `Linux` */
  kernel: string;
  /** nodename, the board's host name, e.g. `board1` */
  host: string;
  /** e.g. `6.1.0-armmp` */
  release: string;
  /** e.g. `armv7l`, `mips`; the word before a trailing `GNU/Linux`, else the last word */
  machine: string;
}

export function parseUname(text: string, source: string): Uname {
  const line = text.replace(/\r?\n$/, '').replace(/\r$/, '');
  const words = line.trim().split(/[ \t]+/);
  if (line.includes('\n') || words.length < 4) {
    throw new ParseError(source, 1, line, '`uname -a` should print one line: kernel, host, release, version, machine',
      'Linux board1 6.1.0-armmp #1 SMP Debian 6.1.0 armv7l GNU/Linux');
  }
  const last = words.length - 1;
  const machine = words[last] === 'GNU/Linux' && last >= 4 ? words[last - 1]! : words[last]!;
  return { kernel: words[0]!, host: words[1]!, release: words[2]!, machine };
}
