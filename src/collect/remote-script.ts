/*! The one remote command of an SSH capture: `exec sh -s`, and on its stdin a plain POSIX sh
 * script (BusyBox ash, dash, bash) that finds the selected processes and prints every section
 * in capture format 4: one `cat` reads the board-wide files and every process's small files
 * (parse/capture-batch.ts splits them back), a fork on a qemu ARM board costing ~8 ms of CPU.
 * The boundary travels only on stdin and through shell builtins, never in an argv or
 * environment another process can read. Builds text only; every transport (ssh2,
 * an OpenSSH binary) sends REMOTE_COMMAND and writes the script to its stdin. Everything a
 * user named reaches the script single-quoted, as data. */
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

/** The exec request: a POSIX sh reading its script from stdin, whatever the account's login
 * shell is. It carries nothing secret: /proc/PID/cmdline is readable by every process. */
export const REMOTE_COMMAND = 'exec sh -s';

/** The script for one capture, to be written to the remote command's stdin. Throws
 * UsageError for a pid or name no process can have. */
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
    `SMAPS=${sel.smaps ? 1 : sel.smapsAbove ? 'auto' : 0}`,
    `SMAPSAT='${(sel.smapsAbove ?? []).map(smapsBound).join(' ')}'`,
    `CMDLINE=${sel.cmdline ? 1 : 0}`,
    `PIDS='${sel.pids.join(' ')}'`,
    `PAUSE=${pause}`,
    `set -- ${sel.names.map(shQuote).join(' ')}`,
  ];
  // each process's cmdline and smaps lines for this selection only: two shell tests a process fewer
  // without --cmdline and smaps, argv[0] and the fd count in one function (pfd), one liveness check for both
  const perProcess = !sel.cmdline && !sel.smaps && !sel.smapsAbove ? `    ${ARGV0_FDS}\n`
    : `    ${sel.cmdline ? CMDLINE_ALL : ARGV0}\n` + (sel.smaps ? `    ${SMAPS_READ}\n` : sel.smapsAbove ? `    grew "$p" && ${SMAPS_READ}\n` : '') + '    fds "$p"\n';
  const body = BODY.replace(PER_PROCESS, perProcess);
  if (body === BODY) throw new Error('remote-script: the per-process lines are not in the script');
  return params.join('\n') + '\n' + body;
}

/* A process's cmdline (argv[0] alone, or every argument with --cmdline) and its smaps (--smaps,
 * or --smaps auto where grew says so); BODY holds the general lines, which the console keeps. */
const ARGV0 = 'argv0 "pid $p cmdline" "/proc/$p/cmdline" "$p"';
/** argv[0] and the fd count together (pfd): one liveness check after both reads. */
const ARGV0_FDS = 'pfd "$p"';
const CMDLINE_ALL = 'sec "pid $p cmdline" "/proc/$p/cmdline" "$p" tr';
const SMAPS_READ = 'sec "pid $p smaps" "/proc/$p/smaps" "$p"';
const PER_PROCESS = `    if [ $CMDLINE = 1 ]; then ${CMDLINE_ALL}; else ${ARGV0}; fi\n    if [ $SMAPS = 1 ] || { [ $SMAPS = auto ] && grew "$p"; }; then ${SMAPS_READ}; fi\n    fds "$p"\n`;

/** `PID:KIB` for the script's SMAPSAT; both whole numbers (they reach the shell unquoted). */
function smapsBound(b: { pid: number; kib: number }): string {
  if (!Number.isSafeInteger(b.pid) || b.pid <= 0 || !Number.isSafeInteger(b.kib) || b.kib < 0) throw new Error(`bad smaps bound ${JSON.stringify(b)}`);
  return `${b.pid}:${b.kib}`;
}

