/*! The snapshot store: one file per snapshot under DIR/snapshots/, written atomically
 * (temp file written whole and fsynced, linked to the final name so no writer ever
 * overwrites another, then the temp unlinked). Names are reserved by the link itself, so
 * two writers at once never get the same name. A snapshot is known by its FILE name only:
 * no path is ever built from what a file says. A file that cannot be read is reported once
 * (through `warn`) and the rest of the store still works. DIR/index.jsonl caches the headers
 * (index-file.ts) so listing does not open every file. Knows nothing of parsing or rendering. */
import fs from 'node:fs';
import path from 'node:path';
import { MapsdiffError, StoreWriteError, UsageError } from '../errors.js';
import type { CaptureGap, SnapshotMeta } from '../model/snapshot.js';
import type { RawSection } from '../model/capture.js';
import { decodeHeader, decodeSnapshotBytes, encodeSnapshot, type StoredSnapshot } from './file-format.js';
import type { TextReuse } from './sections-scan.js';
import { checkName, isValidName, nextAutoName, resolveQualified } from './names.js';
import { appendRegular, readFirstLine, readWhole, readWholeBytes, withRegularFile } from './safe-read.js';
import { removeStaleTemps, tempName, writeSynced } from './temp-files.js';
import { appendIndex, INDEX, readIndex, rewriteIndex, type IndexRows } from './index-file.js';
import { Listing, type Listed } from './listing.js';
import { dropStamp, identityOf, RACY_MS, readStamp, settled, stampHolds, writeStamp } from './index-stamp.js';
import { IndexTail, StampWrong } from './index-tail.js';

const EXT = '.json';
const GAPS = 'gaps.jsonl';

export interface StoreOptions {
  /** Told once per file about each file of the store that is skipped or suspect (one line, no newline). */
  warn?: (message: string) => void;
  /** Told once when a write creates the store's directory (the user is told where it is). */
  created?: (dir: string) => void;
  /** How old the store's times must be for a listing to stamp them (index-stamp.ts; tests set 0). */
  racyMs?: number;
}

export class SnapshotStore {
  readonly snapDir: string;
  /** Every problem reported so far, by file: what `warn` was told. */
  readonly problems = new Map<string, string>();
  private readonly warn: (message: string) => void;
  /** What the last listing found: load by a name in it reads that file without listing the store
   * again, and notices a file changed in place since it was indexed. */
  private last: Listed | null = null;
  /** Reports made (a repeat too): a listing that made one is not stamped. */
  private reports = 0;
  private readonly racyMs: number;

  constructor(readonly dir: string, opts: StoreOptions = {}) {
    this.snapDir = path.join(dir, 'snapshots');
    refuseLinkedDir(this.snapDir);
    this.warn = opts.warn ?? (() => {});
    this.created = opts.created ?? (() => {});
    this.racyMs = opts.racyMs ?? RACY_MS;
  }
  private readonly created: (dir: string) => void;

  /** Metadata of every readable snapshot, oldest first (by capture time, then the order they
   * were written); each unreadable file is reported and left out. Headers already in the index
   * are not read again; the others are read and added to it. */
  list(): SnapshotMeta[] {
    return this.listing().metas();
  }

  /** Runs `use` over the store's snapshots oldest first: the index's last lines while its stamp
   * holds (index-stamp.ts: no directory read, no line read but those asked for), else the full
   * listing (and so when the tail cannot answer). `use` only reads the listing. */
  withListing<T>(use: (listed: Listed) => T): T {
    const tail = this.tail();
    if (tail) {
      try {
        this.last = tail;
        return use(tail);
      } catch (err) {
        if (!(err instanceof StampWrong)) throw err;
        if (err.wrong) dropStamp(this.dir);
      }
    }
    return use(this.listing());
  }

