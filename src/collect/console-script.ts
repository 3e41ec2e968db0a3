/*! The capture script for a console (telnet, serial, a terminal where a user pastes it): the
 * SSH collector's script (remote-script.ts) with every section's text summed on the board as
 * it is sent, the sum on its closing line (`... ok md5 HEX`, or `cksum CRC LENGTH` where the
 * board has no md5sum; parse/capture-checked.ts), so a noisy or cut line is refused, never
 * stored. The text goes through `tee -a /proc/self/fd/4` (fd 4 is the script's stdout) into the
 * sum: the file is read once, and the bytes summed are the bytes sent. It sends format 2, each
 * file in its own section (not format 3's and 4's one `cat` for many). buildResendScript asks
 * again for only the sections whose sums failed, read afresh. Builds text only. */
import { PER_PID } from '../parse/capture-section.js';
import { buildRemoteScript, type ScriptOptions } from './remote-script.js';
import type { Selection } from './source.js';

const PRELUDE = `exec 4>&1
if md5sum </dev/null >/dev/null 2>&1; then H=md5
elif cksum </dev/null >/dev/null 2>&1; then H=cksum
else echo "mapsdiff: this board has neither md5sum nor cksum to sum the sections with; nothing was captured" >&2; exit 96; fi
if ! : | tee -a /proc/self/fd/4 >/dev/null 2>&1; then
  echo "mapsdiff: tee cannot write to /proc/self/fd/4 here; nothing was captured" >&2; exit 96
fi
sum() { if [ $H = md5 ]; then set -- $(md5sum); echo "md5 $1"; else echo "cksum $(cksum)"; fi; }
put() { echo "$B $1"; c=$(printf '%s' "$2" | tee -a /proc/self/fd/4 | sum); echo; echo "$B $1 ok $c"; }
`;

const SEC = `sec() {
  o=0
  c=
  if [ "$4" = tr ]; then
    { o=1; echo "$B $1"; c=$(tr '\\n' '\\001' | tee -a /proc/self/fd/4 | sum); echo; } 2>/dev/null <"$2"
  else
    { o=1; echo "$B $1"; c=$(tee -a /proc/self/fd/4 | sum); echo; } 2>/dev/null <"$2"
  fi
  if [ $o = 1 ]; then
    if [ -n "$3" ] && ! alive "$3"; then echo "$B $1 gone $c"; else echo "$B $1 ok $c"; fi
  elif [ -n "$3" ] && ! alive "$3"; then echo "$B $1 gone"
  elif [ -e "$2" ]; then echo "$B $1 denied"
  else echo "$B $1 missing"; fi
}
`;

const HEADER = 'echo "mapsdiff-capture 2 $B"\n';

/* A console sends format 2, every file its own summed section (so a damaged one can be asked for
 * alone): the SSH script's one `cat` for many processes (formats 3 and 4) is swapped for this loop,
 * and its session line (format 4) for the format 2 header.
 * X, as there: a process whose exe resolved before its files were read is alive while it still does. */
const PER_FILE = `for p in $P; do
  X=
  [ -e "/proc/$p/exe" ] && X=" $p "
  sec "pid $p stat" "/proc/$p/stat" "$p" tr
  for f in status limits; do sec "pid $p $f" "/proc/$p/$f" "$p"; done
  if [ $CMDLINE = 1 ]; then sec "pid $p cmdline" "/proc/$p/cmdline" "$p" tr; else argv0 "pid $p cmdline" "/proc/$p/cmdline" "$p"; fi
  for f in maps smaps_rollup; do sec "pid $p $f" "/proc/$p/$f" "$p"; done
  if [ $SMAPS = 1 ] || { [ $SMAPS = auto ] && grew "$p"; }; then sec "pid $p smaps" "/proc/$p/smaps" "$p"; fi
  fds "$p"
done
`;

/* ... and the board-wide files that script reads in the same cat, each its own section again */
const BOARD_FILES = `sec meminfo /proc/meminfo
sec boot_id /proc/sys/kernel/random/boot_id
sec max_map_count /proc/sys/vm/max_map_count
sec file-nr /proc/sys/fs/file-nr
sec slabinfo /proc/slabinfo
sec buddyinfo /proc/buddyinfo
sec mounts /proc/mounts
`;

const ARGV0_PRINT = `printf '%s %s\\n%s\\000\\n%s %s %s\\n' "$B" "$1" "$a" "$B" "$1" "$t"`;
const ARGV0_CHECKED = `echo "$B $1"; c=$(printf '%s\\000' "$a" | tee -a /proc/self/fd/4 | sum); echo; echo "$B $1 $t $c"`;

