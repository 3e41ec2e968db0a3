/*! Pairs the VMAs of two captures of one process into regions. Pure and O(n log n); it
 * decides only which VMAs belong together (and the note), never statuses: analyze/diff
 * does. Rules: DESIGN.md "Matching regions between two captures". */
import type { Region } from '../model/vma.js';
import type { DiffNote } from '../model/diff.js';

export { matchProcesses } from './match-processes.js';

/** VMAs of the two captures that form one region (address order); never both sides empty. */
export interface RegionMatch {
  before: Region[];
  after: Region[];
  note: DiffNote | undefined;
  /** Sums of the VMA sizes of each side (0 for an empty side), computed once here. */
  beforeSize: number;
  afterSize: number;
}

type Pending = Omit<RegionMatch, 'beforeSize' | 'afterSize'>;
interface Group { before: Region[]; after: Region[] }
type Side = keyof Group;

/**
 * Every VMA of `before` and of `after` lands in exactly one RegionMatch; the matches come
 * in address order (after start, or before start when gone; what was there before first).
 * - a VMA with the same range and identity in both captures (perms aside): paired as is;
 * - `[heap]`, `[stack]`, `[vdso]` ... : by name (all VMAs of that name form one region);
 * - file-backed: by (dev, inode, path, offset), same start first, then in address order;
 *   leftovers with the same path and perms are paired as `replaced` when the inode differs;
 * - anonymous (also bss, thread stacks, arenas, guards, `[anon:NAME]`): per perms and name,
 *   bss by owner, then same start, then overlap (see matchAnon); `[stack:TID]` lines go with
 *   the plain anonymous ones (a cached stack loses its TID), `[anon:stack_and_tls:TID]` by
 *   perms whatever the TID.
 */
export function matchRegions(before: readonly Region[], after: readonly Region[]): RegionMatch[];
/** The same, each match handed to `sink` in address order as it is made, and what the sink
 * returns kept: no RegionMatch, and no arrays for a VMA printed alike in both captures.
 * `inOrder`: both are known to be in address order (by start), so they are not checked. */
export function matchRegions<T>(before: readonly Region[], after: readonly Region[], sink: MatchSink<T>, inOrder?: boolean): T[];
export function matchRegions<T>(before: readonly Region[], after: readonly Region[], sink?: MatchSink<T>, inOrder = false): Array<T | RegionMatch> {
  const to: MatchSink<T | RegionMatch> = sink ?? COPIES;
  const B = inOrder ? before : addressOrder(before);
  const A = inOrder ? after : addressOrder(after);
  // the pairs printed alike, as indices into B and A: two 100k-VMA captures made a [b] and an [a]
  // array per pair here, the largest part of what the match allocated
  const sameB = new Int32Array(Math.min(B.length, A.length));
  const sameA = new Int32Array(sameB.length);
  let ns = 0;
  const classes = new Map<string, Group>(); // key: class letter (N named, F file, A anon) + identity
  const add = (r: Region, side: Side): void => {
    const key = classOf(r);
    let g = classes.get(key);
    if (!g) classes.set(key, (g = { before: [], after: [] }));
    g[side].push(r);
  };
  // Most VMAs are printed identically in both captures; such a pair can share no start and
  // overlap nothing else, so every rule below would pair it alone: do that in one sweep.
  for (let i = 0, j = 0; i < B.length || j < A.length; ) {
    const b = i < B.length ? B[i]! : null;
    const a = j < A.length ? A[j]! : null;
    if (b !== null && a !== null && b.start === a.start && b.end === a.end && unchanged(b, a)) {
      sameB[ns] = i++;
      sameA[ns++] = j++;
    } else if (b !== null && (a === null || b.start <= a.start)) {
      add(b, 'before');
      i++;
    } else {
      add(a!, 'after');
      j++;
    }
  }
  const rest: Pending[] = [];
  const files: Group[] = [];
  for (const [key, g] of classes) {
    if (key[0] === 'N') rest.push(withNote(g.before, g.after));
    else if (key[0] === 'F') files.push(g);
    else matchAnon(g.before, g.after, rest);
  }
  matchFiles(files, rest);
  return mergeInOrder(B, A, sameB, sameA, ns, rest, to);
}

/** Where matchRegions hands each match, in address order. */
export interface MatchSink<T> {
  /** A VMA printed alike in both captures (same range and identity, perms aside): most matches. */
  same(before: Region, after: Region): T;
  /** Any other match: one object reused for every call (read it, keep its arrays if need be, not it). */
  each(m: RegionMatch): T;
}

const COPIES: MatchSink<RegionMatch> = {
  same: (b, a) => ({ before: [b], after: [a], note: undefined, beforeSize: b.end - b.start, afterSize: b.end - b.start }),
  each: (m) => ({ ...m }),
};

/**
 * The pairs printed alike (B[sameB[s]], A[sameA[s]], s < ns) are in address order already;
 * sort the others and merge them in, handing each to the sink in that order.
 */
