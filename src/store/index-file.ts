/*! DIR/index.jsonl: an append-only cache of snapshot headers, so `list` (and every ref such as
 * `latest`) need not open every file. One JSON line per event: `{"f":"t3.json","meta":{...}}`
 * when a file's header is known, `{"f":"t3.json","gone":true}` when it is removed; a later line
 * wins. It is only ever looked up by names read from the directory, never used to build a path,
 * and every meta is type-checked again when read; a line that does not parse is ignored (the
 * file is then simply read). Writing it is best effort: a store without it is only slower. */
import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import path from 'node:path';
import type { SnapshotMeta } from '../model/snapshot.js';
import { metaProblem } from './snapshot-shape.js';
import { matchTemplate, metaOf, newMatch, templateOf, timeCode, timeText, type Template } from './index-template.js';
import { tempName } from './temp-files.js';
import { appendRegular, MAX_SNAPSHOT, withRegularFile } from './safe-read.js';

export const INDEX = 'index.jsonl';
/** Bytes read at once: below V8's large-object size (128 KiB), so no read makes a string or
 * buffer that only a full collection gives back. */
const BLOCK = 64 * 1024;
/** A line longer than this is no record mapsdiff wrote. */
const LINE_MAX = 16 << 20;
const JSON_EXT = '.json';
/** Templates kept while reading (index-template.ts): one a target, for a fleet of a few. */
const TEMPLATES = 8;

/** For a line too long to be read whole, from its first LINE_MAX bytes: a `gone` record for the
 * file it names (so that file is read, not taken from an older line), else a line that parses to nothing. */
function forget(head: string): string {
  const m = /^\{"f":("(?:[^"\\]|\\.)*")/.exec(head);
  let f: unknown;
  try { f = m ? JSON.parse(m[1]!) : undefined; } catch { f = undefined; }
  return typeof f === 'string' ? JSON.stringify({ f, gone: true }) : '';
}

export interface IndexRecord {
  f: string;
  meta?: SnapshotMeta;
}

/** The index's records, one row each in the order of their lines (the order the snapshots were
 * written), and the last row of each file. A row holds its file (NAME.json), its capture time and
 * line number, and its meta: the one JSON.parse read, or, for a line read through a template
 * (index-template.ts), one made from the template when first asked for (`meta`): resolving `latest`
 * among 10,000 snapshots needs their files, targets and times, not 10,000 metas. */
export class IndexRows {
  readonly files: string[] = [];
  readonly seqs: number[] = [];
  /** A row's capturedAt as a timeCode (index-template.ts), or -1 when `texts` holds it. */
  private readonly codes: number[] = [];
  private readonly texts: (string | undefined)[] = [];
  /** Its startedAt as a timeCode, or -1 (then its meta's, if it has one). */
  private readonly started: number[] = [];
  /** The row's meta once known: parsed, made from its template, or given (`add`). */
  private readonly metas: (SnapshotMeta | undefined)[] = [];
  private readonly templates: (Template | undefined)[] = [];
  /** The last row of each file not gone since (a later line wins). */
  readonly byFile = new Map<string, number>();
  /** Lines read: the next line's number. */
  lines = 0;
  /** The index file's stat as it was opened (null: no index was read). */
  stat: fs.BigIntStats | null = null;

  get rows(): number {
    return this.files.length;
  }

  /** A new row of file `f` (NAME.json) at line `seq` whose meta is `meta`. */
  add(f: string, seq: number, meta: SnapshotMeta): number {
    return this.push(f, seq, -1, meta.capturedAt, -1, meta, undefined);
  }

  /** A new row of file `f` at line `seq`, read through template `t`: its meta is t's with these times. */
  addMatched(f: string, seq: number, capturedAt: number, startedAt: number, t: Template): number {
    return this.push(f, seq, capturedAt, undefined, startedAt, undefined, t);
  }

  private push(f: string, seq: number, code: number, text: string | undefined, started: number, meta: SnapshotMeta | undefined, t: Template | undefined): number {
    const row = this.files.length;
    this.files.push(f);
    this.seqs.push(seq);
    this.codes.push(code);
    this.texts.push(text);
    this.started.push(started);
    this.metas.push(meta);
    this.templates.push(t);
    return row;
  }

  /** The row's meta; made from its template on the first call and kept, unless `keep` is false (a walk
   * over every row, which holds each meta only while it reads that snapshot: a series of 20,000). */
  meta(row: number, keep = true): SnapshotMeta {
    let meta = this.metas[row];
    if (meta === undefined) {
      const started = this.started[row]!;
      meta = metaOf(this.templates[row]!, this.files[row]!, this.capturedAt(row), started < 0 ? undefined : timeText(started));
      if (keep) this.metas[row] = meta;
    }
    return meta;
  }