  /** The index's tail, when the stamp holds for the directory and the index as they are now. */
  private tail(): IndexTail | null {
    const stamp = readStamp(this.dir);
    if (!stamp) return null;
    try {
      const dirSt = fs.lstatSync(this.snapDir, { bigint: true });
      const file = path.join(this.dir, INDEX);
      const tail = withRegularFile(file, (fd, st) => (stampHolds(stamp, dirSt, st) ? IndexTail.of(readWholeBytes(fd, st.size, file), stamp.lines, (f) => lstat(path.join(this.snapDir, f))?.isFile() === true) ?? false : null));
      if (tail === false) dropStamp(this.dir); // its lines are not the stamp's
      return tail || null;
    } catch {
      return null; // no index, no directory: the full listing says what there is
    }
  }

  /** The same snapshots as list(), their metas made only when asked for (Listing). */
  listing(): Listing {
    let dirSt: fs.BigIntStats | null = null;
    // the racy margin counts from before the stats: a listing that ran long (a slow card, a stopped
    // process) must not make a time of the tick of its lstat look settled
    const statAt = Date.now();
    try { dirSt = fs.lstatSync(this.snapDir, { bigint: true }); } catch { /* none yet: entries() says so */ }
    const reports = this.reports;
    const index = readIndex(this.dir);
    const present: number[] = [];
    const fresh: { meta: SnapshotMeta; written: bigint; inner: SnapshotMeta; e: string }[] = [];
    /** Rows whose meta was given its file's name (renamed by hand): the meta as the file says it, for the index. */
    const inner = new Map<number, SnapshotMeta>();
    const files = this.entries();
    for (const e of files) {
      const row = index.byFile.get(e);
      // a row read through a template holds a name of NAME's letters, that of its file
      if (row !== undefined && index.templated(row) && !e.startsWith('.') && !e.startsWith('latest')) {
        present.push(row);
        continue;
      }
      const name = e.slice(0, -EXT.length);
      if (!isValidName(name)) {
        this.report(e, `skipped ${this.file(e, true)}: ${quote(name)} is not a snapshot name mapsdiff can use (letters, digits, '.', '_', '-', not starting with '.' or 'latest'); rename it or move it out of the store`);
        continue;
      }
      if (row !== undefined) {
        const said = index.meta(row);
        const meta = this.known(name, said);
        if (meta !== said) { index.replace(row, meta); inner.set(row, said); }
        present.push(row);
        continue;
      }
      try {
        fresh.push(withRegularFile(this.file(name), (fd, st) => {
          const inner = decodeHeader(readFirstLine(fd, this.file(name)), this.file(name));
          return { meta: this.known(name, inner), written: st.mtimeNs, inner, e };
        }));
      } catch (err) {
        if (!(err instanceof MapsdiffError)) throw err;
        this.report(e, `skipped ${err.message} ('mapsdiff rm ${name}' removes it)`);
      }
    }
    // files not yet indexed (hand-copied, renamed, from an older mapsdiff): in the order written, after the indexed ones
    fresh.sort((a, b) => byText(a.meta.capturedAt, b.meta.capturedAt) || (a.written < b.written ? -1 : a.written > b.written ? 1 : 0));
    const indexLines = index.lines;
    for (let i = 0; i < fresh.length; i++) {
      const f = fresh[i]!;
      const row = index.add(f.e, indexLines + i, f.meta);
      index.byFile.set(f.e, row);
      if (f.meta !== f.inner) inner.set(row, f.inner);
      present.push(row);
    }
    const { order, sorted } = oldestFirst(index, present);
    if (indexLines > 2 * files.length + 64) {
      const bySeq = [...present].sort((a, b) => a - b);
      rewriteIndex(this.dir, this.snapDir, bySeq.map((row) => ({ f: index.files[row]!, meta: inner.get(row) ?? index.meta(row) })));
    } else if (fresh.length) {
      appendIndex(this.dir, fresh.map((f) => ({ f: f.meta.name + EXT, meta: f.inner })));
    } else if (sorted && inner.size === 0 && this.reports === reports && present.length > 0 && index.lines === present.length &&
      index.rows === present.length && dirSt && index.stat && settled(dirSt, statAt, this.racyMs) && settled(index.stat, statAt, this.racyMs)) {
      // tidy: each line of the index one snapshot's own record, oldest first, and every snapshot in it
      writeStamp(this.dir, { v: 1, dir: identityOf(dirSt), index: identityOf(index.stat), lines: index.lines });
    } else {
      // not tidy: no stamp may say otherwise (one planted over an edited index held until the next save)
      dropStamp(this.dir);
    }
    const listing = new Listing(index, order);
    this.last = listing;
    return listing;
  }