function mergeInOrder<T>(B: readonly Region[], A: readonly Region[], sameB: Int32Array, sameA: Int32Array, ns: number, rest: Pending[], sink: MatchSink<T>): T[] {
  const n = rest.length;
  const at = new Float64Array(n);
  const was = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = rest[i]!;
    at[i] = (m.after[0] ?? m.before[0])!.start;
    was[i] = m.before.length ? m.before[0]!.start : Number.MAX_VALUE;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => at[x]! - at[y]! || was[x]! - was[y]!);
  const out: T[] = [];
  const one: RegionMatch = { before: [], after: [], note: undefined, beforeSize: 0, afterSize: 0 };
  let s = 0;
  for (const x of order) {
    for (const until = at[x]!; s < ns && A[sameA[s]!]!.start <= until; s++) out.push(sink.same(B[sameB[s]!]!, A[sameA[s]!]!));
    const m = rest[x]!;
    one.before = m.before;
    one.after = m.after;
    one.note = m.note;
    one.beforeSize = sizeOf(m.before);
    one.afterSize = sizeOf(m.after);
    out.push(sink.each(one));
  }
  for (; s < ns; s++) out.push(sink.same(B[sameB[s]!]!, A[sameA[s]!]!));
  return out;
}

const sizeOf = (rs: readonly Region[]): number => {
  let n = 0;
  for (const r of rs) n += r.end - r.start;
  return n;
};

/** The regions in address order: as given (parse/maps returns them so), sorted when hand-built. */
function addressOrder(rs: readonly Region[]): readonly Region[] {
  for (let i = 1; i < rs.length; i++) if (rs[i]!.start < rs[i - 1]!.start) return [...rs].sort(byStart);
  return rs;
}

function classOf(r: Region): string {
  if (r.path === '') return 'A' + r.perms;
  if (r.path.startsWith('[')) {
    // [stack:TID] (kernels 3.4-4.4) names the VMA holding a thread's stack pointer: when the
    // thread exits and glibc caches its stack, the same VMA is a plain anonymous line, and a
    // reused one shows another TID. Matched with the plain anonymous VMAs, by address.
    if (r.path.startsWith('[stack:')) return 'A' + r.perms;
    // bionic names a stack by TID as well: a stack at the same address with a new TID is matched by address
    if (r.path.startsWith('[anon:stack_and_tls:')) return 'A' + r.perms + '\0[anon:stack_and_tls:]';
    if (r.path.startsWith('[anon')) return 'A' + r.perms + '\0' + r.path;
    return 'N' + r.path;
  }
  return `F${r.dev}\0${r.inode}\0${r.offset}\0${r.path}`;
}

/**
 * Same start and end: the same mapping in both captures? Perms may differ: an mprotect over
 * a whole VMA changes only them, and the region is reported as it is, not as gone + new.
 * (`[heap]` and the like always go by name.)
 */
function unchanged(b: Region, a: Region): boolean {
  if (b.inode !== a.inode || b.path !== a.path) return false;
  if (b.path === '') return true; // anonymous: the address range is its identity
  return b.dev === a.dev && b.offset === a.offset && !(b.path.startsWith('[') && classOf(b)[0] === 'N');
}

function matchFiles(files: readonly Group[], out: Pending[]): void {
  const left = new Map<string, Group>();
  const keep = (r: Region, side: Side): void => {
    const key = r.path + '\0' + r.perms;
    let g = left.get(key);
    if (!g) left.set(key, (g = { before: [], after: [] }));
    g[side].push(r);
  };
  for (const g of files) {
    if (g.before.length === 1 && g.after.length === 1) out.push(withNote(g.before, g.after));
    else pairOrKeep(g, (b, a) => out.push(withNote([b], [a])), keep);
  }
  for (const g of left.values()) {
    g.before.sort(byStart);
    g.after.sort(byStart);
    pairOrKeep(g, (b, a) => out.push(withNote([b], [a], b.dev !== a.dev || b.inode !== a.inode)), (r, side) =>
      out.push(side === 'before' ? withNote([r], []) : withNote([], [r])));
  }
}

/** Pairs a group with pairUp; hands each pair to `pair` and each VMA left over to `rest`. */
function pairOrKeep(g: Group, pair: (b: Region, a: Region) => void, rest: (r: Region, side: Side) => void): void {
  if (g.before.length === 0 || g.after.length === 0) {
    for (const r of g.before) rest(r, 'before');
    for (const r of g.after) rest(r, 'after');
    return;
  }
  const pairs = pairUp(g.before, g.after);
  const tb = new Uint8Array(g.before.length);
  const ta = new Uint8Array(g.after.length);
  for (const [i, j] of pairs) {
    tb[i] = ta[j] = 1;
    pair(g.before[i]!, g.after[j]!);
  }
  g.before.forEach((r, i) => tb[i] || rest(r, 'before'));
  g.after.forEach((r, j) => ta[j] || rest(r, 'after'));
}