  capturedAt(row: number): string {
    return this.texts[row] ?? timeText(this.codes[row]!);
  }

  /** <0, 0, >0 as row a was captured before, with, after row b: their capturedAt in code-unit order. */
  compareTimes(a: number, b: number): number {
    const x = this.codes[a]!;
    const y = this.codes[b]!;
    if (x >= 0 && y >= 0) return x - y;
    const s = this.capturedAt(a);
    const t = this.capturedAt(b);
    return s < t ? -1 : s > t ? 1 : 0;
  }

  /** The row's meta is `meta` from now on (its file changed in place since it was indexed). */
  replace(row: number, meta: SnapshotMeta): void {
    this.metas[row] = meta;
    this.codes[row] = -1;
    this.texts[row] = meta.capturedAt;
  }

  /** A row read through a template: its file is NAME.json of its meta's name, of NAME's letters. */
  templated(row: number): boolean {
    return this.templates[row] !== undefined;
  }

  target(row: number): string {
    return (this.metas[row] ?? this.templates[row]!.meta).target;
  }

  /** Its meta's name, once known, else its file's less `.json` (what a template's meta takes). */
  name(row: number): string {
    return this.metas[row]?.name ?? this.files[row]!.slice(0, -JSON_EXT.length);
  }
}

/** The known headers (IndexRows), keyed by the file each line names (a line naming a file that is
 * not NAME.json is left out: no snapshot is looked up by it). */
export function readIndex(dir: string): IndexRows {
  const rows = new IndexRows();
  const share = sharer();
  // a long index is never one string: a 64 KiB block at most (below V8's large-object size; 256 KiB
  // strings and 180 KiB joins of 1,024 lines were large objects that stayed until a full collection:
  // reading the index of 20,000 snapshots peaked 12-14 MiB of RSS above 1,000's; then 7), and no
  // row keeps a slice of one (matchTemplate's cut)
  // the last few templates, the one that last matched first (a fleet's captures interleave targets)
  const templates: Template[] = [];
  const m = newMatch();
  /** The line text[start, end); `cut` as matchTemplate's, or null: no template is tried (a line
   * that is a string of its own, whose slices would keep it alive with the row). */
  const takeAt = (text: string, start: number, end: number, cut: ((a: number, b: number) => string) | null) => {
    const seq = rows.lines++;
    for (let i = 0; cut !== null && i < templates.length; i++) {
      const t = templates[i]!;
      if (!matchTemplate(text, start, end, t, m)) continue;
      if (i > 0) templates.unshift(templates.splice(i, 1)[0]!);
      const f = cut(m.fAt, m.fEnd);
      // its values are the template's own: nothing to share
      rows.byFile.set(f, rows.addMatched(f, seq, timeCode(text, m.cAt), m.sAt < 0 ? -1 : timeCode(text, m.sAt), t));
      return;
    }
    // only an object can be a record: a line that does not open one (an empty line: an index padded
    // with 64 MiB of newlines threw and caught one JSON.parse a line, ~6 min) is passed over unparsed
    let open = start;
    while (open < end && isJsonSpace(text.charCodeAt(open))) open++;
    if (open === end || text.charCodeAt(open) !== 123) return;
    let r: { f?: unknown; meta?: unknown; gone?: unknown };
    try {
      r = JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end)) as typeof r;
    } catch {
      return;
    }
    if (typeof r !== 'object' || r === null || typeof r.f !== 'string' || !r.f.endsWith(JSON_EXT)) return;
    const f = r.f;
    if (r.gone === true) rows.byFile.delete(f);
    else if (metaProblem(r.meta) === null) {
      const meta = share(r.meta as SnapshotMeta);
      rows.byFile.set(f, rows.add(f, seq, meta));
      const t = templateOf({ f, meta });
      if (t) { templates.unshift(t); if (templates.length > TEMPLATES) templates.pop(); }
    }
  };
  const take = (line: string) => takeAt(line, 0, line.length, null);
  /** The whole lines bytes[from, to) (to just past a newline). Where they are all ASCII they are
   * decoded as one string and each line read in it, its values cut from the bytes (a string a
   * line cost more than reading it: 10,000 lines ~25 ms of ~40); else a string a line, as UTF-8,
   * each parsed (as is a line split between two blocks). */
  const takeLines = (bytes: Buffer, from: number, to: number) => {
    if (isAscii(bytes.subarray(from, to))) {
      const text = bytes.toString('latin1', from, to);
      const cut = (a: number, b: number) => bytes.toString('latin1', from + a, from + b);
      for (let s = 0, nl = text.indexOf('\n'); nl >= 0; s = nl + 1, nl = text.indexOf('\n', s)) takeAt(text, s, nl, cut);
      return;
    }
    // a newline byte is never inside a UTF-8 sequence: each line decodes as the whole text would
    for (let s = from, nl = bytes.indexOf(10, s); nl >= 0 && nl < to; s = nl + 1, nl = bytes.indexOf(10, s)) take(bytes.toString('utf8', s, nl));
  };
  try {
    const file = path.join(dir, INDEX);
    // a FIFO planted here must not hang us
    withRegularFile(file, (fd, st) => {
      if (st.size > BigInt(MAX_SNAPSHOT)) throw new Error('too large');
      rows.stat = st;
      const size = Number(st.size);
      const buf = Buffer.allocUnsafe(Math.min(size, BLOCK));
      // the start of a line no block ended yet, in parts: joined once, when its newline comes (a
      // line joined again at every block was copied N^2/2 times: a crash's zero-filled tail of
      // 400 MiB took hours); past LINE_MAX only its head is kept, and it is that file's record
      // forgotten (the file is then read), not parsed
      let carry: Buffer[] = [];
      let carried = 0;
      const carriedLine = (tail: Buffer) => {
        if (carried > LINE_MAX) return forget(Buffer.concat(carry).toString('utf8'));
        return Buffer.concat([...carry, tail]).toString('utf8');
      };
      for (let off = 0; off < size; ) {
        const got = fs.readSync(fd, buf, 0, Math.min(buf.length, size - off), off);
        if (got === 0) break; // cut while we read: what is there is used
        off += got;
        const block = buf.subarray(0, got);
        let from = 0;
        let nl = block.indexOf(10);
        if (nl < 0) {
          if (carried <= LINE_MAX) carry.push(Buffer.from(block));
          carried += got;
          continue;
        }
        if (carry.length) { take(carriedLine(block.subarray(0, nl))); from = nl + 1; }
        const end = block.lastIndexOf(10) + 1;
        if (from < end) takeLines(block, from, end);
        carry = end < block.length ? [Buffer.from(block.subarray(end))] : [];
        carried = block.length - end;
      }
      if (carry.length) take(carriedLine(Buffer.alloc(0))); // a last line without its newline
    });
  } catch {
    return new IndexRows();
  }
  return rows;
}

