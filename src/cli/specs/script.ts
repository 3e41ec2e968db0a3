/*! `mapsdiff script`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/script.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';

export const scriptSpec = {
  command: 'script',
  describe: 'print the capture script to paste into a console; import the saved log',
  builder: (y: Argv) =>
    y
      .option('pid', { type: 'number', array: true, describe: 'a process id (repeatable)' })
      .option('process', { type: 'string', array: true, describe: 'a process name (repeatable)' })
      .option('all', { type: 'boolean', describe: 'every process with an address space' })
      .option('smaps', { type: 'boolean', describe: 'also read /proc/PID/smaps' })
      .option('cmdline', { type: 'boolean', describe: 'keep every argument of each command line' }),
};
