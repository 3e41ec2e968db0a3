/*! A listing taken from the index's lines alone, while its stamp holds (index-stamp.ts): line i
 * is the i-th oldest snapshot, and a line is read only when one of its fields is asked for
 * (`latest` reads the last). A line that is not its file's own record of a snapshot mapsdiff can
 * name means the stamp was wrong: StampWrong is thrown, and the store lists in full instead. Pure:
 * the index's bytes in, no file read here. */
import type { SnapshotMeta } from '../model/snapshot.js';
import { metaProblem } from './snapshot-shape.js';
import { isValidName } from './names.js';
import type { Listed } from './listing.js';

const JSON_EXT = '.json';

/** The stamp does not hold for this index (`wrong`), or the tail cannot answer (not found): list in full. */
export class StampWrong extends Error {
  constructor(readonly wrong: boolean) {
    super('the store is listed in full');
  }
}

export class IndexTail implements Listed {
  private readonly metas = new Map<number, SnapshotMeta>();

  /** `starts`: where each of the index's lines starts, then its end (each line ends in a newline). */
  private constructor(private readonly bytes: Buffer, private readonly starts: Int32Array) {}

  /** The index's lines, when there are exactly `lines` of them, each ending in a newline; else null. */
  static of(bytes: Buffer, lines: number): IndexTail | null {
    // a line is at least its newline: a count past the bytes (a planted stamp's) allocates nothing
    if (bytes.length === 0 || bytes[bytes.length - 1] !== 10 || lines > bytes.length) return null;
    const starts = new Int32Array(lines + 1);
    let n = 0;
    for (let at = 0; at < bytes.length; n++) {
      if (n >= lines) return null;
      starts[n] = at;
      at = bytes.indexOf(10, at) + 1;
    }
    if (n !== lines) return null;
    starts[lines] = bytes.length;
    return new IndexTail(bytes, starts);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  meta(i: number): SnapshotMeta {
    let meta = this.metas.get(i);
    if (meta) return meta;
    let r: { f?: unknown; meta?: unknown };
    try {
      r = JSON.parse(this.bytes.toString('utf8', this.starts[i], this.starts[i + 1]! - 1)) as typeof r;
    } catch {
      throw new StampWrong(true);
    }
    if (typeof r !== 'object' || r === null || metaProblem(r.meta) !== null) throw new StampWrong(true);
    meta = r.meta as SnapshotMeta;
    if (r.f !== meta.name + JSON_EXT || !isValidName(meta.name)) throw new StampWrong(true);
    this.metas.set(i, meta);
    return meta;
  }

  name(i: number): string {
    return this.meta(i).name;
  }

  target(i: number): string {
    return this.meta(i).target;
  }

  capturedAt(i: number): string {
    return this.meta(i).capturedAt;
  }

  /** The line of snapshot `name`: found as the text JSON.stringify writes at a line's start
   * (`{"f":"NAME.json"`). Not found is not an answer (a line written otherwise would be missed):
   * the full listing gives it. */
  find(name: string): number {
    if (!isValidName(name)) return -1; // never a file of the listing
    const needle = `{"f":"${name}${JSON_EXT}"`;
    for (let at = this.bytes.indexOf(needle); at >= 0; at = this.bytes.indexOf(needle, at + 1)) {
      if (at > 0 && this.bytes[at - 1] !== 10) continue;
      // the line starting there
      let lo = 0;
      let hi = this.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      if (this.starts[lo] === at && this.name(lo) === name) return lo;
    }
    throw new StampWrong(false);
  }

  replace(name: string, meta: SnapshotMeta): void {
    this.metas.set(this.find(name), meta);
  }
}