/** The fields one capture's header shares with the one before of its target (the tool, what it
 * selected, where the target was found...): one value for all the headers that hold it, not one
 * each (a listing of 20,000 snapshots kept 20,000 equal `tool` objects: ~40 B a snapshot for
 * nothing). Each header's own fields (name, times) stay its own; headers are never changed in
 * place. Compared field by field in order (what the header's JSON would say), no JSON made. */
function sharer(): (meta: SnapshotMeta) => SnapshotMeta {
  const lastOf = new Map<string, Record<string, unknown>>();
  return (meta) => {
    const m = meta as unknown as Record<string, unknown>;
    const last = lastOf.get(meta.target);
    lastOf.set(meta.target, m);
    if (!last) return meta;
    for (const k in m) {
      if (k === 'name' || k === 'capturedAt' || k === 'startedAt') continue;
      const v = m[k];
      const w = last[k];
      if (v !== w && (typeof v === 'object' || typeof v === 'string') && sameJson(v, w)) m[k] = w;
    }
    return meta;
  };
}

/** Two JSON values that would print alike (objects: the same keys in the same order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameJson((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!])) return false;
  }
  return true;
}

const line = (r: IndexRecord) => JSON.stringify(r.meta ? { f: r.f, meta: r.meta } : { f: r.f, gone: true }) + '\n';

/** Appends records in one write (O_APPEND keeps writers apart); never throws. */
export function appendIndex(dir: string, records: IndexRecord[]): void {
  if (records.length === 0) return;
  try {
    appendRegular(path.join(dir, INDEX), records.map(line).join(''));
  } catch { /* a read-only or full store: the files are read instead */ }
}

/** Replaces the index with exactly `records` (temp file, then rename); never throws. */
export function rewriteIndex(dir: string, snapDir: string, records: IndexRecord[]): void {
  const tmp = path.join(snapDir, tempName()); // where stale temp files are cleaned up
  try {
    fs.writeFileSync(tmp, records.map(line).join(''), { flag: 'wx' });
    fs.renameSync(tmp, path.join(dir, INDEX));
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** JSON's whitespace (RFC 8259: space, tab, line feed, carriage return), which JSON.parse skips before a value. */
const isJsonSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
