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
  const named = new Map<string, Group>();
  const files = new Map<string, Group>();
  const anon = new Map<string, Group>();
  const route = (rs: readonly Region[], side: Side): void => {
    for (const r of sortedByStart(rs)) {
      const [map, key] = classOf(r, named, files, anon);
      let g = map.get(key);
      if (!g) map.set(key, (g = { before: [], after: [] }));
      g[side].push(r);
    }
  };
  route(before, 'before');
  route(after, 'after');
  const out: RegionMatch[] = [];
  for (const g of named.values()) out.push(withNote(g.before, g.after));
  matchFiles(files, out);
  for (const g of anon.values()) matchAnon(g.before, g.after, out);
  return out;
}

function classOf(r: Region, named: Map<string, Group>, files: Map<string, Group>, anon: Map<string, Group>): [Map<string, Group>, string] {
  if (r.path === '') return [anon, r.perms];
  if (r.path.startsWith('[')) {
    // a thread's TID changes when glibc reuses its cached stack: match those by address
    if (r.path.startsWith('[stack:')) return [anon, r.perms + '\0[stack:]'];
    if (r.path.startsWith('[anon')) return [anon, r.perms + '\0' + r.path];
    return [named, r.path];
  }
  return [files, `${r.dev}\0${r.inode}\0${r.offset}\0${r.path}`];
}

function matchFiles(files: Map<string, Group>, out: RegionMatch[]): void {
  const left = new Map<string, Group>();
  const keep = (r: Region, side: Side): void => {
    const key = r.path + '\0' + r.perms;
    let g = left.get(key);
    if (!g) left.set(key, (g = { before: [], after: [] }));
    g[side].push(r);
  };
  for (const g of files.values()) pairOrKeep(g, (b, a) => out.push(withNote([b], [a])), keep);
  for (const g of left.values()) {
    g.before.sort(byStart);
    g.after.sort(byStart);
    pairOrKeep(g, (b, a) => out.push(withNote([b], [a], b.dev !== a.dev || b.inode !== a.inode)), (r, side) =>
      out.push(side === 'before' ? { before: [r], after: [] } : { before: [], after: [r] }));
  }
}

/** Pairs a group with pairUp; hands each pair to `pair` and each VMA left over to `rest`. */
function pairOrKeep(g: Group, pair: (b: Region, a: Region) => void, rest: (r: Region, side: Side) => void): void {
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

/** Maps text is already in address order; sort only when it is not (hand-built input). */
function sortedByStart(rs: readonly Region[]): readonly Region[] {
  for (let i = 1; i < rs.length; i++) if (rs[i]!.start < rs[i - 1]!.start) return [...rs].sort(byStart);
  return rs;
}

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
