/*! The board bench's stage breakdown (BENCH_BOARD_STAGES=1): where the capture script's board
 * CPU goes, and what a capture that read nothing but each process's maps would cost. Both are
 * the real script (src/collect/remote-script.ts) rewritten as text, for the bench only:
 * - staged: the whole board's run time (the rq_cpu_time field of /proc/schedstat, read by the
 *   shell's own `read`, no fork) recorded just before each stage's first line, printed on one
 *   stderr line at the end (`stages |NAME:cpu0 ...|...`); a stage met once a batch is summed.
 * - maps only: the same script with each process's five files in the one cat cut to its maps
 *   (its header, board-wide files, walk, argv[0] and fd count kept). What it prints is not a
 *   valid capture; only its cost is read. */

/** The stages in script order: each mark goes before the first line of its stage (the text `at`). */
const STAGES: ReadonlyArray<{ name: string; at: string; last?: boolean }> = [
  { name: 'start-up', at: 'echo "mapsdiff-capture 4 $B"\n' },
  { name: 'uname', at: 'one uptime /proc/uptime\n' },
  { name: 'uptime+ulimit', at: "G='meminfo:" },
  { name: 'df', at: '\nP=\n' },
  { name: 'walk', at: '[ "$PAUSE" -gt 0 ]' },
  { name: 'probes', at: '  runcat\n  F=\n' },
  { name: 'cat', at: '  for p in $Q; do\n' },
  { name: 'argv0+fds', at: 'done\necho "$B end"\n', last: true },
];

const MARK = (name: string) => `{ read -r a; read -r a; read -r c; } </proc/schedstat; T="$T|${name}:$c"\n`;

/** `script` with a mark before each stage, and the marks printed to stderr at its end; throws when a stage's line is not in it. */
export function stagedScript(script: string): string {
  let s = script;
  for (const st of STAGES) {
    const i = st.last ? s.lastIndexOf(st.at) : s.indexOf(st.at);
    if (i < 0) throw new Error(`board stages: the script has no ${JSON.stringify(st.at)} (stage ${st.name}); update bench/board-stages.ts`);
    const at = st.at.startsWith('\n') ? i + 1 : i;
    s = s.slice(0, at) + MARK(st.name) + s.slice(at);
  }
  return `T=\n${MARK('begin')}${s}echo "stages $T" >&2\n`;
}

const FIVE = 'F="$F $d/stat $d/status $d/limits $d/smaps_rollup $d/maps"';

/** `script` reading only each process's maps in the one cat. */
export function mapsOnlyScript(script: string): string {
  if (!script.includes(FIVE)) throw new Error(`board stages: the script has no ${JSON.stringify(FIVE)}; update bench/board-stages.ts`);
  return script.replace(FIVE, 'F="$F $d/maps"');
}

/** The board's run time (ms) of each stage, from a staged run's stderr lines; null when the line is missing. */
export function stageTimes(stderr: string): Map<string, number> | null {
  const line = stderr.split('\n').find((l) => l.startsWith('stages '));
  if (line === undefined) return null;
  const out = new Map<string, number>();
  let before: number | null = null;
  for (const part of line.slice('stages '.length).split('|')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const ns = Number(part.slice(colon + 1).split(' ')[7]); // cpu0 yld_count 0 sched_count sched_goidle ttwu_count ttwu_local rq_cpu_time
    const name = part.slice(0, colon);
    if (before !== null && Number.isFinite(ns)) out.set(name, (out.get(name) ?? 0) + (ns - before) / 1e6);
    before = ns;
  }
  return out;
}

export const STAGE_NAMES = STAGES.map((s) => s.name);
