/*! /proc/PID/maps text -> Vma[]. Pure: text in, data out, no I/O.
 * A line that is not a maps line is a ParseError naming the source, the line and the
 * text; with `lenient` it is skipped and reported in `skipped` instead, never silently.
 * Hex fields may carry extra leading zeros: 32-bit kernels whose __clzdi2 was broken (3.11
 * to the 2023 fix, torvalds/linux 382d4cd18475) print 8 more digits through seq_put_hex_ll,
 * e.g. dev `000000008:000000005`; the device is stored as a fixed kernel prints it (`08:05`).
 * Addresses and offsets are exact numbers (model/vma): a value a double cannot hold is a bad line. */
import { ParseError } from '../errors.js';
import type { Vma } from '../model/vma.js';
import { devOf, hexExact, scanBytes, scanLine, scanRange, type LineScan } from './maps-scan.js';

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
export interface MapsParseOptions {
  /** Where the text came from, for error messages: a file name or `snapshot t3, pid 412 maps`. */
  source: string;
  /** Skip bad lines (reported in `skipped`) instead of failing. */
  lenient?: boolean;
  /** Each VMA made with two more fields, `kind` and `owner` (undefined), for a caller that hands
   * the VMAs to analyze/classify to become its regions (`adopt`): filled in place, no second
   * allocation per VMA. Left out otherwise: a VMA is what the kernel printed. */
  room?: boolean;
  /** Skip (and list in `skipped`) a line refused only because a value in it is above 2^53 and not
   * page-aligned, even without `lenient`: for a stored snapshot, which an older mapsdiff (numbers
   * then held as bigint) may have stored from a hand-edited file. Its other lines still count. */
  skipInexact?: boolean;
}

export interface MapsParseResult {
  vmas: Vma[];
  /** `source:line: text` for each line skipped in lenient mode. */
  skipped: string[];
}

export function parseMaps(text: string, opts: MapsParseOptions): MapsParseResult {
  // a lone surrogate (a JSON \ud800 escape) has no UTF-8 form: such a text is read as a string
  if (!(text as WellFormed).isWellFormed()) return parseMapsText(text, opts);
  const vmas: Vma[] = [];
  const skipped: string[] = [];
  let prevEnd = -1;
  // the last name column read (bytes [lastFrom, lastFrom + lastLen) of the window) and what its
  // checks gave: a file's lines come together, so a run of them is decoded and checked once
  let lastFrom = 0;
  let lastLen = -1;
  let lastPath = '';
  let lastDeleted = false;
  let lastProblem: string | null = null;
  const room = opts.room === true;
  let line = 0;
  // the text in windows of whole lines, each as UTF-8 bytes in one small scratch buffer (the
  // whole 6 MB text as bytes at once cost the CLI compare its size in peak RSS); a line's
  // string is made only when the fast scan fails
  for (let base = 0; base <= text.length; ) {
    let stop = base + WINDOW >= text.length ? -1 : text.indexOf('\n', base + WINDOW);
    if (stop < 0) stop = text.length;
    const b = utf8Of(text, base, stop);
    const n = b.length;
    base = stop + 1;
    lastLen = -1; // the scratch holds other bytes now
    for (let from = 0; from <= n; ) {
      line++;
      // the fast scan first: it finds the line's end as it goes (a blank line is not one it takes)
      const f = scanBytes(b, from, n);
      let vma: Vma | string | null = null;
      let to: number;
      let next: number;
      if (f !== null) {
        to = f.to;
        next = f.next;
        if (f.end <= f.start) vma = 'the end address is not above the start address';
        else if (f.start < prevEnd) vma = OVERLAP;
        else {
          const len = to - f.nameFrom;
          if (len !== lastLen || !sameBytes(b, f.nameFrom, lastFrom, len)) {
            // a string of its own: decoded from the bytes, it keeps nothing of the text alive
            const name = len === 0 ? '' : b.toString('utf8', f.nameFrom, to);
            lastFrom = f.nameFrom;
            lastLen = len;
            lastProblem = pathProblem(name);
            lastDeleted = name.endsWith(DELETED);
            lastPath = lastDeleted ? name.slice(0, -DELETED.length) : name;
          }
          vma = lastProblem ?? vmaOf(f, lastPath, lastDeleted, line, room);
        }
      } else {
        let nl = from;
        while (nl < n && b[nl] !== 10) nl++;
        to = nl;
        next = nl + 1;
        if (to > from && b[to - 1] === 13) to--; // serial consoles send CRLF
        if (to === from || (b[from] === 32 && b.toString('utf8', from, to).trim() === '')) { from = next; continue; } // blank lines carry nothing (trailing newline, pasted gaps)
        vma = checkMapsLine(b.toString('utf8', from, to), prevEnd);
        if (typeof vma !== 'string') vma.line = line;
      }
      if (typeof vma === 'string') {
        skipped.push(skippedLine(opts, line, b.toString('utf8', from, to), vma));
        from = next;
        continue;
      }
      vmas.push(vma);
      prevEnd = vma.end;
      from = next;
    }
  }
  return { vmas, skipped };
}

