/*! The one remote command of an SSH capture: a plain POSIX sh script (BusyBox ash, dash,
 * bash) that finds the selected processes and prints every section behind the boundary.
 * Builds text only. Everything a user named reaches the script single-quoted, as data. */
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Selection } from './source.js';

/** A fresh random 128-bit boundary (32 hex digits): nothing a board prints can forge it. */
export function newBoundary(): string {
  return randomBytes(16).toString('hex');
}

/** One shell word holding `s` exactly: `it's` -> `'it'\''s'`. */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new UsageError(`${JSON.stringify(s)} contains a NUL byte; no shell word can hold it`);
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

export interface ScriptOptions {
  /** Tests only: seconds to sleep between listing the processes and reading them. */
  pauseAfterListing?: number;
}

/** The script for one capture. Throws UsageError for a pid or name no process can have. */
export function buildRemoteScript(sel: Selection, boundary: string, opts: ScriptOptions = {}): string {
  if (!/^[A-Za-z0-9_.@=+-]{6,64}$/.test(boundary)) throw new Error(`bad boundary ${JSON.stringify(boundary)}`);
  for (const pid of sel.pids) {
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`--pid ${pid} is not a process id (a positive whole number)`);
  }
  for (const name of sel.names) {
    if (name === '') throw new UsageError('an empty process name matches nothing; name a process or use --pid/--all');
  }
  const pause = opts.pauseAfterListing ?? 0;
  if (!Number.isInteger(pause) || pause < 0) throw new Error(`bad pauseAfterListing ${pause}`);
  const params = [
    `B=${boundary}`,
    `ALL=${sel.all ? 1 : 0}`,
    `SMAPS=${sel.smaps ? 1 : 0}`,
    `PIDS='${sel.pids.join(' ')}'`,
    `PAUSE=${pause}`,
    `set -- ${sel.names.map(shQuote).join(' ')}`,
  ];
  return params.join('\n') + '\n' + BODY;
}

/** The exec request: run the script with `sh` whatever the account's login shell is. */
export function remoteCommand(script: string): string {
  return `exec sh -c ${shQuote(script)}`;
}

/* The constant part; a template literal, so `\${` and `\\` are the shell's `${` and `\`.
 * `$@` holds the names; PIDS only digits (checked above).
 * sec LABEL FILE [PID]: one section copied from FILE, or LABEL gone (process exited),
 * denied (there but unreadable) or missing (no such file).
 * getcomm PID: sets c to comm (from comm, else from stat); fails when the process is gone.
 * A name matches comm or the basename of cmdline's first word; the `read` of cmdline
 * (NULs dropped or cut by the shell) only rules processes out before the exact `tr` check.
 * With ALL, kernel threads (maps readable and empty) are left out; `processes` lists only
 * processes with a cmdline. */
const BODY = `export LC_ALL=C
NL='
'
sec() {
  o=0
  { o=1; echo "$B $1"; cat; } 2>/dev/null <"$2"
  [ $o = 1 ] && return 0
  if [ -n "$3" ] && [ ! -d "/proc/$3" ]; then echo "$B $1 gone"; elif [ -e "$2" ]; then echo "$B $1 denied"; else echo "$B $1 missing"; fi
}
getcomm() {
  c=
  { IFS= read -r c || [ -n "$c" ]; } 2>/dev/null <"/proc/$1/comm" && return 0
  s=
  { IFS= read -r s || [ -n "$s" ]; } 2>/dev/null <"/proc/$1/stat" || return 1
  c=\${s#*\\(}
  c=\${c%\\)*}
}
echo "mapsdiff-capture 1 $B"
# a shell built without ulimit (or no uname) is recorded as missing, not sent as an empty section
v=$(uname -a 2>/dev/null)
if [ -n "$v" ]; then printf '%s uname\\n%s\\n' "$B" "$v"; else echo "$B uname missing"; fi
sec uptime /proc/uptime
v=$(ulimit -s 2>/dev/null)
if [ -n "$v" ]; then printf '%s ulimit-s\\n%s\\n' "$B" "$v"; else echo "$B ulimit-s missing"; fi
sec meminfo /proc/meminfo
P=
for d in /proc/[0-9]*; do
  p=\${d#/proc/}
  [ "$p" = "$$" ] && continue
  m=$ALL
  for q in $PIDS; do [ "$q" = "$p" ] && m=1; done
  if [ $m = 0 ] && [ $# -gt 0 ]; then
    getcomm "$p" || continue
    for n in "$@"; do [ "$n" = "$c" ] && m=1; done
    if [ $m = 0 ]; then
      w=
      { IFS= read -r w || :; } 2>/dev/null <"$d/cmdline"
      k=0
      for n in "$@"; do case $w in *"$n"*) k=1 ;; esac; done
      if [ $k = 1 ]; then
        w=$(tr '\\000' '\\n' <"$d/cmdline" 2>/dev/null)
        w=\${w%%"$NL"*}
        w=\${w##*/}
        for n in "$@"; do [ -n "$w" ] && [ "$n" = "$w" ] && m=1; done
      fi
    fi
  fi
  if [ $m = 1 ] && [ $ALL = 1 ]; then
    e=0
    l=
    { e=1; IFS= read -r l || :; } 2>/dev/null <"$d/maps"
    [ $e = 1 ] && [ -z "$l" ] && m=0
  fi
  [ $m = 1 ] && P="$P $p"
done
if [ -z "$P" ]; then
  echo "$B processes"
  for d in /proc/[0-9]*; do
    p=\${d#/proc/}
    w=
    { IFS= read -r w || :; } 2>/dev/null <"$d/cmdline"
    [ -n "$w" ] && getcomm "$p" && printf '%s %s\\n' "$p" "$c"
  done
  echo "$B end"
  exit 0
fi
[ "$PAUSE" -gt 0 ] && sleep "$PAUSE"
for p in $P; do
  for f in stat status limits cmdline maps smaps_rollup; do sec "pid $p $f" "/proc/$p/$f" "$p"; done
  [ $SMAPS = 1 ] && sec "pid $p smaps" "/proc/$p/smaps" "$p"
done
echo "$B end"
`;