/** The checked script; throws if remote-script.ts no longer has the parts it rewrites. */
export function buildConsoleScript(sel: Selection, boundary: string, opts: ScriptOptions = {}): string {
  let s = buildRemoteScript(sel, boundary, opts);
  const swap = (what: string | RegExp, by: string) => {
    const next = s.replace(what, by);
    if (next === s) throw new Error(`console-script: the capture script no longer has ${String(what).slice(0, 60)}`);
    s = next;
  };
  swap('export LC_ALL=C\n', 'export LC_ALL=C\n' + PRELUDE);
  // a raw 0x01 is a terminal program's escape key (minicom, picocom, screen: Ctrl-A)
  swap("SOH='\x01'\n", "SOH=$(printf '\\001')\n");
  swap('echo "mapsdiff-capture 4 $B"\necho "$B session $$ $PPID"\n', HEADER);
  // format 2 has no session line for the host to walk from: the shell takes its session out itself
  swap('if [ $ALL = 0 ]; then\n  server()', 'if :; then\n  server()');
  swap(/^set -- \$P\nF=\n[\s\S]*\ndone\n(?=echo "\$B end"\n$)/m, PER_FILE);
  swap(/^# These files are read by the one cat[^\n]*\nG='meminfo:[^\n]*'\n/m, BOARD_FILES);
  swap('  F=\n  H=\n  R=\n  gfiles\n  runcat\n', '');
  swap(/^sec\(\) \{\n[\s\S]*?\n\}\n/m, SEC);
  swap(ARGV0_PRINT, ARGV0_CHECKED);
  swap(`printf '%s uname\\n%s\\n\\n%s uname ok\\n' "$B" "$v" "$B"`, 'put uname "$v$NL"');
  // ulimit -s and /proc/uptime are printed by the shell itself there (no fork); here they are summed like the rest
  swap(`printf '%s ulimit-s\\n' "$B"; ulimit -s; printf '\\n%s ulimit-s ok\\n' "$B"`, 'v=$(ulimit -s); put ulimit-s "$v$NL"');
  swap(`then printf '%s %s\\n%s\\n%s %s ok\\n' "$B" "$1" "$t" "$B" "$1"`, 'then put "$1" "$t"');
  // the board's df and each process's fd count are printed whole, not copied from a file
  swap(`  printf '%s df\n' "$B"\n  df -Pakt tmpfs 2>/dev/null || while read -r d m t r; do [ "$t" = tmpfs ] && df -Pk "$m"; done 2>/dev/null </proc/mounts\n  printf '\n%s df ok\n' "$B"\n`,
    '  v=$(while read -r d m t r; do [ "$t" = tmpfs ] && df -Pk "$m"; done 2>/dev/null </proc/mounts)\n  put df "$v$NL"\n');
  swap(`printf '%s pid %s fds\n%s\n\n%s pid %s fds ok\n' "$B" "$1" "$n" "$B" "$1"`, 'put "pid $1 fds" "$n$NL"');
  swap(/ {2}echo "\$B processes"\n([\s\S]*?)\n {2}echo\n {2}echo "\$B processes ok"\n/,
    '  echo "$B processes"\n  c=$( {\n$1\n  } | tee -a /proc/self/fd/4 | sum)\n  echo\n  echo "$B processes ok $c"\n');
  return s;
}

/** The board-wide part of the script (between the header and the process listing) cut into
 * its top-level statements, each with the assignments before it (`v=$(uname -a)`). */
function boardStatements(script: string): string[] {
  const from = script.indexOf(HEADER);
  const to = script.indexOf('\nP=\n', from);
  if (from === -1 || to === -1) throw new Error('console-script: the capture script no longer has its header and process listing');
  const out: string[] = [];
  let pending = '';
  for (const line of script.slice(from + HEADER.length, to + 1).split('\n')) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (/^(\s|else\b|elif\b|fi\b|done\b|esac\b|then\b|do\b)/.test(line) && out.length) { out[out.length - 1] += line + '\n'; continue; }
    if (/^[A-Za-z_][A-Za-z0-9_]*=\S*$/.test(line) || /^[A-Za-z_][A-Za-z0-9_]*=\$\(.*\)$/.test(line)) { pending += line + '\n'; continue; }
    out.push(pending + line + '\n');
    pending = '';
  }
  return out;
}

const emits = (st: string, key: string) => st.includes(`sec ${key} `) || st.includes(`one ${key} `) || st.includes(`put ${key} `) || st.includes(`"$B ${key}"`) || st.includes(`"$B ${key} `);

/** A script that sends only `keys` (`pid 412 maps`, `meminfo`: sections whose sums failed),
 * each read again, framed and summed as in the capture, under a fresh boundary. The process
 * list is not made again: a process's sections are read by its pid (gone if it has exited). */
export function buildResendScript(sel: Selection, boundary: string, keys: string[], opts: ScriptOptions = {}): string {
  const full = buildConsoleScript(sel, boundary, opts);
  const statements = boardStatements(full);
  const cmds = keys.map((key) => {
    const m = /^pid ([0-9]{1,10}) (\S+)$/.exec(key);
    if (m) {
      const [, pid, name] = m as unknown as [string, string, string];
      if (!PER_PID.has(name)) throw new Error(`console-script: no section ${name} to ask for again`);
      const label = `"pid ${pid} ${name}"`, file = `"/proc/${pid}/${name}"`;
      if (name === 'fds') return `fds ${pid}\n`;
      if (name === 'stat' || (name === 'cmdline' && sel.cmdline)) return `sec ${label} ${file} "${pid}" tr\n`;
      if (name === 'cmdline') return `argv0 ${label} ${file} "${pid}"\n`;
      return `sec ${label} ${file} "${pid}"\n`;
    }
    const st = statements.filter((x) => emits(x, key));
    if (st.length !== 1) throw new Error(`console-script: the capture script has ${st.length} statements sending ${key}, not one`);
    return st[0]!;
  });
  return full.slice(0, full.indexOf(HEADER) + HEADER.length) + cmds.join('') + 'echo "$B end"\n';
}