  /** NAME, `latest` or `latest~N` -> the name of a readable snapshot, or a UsageError listing what exists. */
  resolve(ref: string): string {
    return this.withListing((listed) => resolveQualified(ref, listed));
  }

  /** Like resolve, but a NAME whose file exists is taken as it is, readable or not (so `rm` can remove a damaged file). */
  resolveForRemoval(ref: string): string {
    const st = isValidName(ref) ? lstat(this.file(ref)) : null;
    // a ref is resolved by the full listing, never the index's tail: what is removed is what the whole store says `latest` is
    if (!st) return resolveQualified(ref, this.listing());
    if (st.isDirectory()) throw new UsageError(`${this.file(ref)} is a directory, not a snapshot: mapsdiff removes only files; move it out of the store yourself`);
    return ref;
  }

  /** `reuse`: across the loads of a series, the strings of the file loaded before (sections-scan). */
  load(ref: string, reuse?: TextReuse): StoredSnapshot {
    // a stored name is read directly: resolving lists the whole store, which made a series of N loads O(N^2)
    // (a name the last list() returned is such a name: not even stat'ed again, its open says if it went since)
    const name = this.listedMeta(ref) !== undefined || (isValidName(ref) && lstat(this.file(ref))) ? ref : this.resolve(ref);
    return this.read(name, this.listedMeta(name), reuse);
  }

  /** The meta the last listing found for snapshot `name`. */
  private listedMeta(name: string): SnapshotMeta | undefined {
    try {
      const i = this.last ? this.last.find(name) : -1;
      return i >= 0 ? this.last!.meta(i) : undefined;
    } catch (err) {
      if (!(err instanceof StampWrong)) throw err;
      if (err.wrong) dropStamp(this.dir);
      this.last = null; // read as any file is: its own header says what it is
      return undefined;
    }
  }

  /** load(meta.name) of a meta the last list() returned, without looking it up by name. */
  loadListed(meta: SnapshotMeta, reuse?: TextReuse): StoredSnapshot {
    return this.read(meta.name, meta, reuse);
  }

  private read(name: string, listed: SnapshotMeta | undefined, reuse?: TextReuse): StoredSnapshot {
    const file = this.file(name);
    const stored = withRegularFile(file, (fd, st) => decodeSnapshotBytes(readWholeBytes(fd, st.size, file), file, { reuse, known: listed }));
    if (stored.meta === listed) return stored; // its header is the one listed, byte for byte
    if (listed && (listed.capturedAt !== stored.meta.capturedAt || listed.target !== stored.meta.target)) {
      // changed in place since it was indexed: index it as it now is, and say the listing was stale
      appendIndex(this.dir, [{ f: name + EXT, meta: stored.meta }]);
      if (this.listedMeta(name)) this.last!.replace(name, { ...stored.meta, name });
      this.report(`${name}${EXT}:changed`, `${file} changed since the store's index recorded it (target ${quote(listed.target)}, captured ${listed.capturedAt}); it is re-indexed as it now is: run the command again if it picked snapshots by target or time`);
    }
    // the header as listed, when the file says just that: a series then holds one meta per snapshot, not two
    if (listed && stored.meta.name === name && sameMeta(listed, stored.meta)) return { ...stored, meta: listed };
    return { ...stored, meta: this.known(name, stored.meta) };
  }

