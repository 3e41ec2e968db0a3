/*! The `cat` section of capture format 3 (docs/capture-format.md, "Version 3"): one `cat` of
 * the board-wide files (meminfo, boot_id, ...) and of several processes' stat, status, limits,
 * smaps_rollup and maps files, in that order, split back into the files by how the kernel
 * prints each one, so that nothing a process chooses (its comm, the file names in its maps)
 * can move a boundary between two files.
 * Every board-wide file is followed by /proc/uptime (fs/proc/uptime.c: one line,
 * `SECONDS.CC IDLE.CC`) and ends before it: none of them has such a line (meminfo `Key: N kB`,
 * boot_id a UUID, max_map_count one integer, file-nr three tab-separated integers, slabinfo its
 * header and many-field lines, buddyinfo `Node N, zone ...`, mounts six fields a line, where
 * show_vfsmnt's mangle() and seq_show_option escape spaces, tabs and newlines as `\040` `\011`
 * `\012`). A process's files, one after another:
 * - stat (fs/proc/array.c do_task_stat): `PID (` then comm, `seq_printf(m, "%.64s", tcomm)` in
 *   proc_task_name (at most 64 bytes, any byte but NUL: newlines and `)` included), then `) `,
 *   the state letter and decimal fields only (seq_put_decimal_ll/ull: digits and `-`), and one
 *   `\n`. comm's `)` is therefore the last `)` within 64 bytes after `PID (`, and stat ends at
 *   the first newline after it.
 * - status (proc_pid_status): starts `Name:\t`; every line is `Key:` and a value with no raw
 *   newline (Name is written by seq_escape_str with "\n\\" escaped).
 * - limits (fs/proc/base.c proc_pid_limits): the header `Limit  ...Soft Limit...`, then one
 *   `Max ...` line per rlimit.
 * - smaps_rollup (fs/proc/task_mmu.c show_smaps_rollup): show_vma_header_prefix(m, start, end,
 *   0, 0, 0, 0), seq_pad, `[rollup]\n`, then `Key:  N kB` lines (__show_smap).
 * - maps (show_map_vma): `START-END PERMS OFFSET MAJ:MIN INODE` and a name; the name of a file
 *   goes through seq_file_path(m, file, "\n"), so a newline in a path is `\012` and every VMA
 *   is one line starting with hex digits and `-`. No VMA is named `[rollup]` (the bracketed
 *   names are the kernel's: [heap], [stack], [vdso], [anon:NAME] where prctl(PR_SET_VMA_ANON_NAME)
 *   refuses `[` and `]` in NAME), so a rollup header is never a maps line.
 * No line one file may continue with can start another file of the same process: stat starts
 * with decimal digits and ` (`, status with `Name:`, limits with `Limit`, a rollup with hex and
 * its `[rollup]` name. After each process's files cat reads /proc/uptime (fs/proc/uptime.c: one
 * line, `SECONDS.CC IDLE.CC`), which no file's line rule accepts: one process's text can never
 * run into the next one's, even when a file comes back empty (a process reaped mid-read).
 * Pure: no I/O. */
import type { SectionName } from '../model/capture.js';

/** The letter of each file in a `cat` section's header word `PID:LETTERS`, in cat's order. */
export const BATCH_FILES: ReadonlyArray<readonly [string, SectionName]> = [['s', 'stat'], ['t', 'status'], ['l', 'limits'], ['r', 'smaps_rollup'], ['m', 'maps']];

/** The board-wide files a `cat` section may hold, by their section names. */
export const BATCH_GLOBAL: ReadonlySet<string> = new Set(['meminfo', 'boot_id', 'max_map_count', 'file-nr', 'slabinfo', 'buddyinfo', 'mounts']);

/** One board-wide file (no pid, `files` its one name) or one process's files. */
export interface BatchEntry { pid?: number; files: SectionName[] }
export interface BatchFile { pid?: number; name: SectionName; text: string }

/** `412:stlrm` -> pid 412 with its files, `meminfo` -> that board-wide file; null when the word is neither. */
export function readBatchWord(word: string): BatchEntry | null {
  if (BATCH_GLOBAL.has(word)) return { files: [word as SectionName] };
  const m = /^([0-9]{1,10}):([a-z]{1,5})$/.exec(word);
  if (!m) return null;
  const files: SectionName[] = [];
  let from = 0;
  for (const ch of m[2]!) {
    const i = BATCH_FILES.findIndex(([l], j) => j >= from && l === ch);
    if (i === -1) return null; // unknown letter, twice, or out of cat's order
    files.push(BATCH_FILES[i]![1]);
    from = i + 1;
  }
  return { pid: Number(m[1]), files };
}

