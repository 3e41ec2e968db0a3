/*! Pairs the VMAs of two captures of one process into regions, and the processes of two
 * captures. Pure and O(n log n); it decides only which VMAs belong together (and the
 * note), never sizes or statuses: analyze/diff does. Rules: DESIGN.md "Matching regions". */
import type { Region } from '../model/vma.js';
import type { DiffNote, ProcessMatch, ProcessRef } from '../model/diff.js';

/** VMAs of the two captures that form one region (address order); never both sides empty. */
export interface RegionMatch {
  before: Region[];
  after: Region[];
  note?: DiffNote;
}

interface Group { before: Region[]; after: Region[] }
type Side = keyof Group;

/**
 * Every VMA of `before` and of `after` lands in exactly one RegionMatch.
 * - `[heap]`, `[stack]`, `[vdso]` ... : by name (all VMAs of that name form one region);
 * - file-backed: by (dev, inode, path, offset), same start first, then in address order;
 *   leftovers with the same path and perms are paired as `replaced` when the inode differs;
 * - anonymous (also bss, thread stacks, arenas, guards, `[stack:TID]`, `[anon:NAME]`): per
 *   perms and name, bss by owner, then same start, then overlap (see matchAnon).
 */
export function matchRegions(before: readonly Region[], after: readonly Region[]): RegionMatch[] {
  const [B, bs, be] = addressOrder(before);
  const [A, as, ae] = addressOrder(after);
  const out: RegionMatch[] = [];
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
    if (i < B.length && j < A.length && bs[i] === as[j] && be[i] === ae[j] && unchanged(B[i]!, A[j]!)) {
      out.push({ before: [B[i++]!], after: [A[j++]!] });
    } else if (i < B.length && (j === A.length || bs[i]! <= as[j]!)) add(B[i++]!, 'before');
    else add(A[j++]!, 'after');
  }
  const files: Group[] = [];
  for (const [key, g] of classes) {
    if (key[0] === 'N') out.push(withNote(g.before, g.after));
    else if (key[0] === 'F') files.push(g);
    else matchAnon(g.before, g.after, out);
  }
  matchFiles(files, out);
  return out;
}

/**
 * The regions in address order, with their starts and ends as numbers: comparing those is
 * many times faster than comparing bigints spread over the heap. Exact: the kernel prints
 * page-aligned bounds, and a page-aligned address below 2^64 fits a double's 53 bits.
 */
function addressOrder(rs: readonly Region[]): [readonly Region[], Float64Array, Float64Array] {
  const nums = (xs: readonly Region[]): [readonly Region[], Float64Array, Float64Array] => {
    const s = new Float64Array(xs.length);
    const e = new Float64Array(xs.length);
    xs.forEach((x, i) => {
      s[i] = Number(x.start);
      e[i] = Number(x.end);
    });
    return [xs, s, e];
  };
  const first = nums(rs);
  const s = first[1];
  for (let i = 1; i < s.length; i++) if (s[i]! < s[i - 1]!) return nums([...rs].sort(byStart)); // hand-built input
  return first;
}

function classOf(r: Region): string {
  if (r.path === '') return 'A' + r.perms;
  if (r.path.startsWith('[')) {
    // a thread's TID changes when glibc reuses its cached stack: match those by address
    if (r.path.startsWith('[stack:')) return 'A' + r.perms + '\0[stack:]';
    if (r.path.startsWith('[anon')) return 'A' + r.perms + '\0' + r.path;
    return 'N' + r.path;
  }
  return `F${r.dev}\0${r.inode}\0${r.offset}\0${r.path}`;
}

/** Same start and end: same line in both captures? (`[heap]` and the like always go by name.) */
function unchanged(b: Region, a: Region): boolean {
  if (b.inode !== a.inode || b.path !== a.path || b.perms !== a.perms) return false;
  if (b.path === '') return true; // anonymous: matched by perms and address only
  return b.dev === a.dev && b.offset === a.offset && !(b.path.startsWith('[') && classOf(b)[0] === 'N');
}

function matchFiles(files: readonly Group[], out: RegionMatch[]): void {
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
      out.push(side === 'before' ? { before: [r], after: [] } : { before: [], after: [r] }));
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
  const atStart = new Map<bigint, number>();
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
function matchAnon(B: readonly Region[], A: readonly Region[], out: RegionMatch[]): void {
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

function withNote(before: Region[], after: Region[], replaced = false): RegionMatch {
  const note = replaced ? 'replaced' : noteFor(before, after);
  return note ? { before, after, note } : { before, after };
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

/**
 * Pairs the processes of two captures. The same process: same pid and same start time
 * (or, when a start time is unknown, same pid and name). Restarted (restarted: true): same
 * pid and name with another start time, or another pid with a name that only one process
 * has among the unpaired of each capture. `rebooted`: every pair spans a restart.
 * Order: the before processes as given (paired or gone), then the new ones.
 */
export function matchProcesses(before: readonly ProcessRef[], after: readonly ProcessRef[], opts: { rebooted?: boolean } = {}): ProcessMatch[] {
  const rebooted = opts.rebooted ?? false;
  const afterByPid = new Map(after.map((p, j) => [p.pid, j]));
  const pairOf = new Int32Array(before.length).fill(-1);
  const restarted = new Uint8Array(before.length);
  const taken = new Uint8Array(after.length);
  before.forEach((b, i) => {
    const j = afterByPid.get(b.pid);
    if (j === undefined) return;
    const a = after[j]!;
    const sameStart = b.startTime === null || a.startTime === null ? null : b.startTime === a.startTime;
    if (sameStart !== true && b.name !== a.name) return; // the pid was reused by another program
    pairOf[i] = j;
    taken[j] = 1;
    restarted[i] = rebooted || sameStart === false ? 1 : 0;
  });
  const byName = new Map<string, { b: number[]; a: number[] }>();
  const add = (name: string, side: 'b' | 'a', x: number): void => {
    if (name === '') return;
    let e = byName.get(name);
    if (!e) byName.set(name, (e = { b: [], a: [] }));
    e[side].push(x);
  };
  before.forEach((b, i) => pairOf[i]! < 0 && add(b.name, 'b', i));
  after.forEach((a, j) => !taken[j] && add(a.name, 'a', j));
  for (const e of byName.values()) {
    if (e.b.length !== 1 || e.a.length !== 1) continue; // ambiguous: several with that name
    pairOf[e.b[0]!] = e.a[0]!;
    taken[e.a[0]!] = 1;
    restarted[e.b[0]!] = 1;
  }
  const out: ProcessMatch[] = before.map((b, i) => {
    const j = pairOf[i]!;
    return j < 0 ? { before: b, after: null, restarted: false } : { before: b, after: after[j]!, restarted: restarted[i] === 1 };
  });
  after.forEach((a, j) => taken[j] || out.push({ before: null, after: a, restarted: false }));
  return out;
}
