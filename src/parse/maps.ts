/*! /proc/PID/maps text -> Vma[]. Pure: text in, data out, no I/O.
 * A line that is not a maps line is a ParseError naming the source, the line and the
 * text; with `lenient` it is skipped and reported in `skipped` instead, never silently.
 * Hex fields may carry extra leading zeros: 32-bit kernels whose __clzdi2 was broken (3.11
 * to the 2023 fix, torvalds/linux 382d4cd18475) print 8 more digits through seq_put_hex_ll,
 * e.g. dev `000000008:000000005`; the device is stored as a fixed kernel prints it (`08:05`). */
import { ParseError } from '../errors.js';
import type { Vma } from '../model/vma.js';
import { scanLine } from './maps-scan.js';

export const MAPS_EXAMPLE = '00008000-0000b000 r-xp 00000000 b3:01 1023       /root/pidmax';

// start-end perms offset dev inode [pad name]; old kernels print no trailing space after inode.
// Each hex field may have up to 8 extra leading zeros (the __clzdi2 bug above).
const LINE = /^0{0,8}([0-9a-fA-F]{1,16})-0{0,8}([0-9a-fA-F]{1,16}) ([r-][w-][x-][sp]) 0{0,8}([0-9a-fA-F]{1,16}) 0{0,8}([0-9a-fA-F]{1,4}):0{0,8}([0-9a-fA-F]{1,5}) ([0-9]{1,20})(?: +(.*))?$/;
// a second maps line glued into the name column (commentary pasted around dumps)
const GLUED = /[0-9a-fA-F]{8,16}-[0-9a-fA-F]{8,16} [r-][w-][x-][sp] [0-9a-fA-F]{8}/;
// a note pasted after a path: a run of dashes, then text or nothing (the seed's line 4:
// `/lib/ld-2.28.9000.so-----------------下面是…`). No file name the kernel prints ends so.
const COMMENTARY = /-{4,}(?:$|[\s\u0080-\uffff])/;
const DELETED = ' (deleted)';
/** `[r-][w-][x-][sp]`, checked by character: no regex run per line. */
const permsOk = (p: string): boolean => {
  const r = p.charCodeAt(0), w = p.charCodeAt(1), x = p.charCodeAt(2), s = p.charCodeAt(3);
  return p.length === 4 && (r === 114 || r === 45) && (w === 119 || w === 45) && (x === 120 || x === 45) && (s === 115 || s === 112);
};

export interface MapsParseOptions {
  /** Where the text came from, for error messages: a file name or `snapshot t3, pid 412 maps`. */
  source: string;
  /** Skip bad lines (reported in `skipped`) instead of failing. */
  lenient?: boolean;
}

export interface MapsParseResult {
  vmas: Vma[];
  /** `source:line: text` for each line skipped in lenient mode. */
  skipped: string[];
}

export function parseMaps(text: string, opts: MapsParseOptions): MapsParseResult {
  const vmas: Vma[] = [];
  const skipped: string[] = [];
  const lines = text.split('\n');
  let prevEnd = -1n;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1); // serial consoles send CRLF
    if (raw.length === 0 || (raw.charCodeAt(0) === 32 && raw.trim() === '')) continue; // blank lines carry nothing (trailing newline, pasted gaps)
    const problem = checkMapsLine(raw, prevEnd);
    if (typeof problem === 'string') {
      if (!opts.lenient) throw new ParseError(opts.source, i + 1, raw, problem, MAPS_EXAMPLE);
      skipped.push(`${opts.source}:${i + 1}: ${raw.length > 120 ? raw.slice(0, 120) + '…' : raw}`);
      continue;
    }
    problem.line = i + 1;
    vmas.push(problem);
    prevEnd = problem.end;
  }
  return { vmas, skipped };
}

/** The Vma of one line (line number 0), or a sentence saying what is wrong with it.
 * Shared with parse/smaps.ts, whose block headers are maps lines. */
export function checkMapsLine(raw: string, prevEnd: bigint): Vma | string {
  const fast = scanLine(raw);
  const fastOk = fast !== null && permsOk(fast.perms);
  const m = fastOk ? null : LINE.exec(raw);
  if (!fastOk && !m) return 'not a maps line (start-end perms offset dev inode [path])';
  const start = m ? BigInt('0x' + m[1]) : fast!.start;
  const end = m ? BigInt('0x' + m[2]) : fast!.end;
  if (end <= start) return 'the end address is not above the start address';
  if (start < prevEnd) return 'this region overlaps the line before it (are two dumps mixed, or the lines out of order?)';
  let path = m ? m[8] ?? '' : fast!.name;
  if (path.length >= 30 && GLUED.test(path)) return 'two maps lines are glued together on this line (a lost line break?)';
  if (path.length >= 4 && path.includes('----') && COMMENTARY.test(path)) {
    return 'commentary is glued onto the path (a run of dashes and a note after the file name: remove the note, or pass --lenient)';
  }
  if (path.charCodeAt(0) === 91 /* [ */ && (path.charCodeAt(path.length - 1) !== 93 || path.indexOf(']') !== path.length - 1)) {
    return 'a special name like [heap] must end at its closing bracket';
  }
  const inode = m ? Number(m[7]) : fast!.inode;
  let deleted = false;
  if (path.endsWith(DELETED)) {
    deleted = true;
    path = path.slice(0, -DELETED.length);
  }
  return {
    start,
    end,
    perms: m ? m[3]! : fast!.perms,
    offset: m ? BigInt('0x' + m[4]) : fast!.offset,
    dev: m ? devOf(m[5]!, m[6]!) : fastDev(fast!.dev),
    inode,
    path,
    deleted,
    line: 0,
  };
}

/** `major:minor` as the kernel prints it (`%02x:%02x`), whatever zeros the line carried. */
function devOf(major: string, minor: string): string {
  const two = (h: string) => (h.length < 2 ? '0' + h : h).toLowerCase();
  return `${two(major)}:${two(minor)}`;
}

/** The fast path's dev, lower-cased; with extra leading zeros (rare) as devOf prints it. */
function fastDev(d: string): string {
  const c = d.indexOf(':');
  if ((c > 2 && d.charCodeAt(0) === 48) || (d.length - c > 3 && d.charCodeAt(c + 1) === 48)) {
    const strip = (h: string) => h.replace(/^0+(?=.)/, '');
    return devOf(strip(d.slice(0, c)), strip(d.slice(c + 1)));
  }
  return d.toLowerCase();
}
