/*! DIR/index.jsonl: an append-only cache of snapshot headers, so `list` (and every ref such as
 * `latest`) need not open every file. One JSON line per event: `{"f":"t3.json","meta":{...}}`
 * when a file's header is known, `{"f":"t3.json","gone":true}` when it is removed; a later line
 * wins. It is only ever looked up by names read from the directory, never used to build a path,
 * and every meta is type-checked again when read; a line that does not parse is ignored (the
 * file is then simply read). Writing it is best effort: a store without it is only slower. */
import fs from 'node:fs';
import path from 'node:path';
import type { SnapshotMeta } from '../model/snapshot.js';
import { metaProblem } from './snapshot-shape.js';
import { tempName } from './temp-files.js';
import { appendRegular, MAX_SNAPSHOT, withRegularFile } from './safe-read.js';

export const INDEX = 'index.jsonl';
/** Lines parsed at once. */
const CHUNK = 1024;
/** Bytes read at once. */
const BLOCK = 256 * 1024;
/** A line longer than this is no record mapsdiff wrote. */
const LINE_MAX = 16 << 20;

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

/** The known headers by file name, and how many lines the index has. */
export function readIndex(dir: string): { byFile: Map<string, Indexed>; lines: number } {
  const byFile = new Map<string, Indexed>();
  const share = sharer();
  let lines = 0;
  let pending: string[] = [];
  /** Lines [from, from + part.length) of the file. */
  const take = (part: string[], from: number) => {
    // one parse per chunk of lines when each of them is whole (a cut or edited line: this chunk line by line)
    let all: unknown[] | null;
    try {
      all = JSON.parse('[' + part.join(',') + ']') as unknown[];
      if (!Array.isArray(all) || all.length !== part.length) all = null;
    } catch {
      all = null;
    }
    for (let k = 0; k < part.length; k++) {
      let r: { f?: unknown; meta?: unknown; gone?: unknown };
      try {
        r = (all ? all[k] : JSON.parse(part[k]!)) as typeof r;
      } catch {
        continue;
      }
      if (typeof r !== 'object' || r === null || typeof r.f !== 'string') continue;
      if (r.gone === true) byFile.delete(r.f);
      else if (metaProblem(r.meta) === null) byFile.set(r.f, { meta: share(r.meta as SnapshotMeta), seq: from + k });
    }
  };
  try {
    const file = path.join(dir, INDEX);
    // a FIFO planted here must not hang us; read a block at a time: a long index is never one string,
    // nor split into one string per line all at once (10,000 snapshots: ~2 MB of text, ~10 MB of peak)
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
      const push = (l: string) => {
        pending.push(l);
        if (pending.length === CHUNK) { take(pending, lines); lines += CHUNK; pending = []; }
      };
      const carriedLine = (tail: Buffer) => {
        if (carried > LINE_MAX) return forget(Buffer.concat(carry).toString('utf8'));
        return Buffer.concat([...carry, tail]).toString('utf8');
      };
      for (let off = 0; off < size; ) {
        const got = fs.readSync(fd, buf, 0, Math.min(buf.length, size - off), off);
        if (got === 0) break; // cut while we read: what is there is used
        off += got;
        const block = buf.subarray(0, got);
        const first = block.indexOf(10);
        if (first < 0) {
          if (carried <= LINE_MAX) carry.push(Buffer.from(block));
          carried += got;
          continue;
        }
        const nl = block.lastIndexOf(10);
        let from = 0;
        if (carry.length) { push(carriedLine(block.subarray(0, first))); from = first + 1; }
        // a newline byte is never inside a UTF-8 sequence: each run of whole lines decodes as the whole text would
        if (from <= nl) for (const l of block.toString('utf8', from, nl).split('\n')) push(l);
        carry = nl + 1 < block.length ? [Buffer.from(block.subarray(nl + 1))] : [];
        carried = block.length - nl - 1;
      }
      if (carry.length) push(carriedLine(Buffer.alloc(0))); // a last line without its newline
    });
  } catch {
    return { byFile: new Map(), lines: 0 };
  }
  if (pending.length) take(pending, lines);
  return { byFile, lines: lines + pending.length };
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