/** A bad line `raw` (what is wrong: `why`) as `skipped` lists it, `source:line: text`; a ParseError
 * unless the options let it be skipped (lenient, or a stored value a double cannot hold). Both parsers' one rule. */
function skippedLine(opts: MapsParseOptions, line: number, raw: string, why: string): string {
  if (!opts.lenient && !(opts.skipInexact && why.endsWith(INEXACT))) throw new ParseError(opts.source, line, raw, why, MAPS_EXAMPLE);
  return skippedEntry(opts.source, line, raw);
}

/** A skipped line as `skipped` lists it, `source:line: text` (the text cut at 120 characters): every parser's one form. */
export function skippedEntry(source: string, line: number, raw: string): string {
  return `${source}:${line}: ${raw.length > 120 ? raw.slice(0, 120) + '…' : raw}`;
}

/** Characters per window (its last line runs on to its end). */
const WINDOW = 1 << 16;

/** One literal per shape, every field set at once: V8 keeps one hidden class for them all. */
function vmaOf(f: LineScan, path: string, deleted: boolean, line: number, room: boolean): Vma {
  if (room) return { start: f.start, end: f.end, perms: f.perms, offset: f.offset, dev: f.dev, inode: f.inode, path, deleted, line, kind: undefined, owner: undefined } as Vma;
  return { start: f.start, end: f.end, perms: f.perms, offset: f.offset, dev: f.dev, inode: f.inode, path, deleted, line };
}

/* Each VMA shape made once at load, its bounds above 2^31: V8 then gives start and end their
 * double representation from the first VMA on. Made first from a small address (a Smi), the
 * shape changed when a bound past 2^31 came (on a 32-bit board's maps, line 2763 of the 100k
 * bench), leaving the VMAs before it on deprecated hidden classes: two more shapes for the
 * report to meet and migrate. Offsets and inodes stay small integers (doubles would box each). */
for (const room of [true, false]) vmaOf({ start: 2 ** 40, end: 2 ** 40 + 4096, perms: '---p', offset: 0, dev: '00:00', inode: 0, nameFrom: 0, to: 0, next: 0 }, '', false, 0, room);

type WellFormed = string & { isWellFormed(): boolean };

/** The bytes of `b` at `at` and at `last` are the same for `len` bytes. */
function sameBytes(b: Uint8Array, at: number, last: number, len: number): boolean {
  // from the last byte: a library's lines differ from the next library's at its end
  for (let k = len - 1; k >= 0; k--) if (b[at + k] !== b[last + k]) return false;
  return true;
}

/** The scratch buffer the windows are encoded into, grown for a longer one (up to SCRATCH_KEPT). */
let scratch = Buffer.allocUnsafe(0);
const SCRATCH_KEPT = 1 << 20;
/** text[from, to) as UTF-8 bytes (at most 3 a UTF-16 unit): a view of the scratch buffer, valid until the next call. */
function utf8Of(text: string, from: number, to: number): Buffer {
  const piece = text.slice(from, to);
  const most = 3 * piece.length;
  const buf = most <= scratch.length ? scratch : most <= SCRATCH_KEPT ? (scratch = Buffer.allocUnsafe(Math.max(most, 4 * WINDOW))) : Buffer.allocUnsafe(most);
  return buf.subarray(0, buf.write(piece, 0, 'utf8'));
}

/** parseMaps over the string itself, for a text that is not well-formed UTF-16 (exported for
 * the test that holds the two to the same results). */
export function parseMapsText(text: string, opts: MapsParseOptions): MapsParseResult {
  const vmas: Vma[] = [];
  const skipped: string[] = [];
  let prevEnd = -1;
  let lastName = '';
  let line = 0;
  // line by line over the text itself: a line's substring is cut only when the fast scan fails
  for (let from = 0; from <= text.length; ) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    line++;
    let to = nl;
    const next = nl + 1;
    if (to > from && text.charCodeAt(to - 1) === 13) to--; // serial consoles send CRLF
    if (to === from || (text.charCodeAt(from) === 32 && text.slice(from, to).trim() === '')) { from = next; continue; } // blank lines carry nothing (trailing newline, pasted gaps)
    const f = scanRange(text, from, to);
    let vma: Vma | string | null = null;
    if (f !== null) {
      if (f.end <= f.start) vma = 'the end address is not above the start address';
      else if (f.start < prevEnd) vma = OVERLAP;
      else {
        const n = to - f.nameFrom;
        // a file's lines come together: its path is one string, copied out of the text (which a
        // substring would keep alive for as long as any VMA lives)
        if (n !== lastName.length || !sameAt(text, f.nameFrom, lastName)) lastName = n === 0 ? '' : own(text.slice(f.nameFrom, to));
        vma = withPath(f.start, f.end, f.perms, f.offset, f.dev, f.inode, lastName, opts.room);
      }
    }
    if (vma === null) vma = checkMapsLine(text.slice(from, to), prevEnd);
    if (typeof vma === 'string') {
      skipped.push(skippedLine(opts, line, text.slice(from, to), vma));
      from = next;
      continue;
    }
    vma.line = line;
    vmas.push(vma);
    prevEnd = vma.end;
    from = next;
  }
  return { vmas, skipped };
}

