/*! The examples each command's --help shows (yargs .example), kept in one table so the
 * help and the man page say the same. Only commands of this branch; others add theirs. */

export const EXAMPLES: Record<string, [string, string][]> = {
  demo: [['$0 demo', 'a workload that allocates, captured twice, compared'], ['$0 demo --wait 5', 'five seconds between the two captures']],
  capture: [
    ['$0 capture local --process sshd', "this machine's sshd processes"],
    ['$0 capture board1', 'targets/board1.json or the ~/.ssh/config Host board1, with its default processes'],
    ['$0 capture root@10.0.0.5:2222 --all --smaps', 'every process of a board, with smaps'],
    ['$0 capture board1 board2 --process httpd --json', 'two boards at once; JSON of what was stored'],
  ],
  compare: [
    ['$0 compare', 'the two newest snapshots of the latest target'],
    ['$0 compare t0 t1 --process httpd --min-delta 64K', 'one process, changes of 64 KiB or more'],
    ['$0 compare latest~1 latest --fail-over 1M', 'exit 1 when a process grew by more than 1 MiB'],
    ['$0 compare --all --json', 'every region, changed or not, as JSON'],
  ],
  import: [
    ['$0 import maps.txt --pid 412 --target board1', 'a maps dump copied off a board'],
    ['ssh board1 cat /proc/412/maps | $0 import - --pid 412', 'the dump read from stdin'],
    ['$0 import capture.txt', 'a capture-format file, every section at once'],
  ],
  list: [['$0 list', 'the snapshots, oldest first'], ['$0 list --json', 'as JSON, with the store directory']],
  show: [
    ['$0 show', 'the latest snapshot: every region, gaps, totals'],
    ['$0 show t3 --pid 412 --map', 'a bar of one process\'s address space'],
    ['$0 show latest --csv > regions.csv', 'CSV for a spreadsheet'],
  ],
  rm: [['$0 rm t0 t1', 'remove two snapshots'], ['$0 rm latest', 'remove the newest']],
  report: [
    ['$0 report t0 t1 -o report.html', 'the two side by side with what grew, as one HTML page'],
    ['$0 report board1 -o -', 'every capture of board1 as a series, HTML on stdout'],
    ['$0 report latest --svg - > latest.svg', 'one picture, SVG on stdout'],
  ],
  trend: [
    ['$0 trend', 'every capture of the latest target: leak, plateau, sawtooth or stable'],
    ['$0 trend board1 --process httpd', 'one target, one process'],
    ['$0 trend --since t4 --fail-on-leak', 'exit 1 when a process or the board leaks (for soak tests)'],
  ],
  watch: [
    ['$0 watch board1 --every 30s --for 2h', 'a capture every 30 s for two hours'],
    ['$0 watch local --pid 412 --every 1s --count 10 --json', 'ten captures, one JSON line each'],
  ],
};