/* The constant part; a template literal, so `\${` and `\\` are the shell's `${` and `\`.
 * B is never exported and only echo and printf (checked to be builtins) print it.
 * `$@` holds the names; PIDS only digits (checked above).
 * sec LABEL FILE [PID [tr]] (smaps, --cmdline, every file of a console's format 2): FILE's
 * text between LABEL's line and its closing line (`ok`, or
 * `gone` when the process has exited by the end of the read: an empty or cut read), or one
 * line: gone (exited or a zombie when it was to be opened), denied (there but unreadable),
 * missing (no such file).
 * With tr, the text's newlines travel as 0x01, so no byte a process chose starts a line.
 * argv0 LABEL FILE PID: cmdline cut to its first word, the program: without --cmdline nothing
 * else of a command line leaves the board. Where `read -d ''` stops at a NUL (BusyBox ash, bash:
 * RD=1, tried on this shell's own cmdline) the word is read by the shell itself, no `tr` forked
 * per process (on the qemu ARM board a fork costs as much CPU as reading 200 bytes with `read`,
 * which takes two syscalls a byte there; so stat, status, limits and smaps_rollup go to the one cat).
 * one LABEL FILE: as sec for /proc/uptime, one short line, read by the shell (exact: the kernel
 * prints no NUL there). Never for /proc/sys files: `read` takes a byte a read(2), and a sysctl
 * file read at an offset gives one byte or none (file-nr came back as "1"), so they keep cat.
 * ulimit -s is printed by the shell itself, no subshell.
 * gfiles and the process loop open every file first with a redirection (no fork), exactly as
 * sec does, so a file that cannot be opened is told apart as gone, denied or missing (of a
 * process's files only smaps_rollup and maps at first: stat, status and limits are mode 0444 and
 * checked at no open (fs/proc/base.c ONE(..., S_IRUGO, ...)), so they open wherever maps does,
 * and when the process is reaped before cat opens them they read empty, which the reader takes
 * as gone; only where one of the two fails is each of the five opened alone); the ones
 * that open go into F, read by one cat (runcat) after each process (and each board-wide file)
 * is followed by /proc/uptime, the line that closes it there (docs/capture-format.md, version 3).
 * Up to ~8000 bytes of file names go into one cat (ARG_MAX is 128 KiB and more).
 * word0 FILE: sets w to cmdline's first word up to its first newline (for matching names).
 * alive PID: not reaped and not a zombie. /proc/PID/cwd can be followed exactly while the
 * process lives (exit_fs drops it); when we may not follow it (another user's), status says.
 * A process of the batch being read whose exe link resolved before its files were read (X: a
 * process with an address space that we may read; with --all the walk that lists the processes
 * fills X as it follows each exe, no second follow a process) is alive only while it still resolves:
 * proc_exe_link takes the file from task->mm, which exit_mm clears before it drops the mm, so a
 * read that stopped short because the mm was gone (a maps cut at a page by the exit) is never
 * followed by an exe that resolves; cwd stays until exit_fs, after exit_files, which may wait
 * (a FUSE or NFS flush) as long as the file system likes. Exec swaps the mm and exe at once.
 * getcomm PID: sets c to comm (from comm, else from stat); fails when the process is gone.
 * fds PID: the number of open file descriptors, counted with a glob over /proc/PID/fd (no ls): the
 * words it expands to (one command, not one a descriptor), none when it stays the pattern.
 * rdargv0 FILE: sets a to the cmdline FILE's argv[0] (newlines as SOH); fails when FILE cannot be opened.
 * pfd PID (no --cmdline, no smaps): argv0 and fds in one, both read before one liveness check
 * that closes both sections; where fds's glob stays the pattern (none open, or the directory may
 * not be read) only then the directory's access is asked; a cmdline that cannot be opened, or an
 * fd directory that cannot be read, goes to argv0 and fds as before. No \`set --\` copy back.
 * pinfo PID: sets nm (Name:) and pp (PPid:) from status.
 * A name matches comm or the basename of cmdline's first word; the `read` of cmdline
 * (NULs dropped by the shell) only rules processes out before the exact `tr` check.
 * With ALL, kernel threads (maps readable and empty) are left out; a process whose exe link
 * resolves is none (proc_exe_link: get_task_exe_file() is NULL for a kernel thread) and has its
 * code mapped, so only the others have their maps' first line read (two syscalls a byte);
 * `processes` lists only processes with a cmdline. SELF is the capture's own session, never captured: this shell,
 * shells between it and the SSH server, and the server's processes for this connection (each
 * one whose parent is a server process too), up to but not the listening daemon. With --all the
 * script leaves out only itself and prints `session $$ $PPID` (format 4): the host takes the rest
 * out from the stat lines it gets anyway (parse/capture-session.ts), no status read a byte a
 * syscall per ancestor here. */