/** `text` holds `name` at `at` (its length checked by the caller). A loop over the characters,
 * from the last (a library's lines differ from the next library's at its end): String
 * startsWith at an offset into the whole text led the parser's profile. */
function sameAt(text: string, at: number, name: string): boolean {
  for (let k = name.length - 1; k >= 0; k--) if (text.charCodeAt(at + k) !== name.charCodeAt(k)) return false;
  return true;
}

/** A copy of a substring that holds no reference to the text it was cut from (V8 keeps a
 * substring of 13 characters or more as a view into its parent; a concatenation is flattened anew). */
const own = (sub: string): string => (sub.length < 13 ? sub : (' ' + sub).slice(1));

/** How every sentence for a value a double cannot hold ends (inexactField), which `skipInexact` looks for. */
export const INEXACT = 'the kernel prints every address and offset page-aligned (was the file edited by hand?)';

const OVERLAP = 'this region overlaps the line before it (are two dumps mixed, or the lines out of order?)';

/** The Vma of one line (line number 0), or a sentence saying what is wrong with it.
 * Shared with parse/smaps.ts, whose block headers are maps lines. */
export function checkMapsLine(raw: string, prevEnd: number): Vma | string {
  const fast = scanLine(raw);
  const m = fast !== null ? null : LINE.exec(raw);
  if (!fast && !m) return 'not a maps line (start-end perms offset dev inode [path])';
  const inexact = m && inexactField(m);
  if (inexact) return inexact;
  const start = m ? hexExact(m[1]!, 0, m[1]!.length) : fast!.start;
  const end = m ? hexExact(m[2]!, 0, m[2]!.length) : fast!.end;
  if (end <= start) return 'the end address is not above the start address';
  if (start < prevEnd) return OVERLAP;
  return withPath(start, end, m ? m[3]! : fast!.perms, m ? hexExact(m[4]!, 0, m[4]!.length) : fast!.offset,
    m ? devOf(m[5]!, m[6]!) : fast!.dev, m ? Number(m[7]) : fast!.inode, m ? m[8] ?? '' : fast!.name);
}

/** The sentence for the first hex field of a full-rules match that a double cannot hold
 * exactly (above 2^53 and not page-aligned: no kernel prints one, model/vma); null when none. */
function inexactField(m: RegExpExecArray): string | null {
  for (const [i, what] of [[1, 'start address'], [2, 'end address'], [4, 'offset']] as const) {
    if (Number.isNaN(hexExact(m[i]!, 0, m[i]!.length))) {
      return `the ${what} 0x${m[i]!.toLowerCase()} is above 2^53 and not page-aligned, so mapsdiff cannot hold it exactly; ` + INEXACT;
    }
  }
  return null;
}

/** What is wrong with a name column, or null. */
function pathProblem(path: string): string | null {
  if (path.length >= 30 && GLUED.test(path)) return 'two maps lines are glued together on this line (a lost line break?)';
  if (path.length >= 4 && path.includes('----') && COMMENTARY.test(path)) {
    return 'commentary is glued onto the path (a run of dashes and a note after the file name: remove the note, or pass --lenient)';
  }
  // (length first: charCodeAt past the end deoptimized the parser's loop at every anonymous line's first run)
  if (path.length > 0 && path.charCodeAt(0) === 91 /* [ */ && (path.charCodeAt(path.length - 1) !== 93 || path.indexOf(']') !== path.length - 1)) {
    return 'a special name like [heap] must end at its closing bracket';
  }
  return null;
}

/** The checks on the name column, then the Vma (line number 0). */
function withPath(start: number, end: number, perms: string, offset: number, dev: string, inode: number, path: string, room = false): Vma | string {
  const problem = pathProblem(path);
  if (problem !== null) return problem;
  let deleted = false;
  if (path.endsWith(DELETED)) {
    deleted = true;
    path = path.slice(0, -DELETED.length);
  }
  if (room) return { start, end, perms, offset, dev, inode, path, deleted, line: 0, kind: undefined, owner: undefined } as Vma;
  return { start, end, perms, offset, dev, inode, path, deleted, line: 0 };
}
