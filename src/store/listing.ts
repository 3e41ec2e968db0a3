/*! What a store's listing found: its readable snapshots oldest first, each a row of the index's
 * (IndexRows; a file not yet indexed is added as a row too). A snapshot's name, target and capture
 * time are read from its row; its meta is made only when asked for (`compare latest~1 latest` in a
 * store of 10,000 snapshots makes two, not 10,000). Pure: no file is read here. */
import type { SnapshotMeta } from '../model/snapshot.js';
import type { IndexRows } from './index-file.js';
import type { Named } from './names.js';

const JSON_EXT = '.json';

/** Snapshots oldest first: the full listing (Listing) or the index's tail (index-tail.ts). */
export interface Listed extends Named {
  meta(i: number): SnapshotMeta;
  capturedAt(i: number): string;
  /** Snapshot `name`'s meta is `meta` from now on (its file changed in place since it was indexed). */
  replace(name: string, meta: SnapshotMeta): void;
}

export class Listing implements Listed {
  /** Each row's position in the listing, -1 for a row not in it (made at the first `find`). */
  private positions: Int32Array | null = null;
  private everyMeta: SnapshotMeta[] | null = null;

  /** `order`: rows of `rows`, oldest first. */
  constructor(private readonly rows: IndexRows, private readonly order: number[]) {}

  get length(): number {
    return this.order.length;
  }

  name(i: number): string {
    return this.rows.name(this.order[i]!);
  }

  target(i: number): string {
    return this.rows.target(this.order[i]!);
  }

  capturedAt(i: number): string {
    return this.rows.capturedAt(this.order[i]!);
  }

  meta(i: number): SnapshotMeta {
    return this.rows.meta(this.order[i]!);
  }

  /** meta(i), not kept by the listing (one made before is given back): for a walk over a series,
   * which needs each snapshot's header only while it reads that snapshot. */
  passingMeta(i: number): SnapshotMeta {
    return this.rows.meta(this.order[i]!, false);
  }

  /** The position of snapshot `name`, or -1 when it is not listed. */
  find(name: string): number {
    const row = this.rows.byFile.get(name + JSON_EXT);
    if (row === undefined) return -1;
    if (!this.positions) {
      this.positions = new Int32Array(this.rows.rows).fill(-1);
      for (let i = 0; i < this.order.length; i++) this.positions[this.order[i]!] = i;
    }
    const i = this.positions[row]!;
    return i >= 0 && this.name(i) === name ? i : -1;
  }

  /** Every meta, oldest first (made once; the same array each call: callers read it, none changes it). */
  metas(): SnapshotMeta[] {
    if (!this.everyMeta) {
      const all = new Array<SnapshotMeta>(this.order.length);
      for (let i = 0; i < all.length; i++) all[i] = this.meta(i);
      this.everyMeta = all;
    }
    return this.everyMeta;
  }

  /** Snapshot `name`'s meta is `meta` from now on (its file changed in place since it was indexed). */
  replace(name: string, meta: SnapshotMeta): void {
    const i = this.find(name);
    if (i < 0) return;
    this.rows.replace(this.order[i]!, meta);
    if (this.everyMeta) this.everyMeta[i] = meta;
  }
}
