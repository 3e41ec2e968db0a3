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
import { appendRegular, readWhole, withRegularFile } from './safe-read.js';

export const INDEX = 'index.jsonl';
/** Lines parsed at once. */
const CHUNK = 1024;

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
  let text: string;
  try {
    const file = path.join(dir, INDEX);
    text = withRegularFile(file, (fd, st) => readWhole(fd, st.size, file)); // a FIFO planted here must not hang us
  } catch {
    return { byFile, lines: 0 };
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let all: unknown[] | null = null;
  let allFrom = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i % CHUNK === 0) {
      // one parse per chunk of lines when each of them is whole (not one copy of a whole long index)
      const part = lines.slice(i, i + CHUNK);
      try {
        all = JSON.parse('[' + part.join(',') + ']') as unknown[];
        if (!Array.isArray(all) || all.length !== part.length) all = null;
      } catch {
        all = null; // a line is cut or edited: this chunk line by line
      }
      allFrom = i;
    }
    let r: { f?: unknown; meta?: unknown; gone?: unknown };
    try {
      r = (all ? all[i - allFrom] : JSON.parse(lines[i]!)) as typeof r;
    } catch {
      continue;
    }
    if (typeof r !== 'object' || r === null || typeof r.f !== 'string') continue;
    if (r.gone === true) byFile.delete(r.f);
    else if (metaProblem(r.meta) === null) byFile.set(r.f, { meta: r.meta as SnapshotMeta, seq: i });
  }
  return { byFile, lines: lines.length };
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
