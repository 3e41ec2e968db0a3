/*! The options `capture` and `watch` share: which targets, which processes, and how to
 * take and keep each capture. Declared once so both read and document them alike. */
import type { Argv } from 'yargs';
import { CEILING_HELP } from './options.js';

/** watch's --smaps also takes a mode: `--smaps` or `--smaps full`, `--smaps auto`, `--smaps rollup`. */
export const WATCH_SMAPS_HELP = 'full (or no value): also read /proc/PID/smaps each capture (slow on a board: it stalls the process while read); ' +
  'auto: only for a process whose smaps_rollup Rss grew beyond --noise since its last full read, and every --smaps-every Nth capture; rollup: never (the default)';

export function captureOptions(y: Argv, watch = false): Argv {
  return y
    .positional('targets', { type: 'string', array: true, describe: "'local', a targets/NAME.json name, user@host[:port], or a ~/.ssh/config Host" })
    .option('pid', { type: 'number', array: true, describe: 'a process id (repeatable)' })
    .option('process', { type: 'string', array: true, describe: 'a process name: comm or basename of argv[0] (repeatable)' })
    .option('all', { type: 'boolean', describe: 'every process with an address space' })
    .option('smaps', watch ? { type: 'string', describe: WATCH_SMAPS_HELP }
      : { type: 'boolean', describe: 'also read /proc/PID/smaps (slow on a board: it stalls the process while read)' })
    .option('cmdline', { type: 'boolean', describe: 'keep every argument of each command line (default: only argv[0], the program; arguments can hold passwords)' })
    .option('ceiling', { type: 'string', describe: CEILING_HELP })
    .option('lenient', { type: 'boolean', describe: 'skip malformed maps lines (listed) instead of refusing the capture' })
    .option('accept-new', { type: 'boolean', describe: 'trust and record the host key of a host not yet in known_hosts' })
    .option('ssh-client', { type: 'string', choices: ['builtin', 'openssh'], describe: "builtin: mapsdiff's own SSH client (default); openssh: run the system ssh, which applies all of ~/.ssh/config" })
    .option('allow-strict-host-key-checking-no', { type: 'boolean', describe: 'let "StrictHostKeyChecking no" in ~/.ssh/config take effect (unknown keys recorded; a changed key is still refused)' });
}