  /** Stores a snapshot under `name`, or the next free tN; returns the name used. Either the
   * whole snapshot is stored, or nothing is and a StoreWriteError says why (the disk is full...).
   * Only the raw sections are written: `_parsed` is taken for callers that have it, and not stored. */
  save(meta: Omit<SnapshotMeta, 'name'>, sections: RawSection[], name?: string): string {
    if (name !== undefined) checkName(name);
    try {
      const isNew = !fs.existsSync(this.dir);
      fs.mkdirSync(this.snapDir, { recursive: true });
      if (isNew) this.created(this.dir);
      removeStaleTemps(this.snapDir, fs.readdirSync(this.snapDir));
    } catch (err) {
      throw this.writeError(err);
    }
    for (let attempt = 0; attempt < 1000; attempt++) {
      const chosen = name ?? nextAutoName(this.names());
      const tmp = path.join(this.snapDir, tempName());
      try {
        writeSynced(tmp, encodeSnapshot({ ...meta, name: chosen } as SnapshotMeta, sections));
        try {
          fs.linkSync(tmp, this.file(chosen)); // fails with EEXIST instead of overwriting
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          if (name !== undefined) {
            throw new UsageError(`a snapshot named ${name} already exists in ${this.dir}; choose another --name, or remove it first with 'mapsdiff rm ${name}'`);
          }
          continue; // another writer took this tN: take the next
        }
        try {
          syncDir(this.snapDir);
        } catch (err) {
          fs.rmSync(this.file(chosen), { force: true }); // not durable: not stored
          throw err;
        }
        appendIndex(this.dir, [{ f: chosen + EXT, meta: { ...meta, name: chosen } as SnapshotMeta }]);
        return chosen;
      } catch (err) {
        if (err instanceof MapsdiffError) throw err;
        throw this.writeError(err);
      } finally {
        try {
          fs.rmSync(tmp, { force: true });
        } catch { /* left for the next writer's clean-up */ }
      }
    }
    throw new UsageError(`could not find a free snapshot name in ${this.snapDir}`);
  }