const BODY = `export LC_ALL=C
NL='
'
O=$PATH
PATH=/nonexistent
if ! { echo >/dev/null && printf ''; } 2>/dev/null; then
  PATH=$O
  echo "mapsdiff: this shell runs echo or printf as a program, which would show the capture's boundary to every process; nothing was captured" >&2
  exit 97
fi
PATH=$O
SOH='\x01'
RD=0
x=
y=
{ IFS= read -r -d '' x; } 2>/dev/null </proc/$$/cmdline && { IFS= read -r y || :; } 2>/dev/null </proc/$$/cmdline && [ "$x" != "$y" ] && RD=1
word0() {
  w=
  if [ $RD = 1 ]; then
    { IFS= read -r -d '' w || :; } 2>/dev/null <"$1"
  else
    w=$(tr '\\000' '\\n' <"$1" 2>/dev/null)
  fi
  w=\${w%%"$NL"*}
}
alive() {
  case $X in *" $1 "*) [ -e "/proc/$1/exe" ]; return ;; esac
  [ -d "/proc/$1/cwd" ] && return 0
  [ -d "/proc/$1" ] || return 1
  while IFS= read -r l; do
    case $l in State:*[ZX]' ('*) return 1 ;; State:*) return 0 ;; esac
  done 2>/dev/null <"/proc/$1/status"
  return 1
}
sec() {
  o=0
  if [ "$4" = tr ]; then
    { o=1; echo "$B $1"; tr '\\n' '\\001'; echo; } 2>/dev/null <"$2"
  else
    { o=1; echo "$B $1"; cat; echo; } 2>/dev/null <"$2"
  fi
  if [ $o = 1 ]; then
    if [ -n "$3" ] && ! alive "$3"; then echo "$B $1 gone"; else echo "$B $1 ok"; fi
  elif [ -n "$3" ] && ! alive "$3"; then echo "$B $1 gone"
  elif [ -e "$2" ]; then echo "$B $1 denied"
  else echo "$B $1 missing"; fi
}
one() {
  o=0
  t=
  l=
  { o=1; while IFS= read -r l; do t=$t$l$NL; done; t=$t$l; } 2>/dev/null <"$2"
  if [ $o = 1 ]; then printf '%s %s\\n%s\\n%s %s ok\\n' "$B" "$1" "$t" "$B" "$1"
  elif [ -e "$2" ]; then echo "$B $1 denied"
  else echo "$B $1 missing"; fi
}
rdargv0() {
  a=
  if [ $RD = 1 ]; then
    { IFS= read -r -d '' a || :; } 2>/dev/null <"$1" || return 1
    case $a in *"$NL"*)
      r=
      while :; do case $a in *"$NL"*) r=$r\${a%%"$NL"*}$SOH; a=\${a#*"$NL"} ;; *) break ;; esac; done
      a=$r$a ;;
    esac
  else
    { a=$(tr '\\000\\n' '\\n\\001') || :; } 2>/dev/null <"$1" || return 1
    a=\${a%%"$NL"*}
  fi
}
argv0() {
  if rdargv0 "$2"; then
    if alive "$3"; then t=ok; else t=gone; fi
    printf '%s %s\\n%s\\000\\n%s %s %s\\n' "$B" "$1" "$a" "$B" "$1" "$t"
  else
    sec "$1" "$2" "$3"
  fi
}
getcomm() {
  c=
  { IFS= read -r c || [ -n "$c" ]; } 2>/dev/null <"/proc/$1/comm" && return 0
  s=
  { IFS= read -r s || [ -n "$s" ]; } 2>/dev/null <"/proc/$1/stat" || return 1
  c=\${s#*\\(}
  c=\${c%\\)*}
}
pinfo() {
  nm=
  pp=0
  while read -r k v; do case $k in Name:) nm=$v ;; PPid:) pp=$v; return 0 ;; esac; done 2>/dev/null <"/proc/$1/status"
  return 1
}
fds() {
  if [ ! -r "/proc/$1/fd" ] || [ ! -x "/proc/$1/fd" ]; then
    if [ -d "/proc/$1/fd" ]; then echo "$B pid $1 fds denied"
    elif alive "$1"; then echo "$B pid $1 fds missing"
    else echo "$B pid $1 fds gone"; fi
    return
  fi
  z=$1
  set -- "/proc/$z/fd"/*
  n=$#
  [ $n = 1 ] && [ ! -L "$1" ] && n=0
  set -- "$z"
  if alive "$1"; then printf '%s pid %s fds\n%s\n\n%s pid %s fds ok\n' "$B" "$1" "$n" "$B" "$1"; else echo "$B pid $1 fds gone"; fi
}
pfd() {
  z=$1
  rdargv0 "/proc/$z/cmdline" || { argv0 "pid $z cmdline" "/proc/$z/cmdline" "$z"; fds "$z"; return; }
  set -- "/proc/$z/fd"/*
  n=$#
  if [ $n = 1 ] && [ ! -L "$1" ]; then
    n=0
    { [ -r "/proc/$z/fd" ] && [ -x "/proc/$z/fd" ]; } || n=
  fi
  case $X in *" $z "*) [ -e "/proc/$z/exe" ] ;; *) alive "$z" ;; esac && t=ok || t=gone
  if [ $t = ok ] && [ -n "$n" ]; then
    printf '%s pid %s cmdline\\n%s\\000\\n%s pid %s cmdline ok\\n%s pid %s fds\\n%s\\n\\n%s pid %s fds ok\\n' "$B" "$z" "$a" "$B" "$z" "$B" "$z" "$n" "$B" "$z"
  else
    printf '%s pid %s cmdline\\n%s\\000\\n%s pid %s cmdline %s\\n' "$B" "$z" "$a" "$B" "$z" "$t"
    if [ -z "$n" ]; then fds "$z"; else echo "$B pid $z fds gone"; fi
  fi
}
# grew PID (--smaps auto): true when PID has no bound in SMAPSAT (never read in full) or its Rss
# (smaps_rollup, else status VmRSS; kB) is above it, or neither says
grew() {
  b=
  for e in $SMAPSAT; do [ "\${e%:*}" = "$1" ] && b=\${e#*:}; done
  [ -z "$b" ] && return 0
  r=
  while read -r k v u; do [ "$k" = Rss: ] && r=$v && break; done 2>/dev/null <"/proc/$1/smaps_rollup"
  [ -z "$r" ] && while read -r k v u; do [ "$k" = VmRSS: ] && r=$v && break; done 2>/dev/null <"/proc/$1/status"
  [ -z "$r" ] || [ "$r" -gt "$b" ]
}
# gfiles: each board-wide file of G that opens goes into F (followed by /proc/uptime) and its
# name into H; the others are reported denied or missing, as sec does
gfiles() {
  for e in $G; do
    n=\${e%%:*}
    f=\${e#*:}
    if { :; } <"$f"; then F="$F $f /proc/uptime"; H="$H $n"
    elif [ -e "$f" ]; then echo "$B $n denied"
    else echo "$B $n missing"; fi
  done 2>/dev/null
}
# runcat: one cat of F as a \`cat\` section named by H; its closing line names the pids of R that
# are gone by the end of the read
runcat() {
  [ -n "$H" ] || return 0
  echo "$B cat$H"
  cat $F 2>/dev/null
  echo
  g=
  for p in $R; do alive "$p" || g="$g $p"; done
  if [ -n "$g" ]; then echo "$B cat gone$g"; else echo "$B cat ok"; fi
}
SELF=" $$ "
X=
# with --all every process is listed and the host takes the session out (format 4's session line)
if [ $ALL = 0 ]; then
  server() { case $1 in dropbear|dropbearmulti|sshd|sshd-session) return 0 ;; esac; return 1; }
  q=$PPID
  w=
  s=0
  while [ "$q" -gt 1 ] 2>/dev/null && pinfo "$q"; do
    r=$pp
    if server "$nm"; then
      pinfo "$r" && server "$nm" || break
      SELF="$SELF$w $q "
      w=
      s=1
    else
      [ $s = 1 ] && break
      w="$w $q"
    fi
    q=$r
  done
fi
echo "mapsdiff-capture 4 $B"
echo "$B session $$ $PPID"
# a shell built without ulimit (or no uname) is recorded as missing, not sent as an empty section
v=$(uname -a 2>/dev/null)
if [ -n "$v" ]; then printf '%s uname\\n%s\\n\\n%s uname ok\\n' "$B" "$v" "$B"; else echo "$B uname missing"; fi
one uptime /proc/uptime
if ulimit -s >/dev/null 2>&1; then printf '%s ulimit-s\\n' "$B"; ulimit -s; printf '\\n%s ulimit-s ok\\n' "$B"; else echo "$B ulimit-s missing"; fi
# the board as a whole (issue 12): slabinfo is root only (denied otherwise); df only for tmpfs.
# These files are read by the one cat of the processes' files (gfiles, runcat), NAME:FILE each.
G='meminfo:/proc/meminfo boot_id:/proc/sys/kernel/random/boot_id max_map_count:/proc/sys/vm/max_map_count file-nr:/proc/sys/fs/file-nr slabinfo:/proc/slabinfo buddyinfo:/proc/buddyinfo mounts:/proc/mounts'
if command -v df >/dev/null 2>&1; then
  printf '%s df\n' "$B"
  df -Pakt tmpfs 2>/dev/null || while read -r d m t r; do [ "$t" = tmpfs ] && df -Pk "$m"; done 2>/dev/null </proc/mounts
  printf '\n%s df ok\n' "$B"
else echo "$B df missing"; fi
P=
# --all alone: every process but this shell and the kernel threads, in as few commands a process
# as can be (each costs ~1 ms of the board's CPU under qemu). Where init's exe can be followed
# (root), an entry whose exe cannot is a kernel thread when kthreadd (pid 2, no mm) lists it
# among its children: no open of its maps (the costliest proc file to open there)
K=' '
if [ $ALL = 1 ] && [ -e /proc/1/exe ] && [ ! -e /proc/2/exe ]; then
  l=x; { l=; IFS= read -r l; } 2>/dev/null </proc/2/maps
  [ -z "$l" ] && { k=; IFS= read -r k; K=" 2 $k "; } 2>/dev/null </proc/2/task/2/children
fi
[ $ALL = 1 ] && for d in /proc/[0-9]*; do
  if [ -e "$d/exe" ]; then X="$X \${d#/proc/} "
  else
    case $K in *" \${d#/proc/} "*) continue ;; esac
    l=x; { l=; IFS= read -r l; } 2>/dev/null <"$d/maps"; [ -z "$l" ] && continue
  fi
  P="$P \${d#/proc/}"
done
[ $ALL = 1 ] && for p in $SELF; do x="$P "; case $x in *" $p "*) x="\${x%%" $p "*} \${x#*" $p "}"; P=\${x% } ;; esac; done
[ $ALL = 0 ] && for d in /proc/[0-9]*; do
  p=\${d#/proc/}
  case $SELF in *" $p "*) continue ;; esac
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
        word0 "$d/cmdline"
        w=\${w##*/}
        for n in "$@"; do [ -n "$w" ] && [ "$n" = "$w" ] && m=1; done
      fi
    fi
  fi
  [ $m = 1 ] && P="$P $p"
done
if [ -z "$P" ]; then
  F=
  H=
  R=
  gfiles
  runcat
  echo "$B processes"
  for d in /proc/[0-9]*; do
    p=\${d#/proc/}
    w=
    { IFS= read -r w || :; } 2>/dev/null <"$d/cmdline"
    [ -n "$w" ] && getcomm "$p" && printf '%s %s\\n' "$p" "$c"
  done
  echo
  echo "$B processes ok"
  echo "$B end"
  exit 0
fi
[ "$PAUSE" -gt 0 ] && sleep "$PAUSE"
set -- $P
F=
H=
R=
gfiles
while [ $# -gt 0 ]; do
  Q=
  [ $ALL = 1 ] || X=
  while [ $# -gt 0 ] && [ \${#F} -lt 8000 ]; do
    p=$1
    shift
    Q="$Q $p"
    d=/proc/$p
    [ $ALL = 1 ] || { [ -e "$d/exe" ] && X="$X $p "; }
    k=stlrm
    if { :; } 2>/dev/null <"$d/smaps_rollup" <"$d/maps"; then F="$F $d/stat $d/status $d/limits $d/smaps_rollup $d/maps"
    else
      k=
      for f in s:stat t:status l:limits r:smaps_rollup m:maps; do
        n=\${f#*:}
        if { :; } <"$d/$n"; then F="$F $d/$n"; k=$k\${f%%:*}
        elif ! alive "$p"; then echo "$B pid $p $n gone"
        elif [ -e "$d/$n" ]; then echo "$B pid $p $n denied"
        else echo "$B pid $p $n missing"; fi
      done 2>/dev/null
    fi
    [ -n "$k" ] && H="$H $p:$k" && R="$R $p" && F="$F /proc/uptime"
  done
  runcat
  F=
  H=
  R=
  for p in $Q; do
${PER_PROCESS}  done
done
echo "$B end"
`;
