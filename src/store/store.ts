/*! The snapshot store: one file per snapshot under DIR/snapshots/, written atomically
 * (temp file, fsync, link to the final name so no writer ever overwrites another, then
 * unlink the temp). Names are reserved by the link itself, so two writers at once never
 * get the same name. Knows nothing of parsing or rendering. */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { CaptureGap, SnapshotMeta } from '../model/snapshot.js';
import type { ParsedCapture, RawSection } from '../model/capture.js';
import { decodeHeader, decodeSnapshot, encodeSnapshot, type StoredSnapshot } from './file-format.js';
import { checkName, nextAutoName, resolveRef } from './names.js';

const EXT = '.json';
const GAPS = 'gaps.jsonl';

export class SnapshotStore {
  readonly snapDir: string;
  constructor(readonly dir: string) {
    this.snapDir = path.join(dir, 'snapshots');
  }

  /** Metadata of every snapshot, oldest first (by capture time, then the order they were written, then name). */
  list(): SnapshotMeta[] {
    // capture time first; within one millisecond, the order the files were written (ns mtime)
    const entries = this.names().map((n) => ({
      meta: decodeHeader(readFirstLine(this.file(n)), this.file(n)),
      written: fs.statSync(this.file(n), { bigint: true }).mtimeNs,
    }));
    entries.sort((a, b) => a.meta.capturedAt.localeCompare(b.meta.capturedAt) ||
      (a.written < b.written ? -1 : a.written > b.written ? 1 : 0) || a.meta.name.localeCompare(b.meta.name, 'en', { numeric: true }));
    return entries.map((e) => e.meta);
  }

  /** NAME, `latest` or `latest~N` -> a stored name, or a UsageError listing what exists. */
  resolve(ref: string): string {
    return resolveRef(ref, this.list().map((m) => m.name));
  }

  load(ref: string): StoredSnapshot {
    // a stored name is read directly: resolving lists the whole store, which made a series of N loads O(N^2)
    const name = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(ref) && !ref.startsWith('latest') && fs.existsSync(this.file(ref)) ? ref : this.resolve(ref);
    return decodeSnapshot(fs.readFileSync(this.file(name), 'utf8'), this.file(name));
  }

  /** Stores a snapshot under `name`, or the next free tN; returns the name used. */
  save(meta: Omit<SnapshotMeta, 'name'>, sections: RawSection[], parsed: ParsedCapture, name?: string): string {
    if (name !== undefined) checkName(name);
    fs.mkdirSync(this.snapDir, { recursive: true });
    for (let attempt = 0; attempt < 1000; attempt++) {
      const chosen = name ?? nextAutoName(this.names());
      const tmp = path.join(this.snapDir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
      writeSynced(tmp, encodeSnapshot({ ...meta, name: chosen } as SnapshotMeta, sections, parsed));
      try {
        fs.linkSync(tmp, this.file(chosen)); // fails with EEXIST instead of overwriting
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (name !== undefined) {
          throw new UsageError(`a snapshot named ${name} already exists in ${this.dir}; choose another --name, or remove it first with 'mapsdiff rm ${name}'`);
        }
        continue; // another writer took this tN: take the next
      } finally {
        fs.rmSync(tmp, { force: true });
      }
      syncDir(this.snapDir);
      return chosen;
    }
    throw new UsageError(`could not find a free snapshot name in ${this.snapDir}`);
  }

  /** Appends a failed capture to DIR/gaps.jsonl (one JSON line; O_APPEND keeps writers apart). */
  addGap(gap: CaptureGap): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.appendFileSync(path.join(this.dir, GAPS), JSON.stringify(gap) + '\n');
  }

  /** The failed captures recorded by watch, oldest first. */
  gaps(): CaptureGap[] {
    const file = path.join(this.dir, GAPS);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return text.split('\n').flatMap((line, i) => {
      if (line === '') return [];
      try {
        const g = JSON.parse(line) as CaptureGap;
        if (typeof g.target === 'string' && typeof g.at === 'string') return [g];
      } catch { /* reported below */ }
      throw new UsageError(`${file}:${i + 1} is not a gap record (a JSON line from watch); the file was edited or cut: fix or remove that line`);
    });
  }

  remove(ref: string): string {
    const name = this.resolve(ref);
    fs.unlinkSync(this.file(name));
    syncDir(this.snapDir);
    return name;
  }

  private file(name: string): string {
    return path.join(this.snapDir, name + EXT);
  }

  private names(): string[] {
    let entries: string[];
    try {
      entries = fs.readdirSync(this.snapDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries.filter((e) => e.endsWith(EXT) && !e.startsWith('.')).map((e) => e.slice(0, -EXT.length));
  }
}

function writeSynced(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readFirstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(4096);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        chunks.push(Buffer.from(buf.subarray(0, nl)));
        break;
      }
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