  /** Appends a failed capture to DIR/gaps.jsonl (one JSON line; O_APPEND keeps writers apart). */
  addGap(gap: CaptureGap): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      appendRegular(path.join(this.dir, GAPS), JSON.stringify(gap) + '\n');
    } catch (err) {
      throw this.writeError(err);
    }
  }

  /** The failed captures recorded by watch, oldest first; a damaged line is reported and left out. */
  gaps(): CaptureGap[] {
    const file = path.join(this.dir, GAPS);
    if (!lstat(file)) return [];
    let text: string;
    try {
      text = withRegularFile(file, (fd, st) => readWhole(fd, st.size, file));
    } catch (err) {
      if (!(err instanceof MapsdiffError)) throw err;
      this.report(GAPS, `skipped ${err.message}`);
      return [];
    }
    const bad: number[] = [];
    const gaps = text.split('\n').flatMap((line, i) => {
      if (line === '') return [];
      try {
        const g = JSON.parse(line) as CaptureGap;
        if (typeof g === 'object' && g !== null && typeof g.target === 'string' && typeof g.at === 'string' &&
          typeof g.attempts === 'number' && typeof g.reason === 'string') return [g];
      } catch { /* reported below */ }
      bad.push(i + 1);
      return [];
    });
    if (bad.length) {
      this.report(GAPS, `skipped line(s) ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', ...' : ''} of ${file}: not gap records (JSON lines from watch); the file was edited or cut`);
    }
    return gaps;
  }

  /** Removes one stored file (see resolveForRemoval: a damaged one too); returns its name. */
  remove(ref: string): string {
    const name = this.resolveForRemoval(ref);
    fs.unlinkSync(this.file(name));
    syncDir(this.snapDir);
    appendIndex(this.dir, [{ f: name + EXT }]);
    return name;
  }

  /** The meta of file NAME.json, known as NAME whatever it says inside; a disagreement is reported. */
  private known(name: string, meta: SnapshotMeta): SnapshotMeta {
    if (meta.name !== name) {
      this.report(name + EXT, `${this.file(name)} says its name is ${quote(meta.name)} (renamed by hand, or planted?); it is known as ${name}, its file name`);
    }
    return meta.name === name ? meta : { ...meta, name }; // a meta read for this call: no copy of 10,000 of them
  }

  /** Says once, through `warn`, that snapshot `name` was read with something left out (`message`). */
  noteRead(name: string, message: string): void {
    this.report(name + EXT, message);
  }

  private report(key: string, message: string): void {
    this.reports++;
    if (this.problems.has(key)) return;
    this.problems.set(key, message);
    this.warn(message);
  }

  private writeError(err: unknown): StoreWriteError {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
      return new StoreWriteError(`the disk holding ${this.dir} is full (${e.code}): nothing was stored; free some space there (df ${this.dir}) and try again`);
    }
    return new StoreWriteError(`cannot write to the store ${this.dir} (${e.code ?? ''}${e.code ? ': ' : ''}${e.message}): nothing was stored`);
  }

  private file(name: string, isEntry = false): string {
    const leaf = isEntry ? name : name + EXT;
    // a plain file name (every snapshot's): what path.join gives, without normalising the whole path per load
    return leaf === '' || leaf === '.' || leaf === '..' || leaf.includes('/') ? path.join(this.snapDir, leaf) : this.snapDir + path.sep + leaf;
  }

  /** Directory entries that look like snapshots (NAME.json), temp files aside. */
  private entries(): string[] {
    let entries: string[];
    try {
      entries = fs.readdirSync(this.snapDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries.filter((e) => e.endsWith(EXT) && !e.startsWith('.tmp-'));
  }

  /** The names of every NAME.json present (readable or not), for picking the next free tN. */
  private names(): string[] {
    return this.entries().map((e) => e.slice(0, -EXT.length));
  }
}

/** Two metas with the same fields and values (a nested value such as `tool` compared as JSON). */
function sameMeta(a: SnapshotMeta, b: SnapshotMeta): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = (a as unknown as Record<string, unknown>)[k];
    const y = (b as unknown as Record<string, unknown>)[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/** Code-unit order: ISO 8601 times of one form sort as text (and localeCompare is slow over thousands). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The rows `present` by capture time, then by the order written (row order: each row is one
 * index line's, in line order, or one fresh file's after them; no two alike, so no tie is left for
 * the name to break). In row order they are most often in time order already (captures are indexed
 * as made): checked in one pass, and only sorted when not (a stable sort keeps row order among
 * equal times). Rows are marked in a table as long as the rows the index read (an index of
 * 100,000 empty lines has no rows: a line that holds no record makes none). */
function oldestFirst(index: IndexRows, present: number[]): { order: number[]; sorted: boolean } {
  const here = new Uint8Array(index.rows);
  for (const row of present) here[row] = 1;
  const order: number[] = [];
  for (let row = 0; row < here.length; row++) if (here[row] === 1) order.push(row);
  for (let i = 1; i < order.length; i++) {
    if (index.compareTimes(order[i - 1]!, order[i]!) > 0) return { order: order.sort((a, b) => index.compareTimes(a, b)), sorted: false };
  }
  return { order, sorted: true };
}

function lstat(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
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

/** A name read from a file or a directory, for a message: JSON-quoted, capped, with the
 * terminal controls JSON leaves raw (DEL, C1, bidi overrides) escaped too. */
function quote(text: string): string {
  const capped = text.length > 100 ? text.slice(0, 100) + '…' : text;
  return JSON.stringify(capped).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** DIR/snapshots as a symbolic link would have every write and `rm` happen where the link points,
 * outside the store (a store copied from elsewhere could point it at any directory of *.json
 * files): the store is used only when it is a directory itself. DIR may be a link: it is the
 * path the user named. */
function refuseLinkedDir(snapDir: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(snapDir);
  } catch {
    return; // not there yet: the first write makes it
  }
  if (st.isSymbolicLink()) {
    let to = '';
    try { to = ` (to ${quote(fs.readlinkSync(snapDir))})`; } catch { /* gone since */ }
    throw new UsageError(`${snapDir} is a symbolic link${to}, not a directory: mapsdiff reads and writes snapshots only inside the store; point --store at the directory that holds the snapshots you want, or replace the link with a directory`);
  }
}