/** Pairs two address-sorted lists: same start first, then the rest in address order. */
function pairUp(B: readonly Region[], A: readonly Region[]): Array<[number, number]> {
  if (B.length === 1 && A.length === 1) return [[0, 0]];
  const pairs: Array<[number, number]> = [];
  const atStart = new Map<number, number>();
  A.forEach((a, j) => atStart.set(a.start, j));
  const takenA = new Uint8Array(A.length);
  const restB: number[] = [];
  B.forEach((b, i) => {
    const j = atStart.get(b.start);
    if (j === undefined) return void restB.push(i);
    takenA[j] = 1;
    pairs.push([i, j]);
  });
  let j = 0;
  for (const i of restB) {
    while (j < A.length && takenA[j]) j++;
    if (j === A.length) break;
    takenA[j] = 1;
    pairs.push([i, j]);
  }
  return pairs;
}

/**
 * Anonymous VMAs of one perms/name class. The kernel merges adjacent anonymous VMAs and
 * splits them (mprotect, munmap), so VMAs are grouped into connected components:
 * 1. pairs: bss by owner (same start first, then order), then any two with the same start;
 * 2. an unpaired VMA joins every unpaired VMA of the other side it overlaps; one that
 *    overlaps none joins the paired VMAs it overlaps (it was absorbed, or split off).
 * Each component is one region: two-into-one is `merged`, one-into-two `split`.
 */
function matchAnon(B: readonly Region[], A: readonly Region[], out: Pending[]): void {
  const m = B.length;
  const k = A.length;
  const partner = new Int32Array(m + k).fill(-1); // node i = B[i], node m + j = A[j]
  const link = (i: number, j: number): void => {
    partner[i] = m + j;
    partner[m + j] = i;
  };
  pairBss(B, A, link);
  for (let i = 0, j = 0; i < m && j < k; ) {
    const b = B[i]!.start;
    const a = A[j]!.start;
    if (b < a) i++;
    else if (a < b) j++;
    else {
      if (partner[i]! < 0 && partner[m + j]! < 0) link(i, j);
      i++;
      j++;
    }
  }
  const edges: number[] = []; // overlapping (before, after) node pairs; at most m + k of them
  for (let i = 0, j = 0; i < m && j < k; ) {
    const b = B[i]!;
    const a = A[j]!;
    if (b.start < a.end && a.start < b.end) edges.push(i, m + j);
    if (b.end <= a.end) i++;
    else j++;
  }
  const free = (x: number): boolean => partner[x]! < 0;
  const touchesFree = new Uint8Array(m + k);
  for (let e = 0; e < edges.length; e += 2) {
    const x = edges[e]!;
    const y = edges[e + 1]!;
    if (free(x) && free(y)) touchesFree[x] = touchesFree[y] = 1;
  }
  const root = new Int32Array(m + k).map((_, i) => i);
  const find = (x: number): number => {
    while (root[x] !== x) x = root[x] = root[root[x]!]!;
    return x;
  };
  const union = (x: number, y: number): void => void (root[find(x)] = find(y));
  for (let x = 0; x < m; x++) if (!free(x)) union(x, partner[x]!);
  for (let e = 0; e < edges.length; e += 2) {
    const x = edges[e]!;
    const y = edges[e + 1]!;
    const fx = free(x);
    const fy = free(y);
    if (fx && fy) union(x, y);
    else if (fx ? !touchesFree[x] : fy && !touchesFree[y]) union(x, y);
  }
  const comp: Array<Group | undefined> = new Array(m + k);
  for (let x = 0; x < m + k; x++) {
    const c = (comp[find(x)] ??= { before: [], after: [] });
    if (x < m) c.before.push(B[x]!);
    else c.after.push(A[x - m]!);
  }
  for (const c of comp) if (c) out.push(withNote(c.before, c.after));
}

function pairBss(B: readonly Region[], A: readonly Region[], link: (i: number, j: number) => void): void {
  const owners = new Map<string, { b: number[]; a: number[] }>();
  const add = (rs: readonly Region[], side: 'b' | 'a'): void =>
    rs.forEach((r, i) => {
      if (r.kind !== 'bss') return;
      let o = owners.get(r.owner);
      if (!o) owners.set(r.owner, (o = { b: [], a: [] }));
      o[side].push(i);
    });
  add(B, 'b');
  add(A, 'a');
  for (const o of owners.values()) {
    if (o.b.length === 0 || o.a.length === 0) continue;
    for (const [i, j] of pairUp(o.b.map((i) => B[i]!), o.a.map((j) => A[j]!))) link(o.b[i]!, o.a[j]!);
  }
}

function withNote(before: Region[], after: Region[], replaced = false): Pending {
  return { before, after, note: replaced ? 'replaced' : noteFor(before, after) };
}

function noteFor(B: readonly Region[], A: readonly Region[]): DiffNote | undefined {
  if (B.length === 0 || A.length === 0) return undefined;
  if (B.length !== A.length) return B.length > A.length ? 'merged' : 'split';
  if (B.length > 1) return B.some((b, i) => b.start !== A[i]!.start || b.end !== A[i]!.end) ? 'reshaped' : undefined;
  const b = B[0]!;
  const a = A[0]!;
  const disjoint = b.end <= a.start || a.end <= b.start;
  return disjoint || (b.start !== a.start && b.end - b.start === a.end - a.start) ? 'moved' : undefined;
}

const byStart = (x: Region, y: Region): number => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0);
