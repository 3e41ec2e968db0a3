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
import { fromTemplate, templateOf, type Template } from './index-template.js';
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

export interface Indexed {
  meta: SnapshotMeta;
  /** Line number: the order the headers were recorded (the order snapshots were written). */
  seq: number;
}

export interface IndexRecord {
  f: string;
  meta?: SnapshotMeta;
}

/** The known headers by snapshot name (a file NAME.json's NAME; lines naming any other file are
 * left out: no snapshot is looked up by them), and how many lines the index has. The key is the
 * header's own name string when the file is NAME.json of its NAME, as every file `save` writes: a
 * listing of 20,000 snapshots then holds no second string per snapshot. */
export function readIndex(dir: string): { byName: Map<string, Indexed>; lines: number } {
  const byName = new Map<string, Indexed>();
  const share = sharer();
  let lines = 0;
  // a long index is never one string: a 64 KiB block at most (below V8's large-object size; 256 KiB
  // strings and 180 KiB joins of 1,024 lines were large objects that stayed until a full collection:
  // reading the index of 20,000 snapshots peaked 12-14 MiB of RSS above 1,000's; then 7), and no
  // meta keeps a slice of one (fromTemplate's cut)
  // the last few templates, the one that last matched first (a fleet's captures interleave targets)
  const templates: Template[] = [];
  /** The line text[start, end); `cut` as fromTemplate's, or null: no template is tried (a line
   * that is a string of its own, whose slices would keep it alive with the meta). */
  const takeAt = (text: string, start: number, end: number, cut: ((a: number, b: number) => string) | null) => {
    const seq = lines++;
    for (let i = 0; cut !== null && i < templates.length; i++) {
      const meta = fromTemplate(text, start, end, templates[i]!, cut);
      if (!meta) continue;
      if (i > 0) templates.unshift(templates.splice(i, 1)[0]!);
      byName.set(meta.name, { meta, seq }); // its values are the template's own: nothing to share
      return;
    }
    let r: { f?: unknown; meta?: unknown; gone?: unknown };
    try {
      r = JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end)) as typeof r;
    } catch {
      return;
    }
    if (typeof r !== 'object' || r === null || typeof r.f !== 'string' || !r.f.endsWith(JSON_EXT)) return;
    const f = r.f;
    if (r.gone === true) byName.delete(f.slice(0, -JSON_EXT.length));
    else if (metaProblem(r.meta) === null) {
      const meta = share(r.meta as SnapshotMeta);
      const own = f.length === meta.name.length + JSON_EXT.length && f.startsWith(meta.name);
      byName.set(own ? meta.name : f.slice(0, -JSON_EXT.length), { meta, seq });
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
    return { byName: new Map(), lines: 0 };
  }
  return { byName, lines };
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
