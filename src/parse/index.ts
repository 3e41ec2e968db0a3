/*! RawCapture -> ParsedCapture: runs every section's parser and groups per-process
 * sections by pid. Pure: no I/O. Errors name the section (`t3, pid 412 maps`); with
 * `lenient`, a bad line or section is skipped and listed in `skipped`, never silently. */
import { ParseError } from '../errors.js';
import type { ParsedCapture, ParsedProcess, RawCapture, RawSection } from '../model/capture.js';
import { INEXACT, parseMaps, skippedEntry } from './maps.js';
import { parseMeminfo } from './meminfo.js';
import { parseUlimitStack } from './ulimit.js';
import { parseUptime } from './uptime.js';
import { parseUname } from './uname.js';
import { parseBootId } from './boot-id.js';
import { parseStat } from './stat.js';
import { parseStatus } from './status.js';
import { parseLimits } from './limits.js';
import { parseSmaps, parseSmapsRollup } from './smaps.js';
import { parseBuddyinfo, parseCount, parseFileNr, parseSlabinfo } from './kernel-tables.js';
import { parseDf, parseTmpfsMounts } from './mounts.js';

export interface CaptureParseOptions {
  /** Names the capture in errors: a file, a snapshot name. */
  source: string;
  /** Skip bad maps lines and unreadable sections, listing them in `skipped`. */
  lenient?: boolean;
  /** Make each VMA with room for its region's kind and owner (parse/maps `room`). */
  room?: boolean;
  /** Across the captures of a series: each pid's last maps text and its VMAs. A maps text equal
   * to the last one is not parsed again and its VMAs are shared (they are never mutated). */
  reuse?: MapsReuse;
  /** The capture was read from the store: a maps line refused only for a value a double cannot hold
   * is skipped and listed, not fatal (parse/maps `skipInexact`). */
  stored?: boolean;
}

export type MapsReuse = Map<number, { text: string; vmas: ParsedProcess['vmas'] }>;

/** How a `skipped` entry ends when its whole section was left out with it (a smaps block header, a
 * meminfo line...: sections read all or nothing), not just the line (maps). */
const SECTION_LEFT_OUT = ' (its whole section is left out)';

export function parseCapture(raw: RawCapture, opts: CaptureParseOptions): ParsedCapture {
  const out: ParsedCapture = { processes: [], skipped: [] };
  const byPid = new Map<number, ParsedProcess>();
  const argv0 = new Map<number, string>();
  let dfText: { text: string; source: string } | undefined;
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (e) {
      // a stored smaps block header with a value a double cannot hold: skipped as parseMaps skips a line,
      // and with it the section it is in (listed as such: the section is not read without just that line)
      if (!(e instanceof ParseError) || !(opts.lenient || (opts.stored && e.problem.endsWith(INEXACT)))) throw e;
      out.skipped.push(skippedEntry(e.source, e.line, e.text) + SECTION_LEFT_OUT);
      out.sectionsLeftOut = (out.sectionsLeftOut ?? 0) + 1;
      return undefined;
    }
  };
  for (const s of raw.sections) {
    // pid 0 is a bare maps file imported without --pid: its name is the file's
    const source = `${opts.source}, ${s.pid === undefined || s.pid === 0 ? '' : `pid ${s.pid} `}${s.name}`;
    if (s.pid === undefined) {
      if (s.status === 'ok' && s.name === 'df') dfText = { text: s.text, source };
      else if (s.status === 'ok') attempt(() => readGlobal(s, source, out));
      else if (s.status === 'denied') (out.boardDenied ??= []).push(s.name);
      else if (s.status === 'missing' && s.name !== 'boot_id') (out.boardMissing ??= []).push(s.name);
      continue;
    }
    let proc = byPid.get(s.pid);
    if (!proc) {
      proc = { pid: s.pid, name: '', startTime: null, vmas: [], missing: [], denied: [], gone: false };
      byPid.set(s.pid, proc);
      out.processes.push(proc);
    }
    if (s.status === 'missing') proc.missing.push(s.name);
    if (s.status === 'denied') proc.denied.push(s.name);
    if (s.status === 'gone') proc.gone = true;
    if (s.status !== 'ok') continue; // a gone section's text may stop mid-line
    if (s.name === 'maps') {
      const last = opts.reuse?.get(s.pid);
      if (last && last.text === s.text) {
        proc.vmas = last.vmas;
        continue;
      }
      const r = parseMaps(s.text, { source, lenient: opts.lenient, room: opts.room, skipInexact: opts.stored });
      proc.vmas = r.vmas;
      for (const line of r.skipped) out.skipped.push(line); // not push(...): 200k skipped lines overflow the stack
      // a text with skipped lines is parsed each time: its skipped list names its own snapshot
      if (opts.reuse && !r.skipped.length) opts.reuse.set(s.pid, { text: s.text, vmas: r.vmas });
    } else if (s.name === 'cmdline') {
      // a hand-made capture may add a newline after the NUL-separated words
      const args = s.text.replace(/\r?\n$/, '').replace(/\0+$/, '').split('\0');
      proc.cmdline = args.join(' ');
      argv0.set(s.pid, args[0]!);
      if (args[0]) proc.argv0 = args[0];
    } else {
      attempt(() => readProcess(s, source, proc!));
    }
  }
  if (out.tmpfs && dfText) {
    const df = attempt(() => parseDf(dfText!.text, dfText!.source));
    for (const m of out.tmpfs) Object.assign(m, df?.get(m.mountPoint) ?? {});
  }
  for (const p of out.processes) {
    p.name = p.stat?.comm ?? p.status?.['Name'] ?? basename(argv0.get(p.pid)) ?? '';
    p.startTime = p.stat?.startTime ?? null;
  }
  // by number (1, 98, 100): a shell's /proc/[0-9]* lists them as strings (1, 100, 98)
  out.processes.sort((x, y) => x.pid - y.pid);
  return out;
}