const STATUS_LINE = /^[A-Za-z][A-Za-z0-9_]*:/;
/** __show_smap: SEQ_PUT_DEC("Rss:            ", ...) " kB": spaces, never status's tab. */
const ROLLUP_LINE = /^[A-Za-z_][A-Za-z0-9_]*: +[0-9]+ kB$/;
const UPTIME = /^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$/;
const LIMITS_HEAD = /^Limit +Soft Limit/;
const ROLLUP_HEAD = /^[0-9a-f]+-[0-9a-f]+ ---p 0+ 00:00 0 +\[rollup\]$/;
const MAPS_LINE = /^[0-9a-f]+-[0-9a-f]+ /;
const STAT_TAIL = /^\) [A-Za-z]( -?[0-9]+)+$/;
/** proc_task_name: `%.64s`. */
const COMM_MAX = 64;

/** Splits `body` (what cat printed) into `entries`' files. Throws an Error saying where when the
 * text is not those files one after another (the caller turns it into a ParseError). A file may
 * be empty or cut at a line (the process exited while it was read). */
export function splitBatch(body: string, entries: BatchEntry[]): BatchFile[] {
  const out: BatchFile[] = [];
  let pos = 0;
  const lineEnd = (at: number) => { const nl = body.indexOf('\n', at); return nl === -1 ? body.length : nl + 1; };
  const line = (at: number) => { const e = lineEnd(at); return body.slice(at, body[e - 1] === '\n' ? e - 1 : e); };
  /** Consumes lines from pos while `ok` holds (the first one checked by `first`). */
  const lines = (first: (l: string) => boolean, ok: (l: string) => boolean) => {
    const start = pos;
    if (pos >= body.length || !first(line(pos))) return '';
    pos = lineEnd(pos);
    while (pos < body.length && ok(line(pos))) pos = lineEnd(pos);
    return body.slice(start, pos);
  };
  const closed = (what: string) => {
    if (pos >= body.length || !UPTIME.test(line(pos))) throw new Error(`${what} is not followed by the /proc/uptime line that closes it (at byte ${pos}: ${JSON.stringify(body.slice(pos, pos + 40))})`);
    pos = lineEnd(pos);
  };
  for (const { pid, files } of entries) {
    if (pid === undefined) {
      const start = pos;
      while (pos < body.length && !UPTIME.test(line(pos))) pos = lineEnd(pos);
      out.push({ name: files[0]!, text: body.slice(start, pos) });
      closed(files[0]!);
      continue;
    }
    for (const name of files) {
      let text = '';
      switch (name) {
        case 'stat': {
          const lead = `${pid} (`;
          if (!body.startsWith(lead, pos)) break;
          const from = pos + lead.length;
          const close = body.lastIndexOf(')', from + COMM_MAX);
          const nl = close < from ? -1 : body.indexOf('\n', close);
          if (nl === -1 || !STAT_TAIL.test(body.slice(close, nl))) throw new Error(`pid ${pid}'s stat is not \`PID (COMM) S ...\` (at byte ${pos})`);
          text = body.slice(pos, nl + 1);
          pos = nl + 1;
          break;
        }
        case 'status': text = lines((l) => l.startsWith('Name:'), (l) => STATUS_LINE.test(l) && !l.startsWith('Name:')); break;
        case 'limits': text = lines((l) => LIMITS_HEAD.test(l), (l) => l.startsWith('Max ')); break;
        case 'smaps_rollup': text = lines((l) => ROLLUP_HEAD.test(l), (l) => ROLLUP_LINE.test(l)); break;
        case 'maps': {
          const vma = (l: string) => MAPS_LINE.test(l) && !ROLLUP_HEAD.test(l);
          text = lines(vma, vma);
          break;
        }
        default: throw new Error(`${name} is not a file a \`cat\` section holds`);
      }
      out.push({ pid, name, text });
    }
    closed(`pid ${pid}'s files`);
  }
  if (pos !== body.length) throw new Error(`text after the last file it names (at byte ${pos}: ${JSON.stringify(body.slice(pos, pos + 40))})`);
  return out;
}
