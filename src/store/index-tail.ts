/*! A listing taken from the index's lines alone, while its stamp holds (index-stamp.ts): line i
 * is the i-th oldest snapshot, and a line is read only when one of its fields is asked for
 * (`latest` reads the last). A line that is not its file's own record of a snapshot mapsdiff can
 * name means the stamp was wrong: StampWrong is thrown, and the store lists in full instead.
 * The stamp's word is checked where it is taken (an attack pass planted stamps over edited
 * indexes): a line read must be exactly `{"f", "meta"}` (a `gone` record is no snapshot), its file
 * must be there (`present`), and so must every line after it (its place counts from the end), in
 * capture-time order, each another snapshot's (a swapped or repeated line), and it must follow the
 * line before it. What no line read can show (a line moved far up, a file added by hand, beside a
 * planted stamp) only the full listing sees: `rm` resolves by it (store.ts). Pure: the index's
 * bytes in; the one question of the directory is the caller's `present`. */
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
  /** Lines from here to the last are checked (each its file's record, there, in order). */
  private checkedFrom: number;

  /** `starts`: where each of the index's lines starts, then its end (each line ends in a newline). */
  private constructor(private readonly bytes: Buffer, private readonly starts: Int32Array, private readonly present: (file: string) => boolean) {
    this.checkedFrom = starts.length - 1;
  }

  /** The index's lines, when there are exactly `lines` of them, each ending in a newline; else
   * null. `present(file)`: whether the snapshot file of that name is there. */
  static of(bytes: Buffer, lines: number, present: (file: string) => boolean): IndexTail | null {
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
    return new IndexTail(bytes, starts, present);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  meta(i: number): SnapshotMeta {
    const meta = this.metas.get(i);
    if (meta) return meta;
    // a line's place counts from the end (`latest~N`): every line from it to the last is checked
    // once (the checked part grows down from the end as lines are asked for), and the line before it
    for (let k = this.checkedFrom - 1; k >= i; k--) {
      const m = this.record(k);
      const after = k + 1 < this.length ? this.metas.get(k + 1)! : null;
      if (after && (after.name === m.name || m.capturedAt > after.capturedAt)) throw new StampWrong(true);
      if (!this.present(m.name + JSON_EXT)) throw new StampWrong(true);
      this.metas.set(k, m);
      this.checkedFrom = k;
    }
    const own = this.metas.get(i)!;
    const before = i > 0 ? this.record(i - 1) : null;
    if (before && (before.name === own.name || before.capturedAt > own.capturedAt)) throw new StampWrong(true);
    return own;
  }

  /** Line i as its file's own record of a snapshot: exactly `{"f":"NAME.json","meta":{...}}`. */
  private record(i: number): SnapshotMeta {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(this.bytes.toString('utf8', this.starts[i], this.starts[i + 1]! - 1)) as typeof r;
    } catch {
      throw new StampWrong(true);
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r) || metaProblem(r.meta) !== null) throw new StampWrong(true);
    const keys = Object.keys(r);
    if (keys.length !== 2 || keys[0] !== 'f' || keys[1] !== 'meta') throw new StampWrong(true);
    const meta = r.meta as SnapshotMeta;
    if (r.f !== meta.name + JSON_EXT || !isValidName(meta.name)) throw new StampWrong(true);
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