function readGlobal(s: RawSection, source: string, out: ParsedCapture): void {
  switch (s.name) {
    case 'uname': parseUname(s.text, source); out.uname = s.text.trim(); break;
    case 'uptime': out.uptime = parseUptime(s.text, source); break;
    case 'boot_id': out.bootId = parseBootId(s.text, source); break;
    case 'ulimit-s': out.ulimitStack = parseUlimitStack(s.text, source); break;
    case 'meminfo': out.meminfo = parseMeminfo(s.text, source); break;
    case 'max_map_count': out.maxMapCount = parseCount(s.text, source); break;
    case 'file-nr': out.fileNr = parseFileNr(s.text, source); break;
    case 'slabinfo': out.slabinfo = parseSlabinfo(s.text, source); break;
    case 'buddyinfo': out.buddyinfo = parseBuddyinfo(s.text, source); break;
    case 'mounts': out.tmpfs = parseTmpfsMounts(s.text, source); break;
    case 'processes': break; // the `pid comm` list collectors send when nothing matched; read by collect/
    default: throw new ParseError(source, 1, '', `section ${s.name} needs a pid`, `pid 412 ${s.name}`);
  }
}

function readProcess(s: RawSection, source: string, proc: ParsedProcess): void {
  switch (s.name) {
    case 'stat': {
      const stat = parseStat(s.text, source);
      if (stat.pid !== proc.pid) {
        throw new ParseError(source, 1, s.text.split('\n', 1)[0]!, `this stat is for pid ${stat.pid}, not ${proc.pid}`, `${proc.pid} (name) S ...`);
      }
      proc.stat = stat;
      break;
    }
    case 'status': proc.status = parseStatus(s.text, source); break;
    case 'limits': proc.limits = parseLimits(s.text, source); break;
    case 'smaps': proc.smaps = parseSmaps(s.text, source); break;
    case 'smaps_rollup': proc.smapsRollup = parseSmapsRollup(s.text, source); break;
    case 'fds': proc.fds = parseCount(s.text, source, '24'); break;
    default: throw new ParseError(source, 1, '', `section ${s.name} is not per process`, s.name);
  }
}

/** `/usr/bin/leaker` -> `leaker`; undefined for an empty cmdline (kernel threads). */
function basename(arg0: string | undefined): string | undefined {
  return arg0 ? arg0.slice(arg0.lastIndexOf('/') + 1) || undefined : undefined;
}
