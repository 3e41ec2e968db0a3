/*! Fuzz of stored snapshot FILES (not parser inputs): real snapshots written by the real
 * import path, mutated byte-wise and structurally (wrong JSON types, truncation, huge
 * numbers, wrong nesting, section texts that are malformed maps...), then decoded and run
 * through what show, compare and trend run, in-process. Anything thrown must be a
 * MapsdiffError. Seeded (mulberry32): a failure names the case that repeats it.
 * Run directly for a long run: `node dist/test/store/snapshot-fuzz.js 100000` (npm run fuzz). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MapsdiffError } from '../../src/errors.js';
import { SnapshotStore } from '../../src/store/store.js';
import { decodeSnapshot } from '../../src/store/file-format.js';
import { readImport } from '../../src/collect/file.js';
import { saveCapture } from '../../src/cli/save.js';
import { loadSnapshot, parseStored, reportFor, type LoadedSnapshot } from '../../src/cli/context.js';
import { runCompare } from '../../src/cli/commands/compare.js';
import { runTrend } from '../../src/cli/commands/trend.js';
import { compareReports } from '../../src/analyze/compare.js';
import { renderShowText } from '../../src/render/show-text.js';
import { renderShowJson } from '../../src/render/show-json.js';
import { renderShowCsv } from '../../src/render/show-csv.js';
import { renderMapBar } from '../../src/render/map-bar.js';
import { makePaint } from '../../src/render/paint.js';
import type { Io } from '../../src/cli/io.js';
import { fixture, fixturePath, mulberry32 } from '../helpers.js';

const paint = makePaint(false);
const sink = () => new Writable({ write: (_c, _e, done) => done() });
const io: Io = { stdout: sink(), stderr: sink(), env: {}, cwd: os.tmpdir(), signal: new AbortController().signal };

/** Real snapshot files, as the import command stores them. */
function corpus(dir: string): string[] {
  const store = new SnapshotStore(dir);
  const imports: Array<[string, Parameters<typeof readImport>[1]]> = [
    ['captures/qemu-armhf-virt-leaker-steady.capture', { pid: 0, cwd: '/' }],
    ['captures/qemu-mipsel-malta-leaker-steady.capture', { pid: 0, cwd: '/' }],
    ['maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps', { pid: 4388, cwd: '/', ulimitS: '8192', meminfo: fixturePath('meminfo/armv7-qemu-vexpress-buildroot-128mb-cma.meminfo') }],
    ['maps/arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps', { pid: 7, cwd: '/' }],
    ['maps/x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps', { pid: 0, cwd: '/' }],
  ];
  return imports.map(([f, opts], i) => {
    const name = saveCapture(store, { raw: readImport(fixturePath(f), opts), target: i < 2 ? 'board' : 'imported', via: 'import', from: f, name: `c${i}`, source: f }).name;
    return fs.readFileSync(path.join(store.snapDir, `${name}.json`), 'utf8');
  });
}

const MAPS_LINES = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps').split('\n');
const WEIRD: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53 + 2, 1e308, -1e308, '', 'x', '0x', '0xffffffffffffffffffff', [], [1], {}, { a: 1 },
  '2026-13-45T99:99:99Z', '+275760-09-13T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '-000001-01-01T00:00:00Z', 'ok', 'gone', 'maps', 'meminfo', 'stat',
  '\u0000', '\u001b[31m', '\ud800', 'ü'.repeat(300)];
const TEXTS = ['', '\n', 'garbage', '99999999999999999999999999-1 rwxp 0 0:0 0\n', MAPS_LINES.slice(0, 3).join('\n'),
  'MemTotal: 99999999999999999999 kB\nMemAvailable: -5 kB\n', '1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999 0 0\n',
  '00000000-ffffffff rw-p 00000000 00:00 0 [heap]\n00001000-00002000 r-xp 00000000 00:00 0\n', 'unlimited\n', '1e308 1e308\n', 'Name:\t\nThreads:\tNaN\n'];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Every value's path in a JSON tree (objects and arrays), so any of them can be replaced. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (out.length > 4000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

function setAt(root: unknown, at: (string | number)[], value: unknown, remove = false): unknown {
  if (at.length === 0) return value;
  let o = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (remove) {
    if (Array.isArray(o)) o.splice(last as number, 1);
    else delete o[last];
  } else o[last] = value;
  return root;
}

const getAt = (root: unknown, at: (string | number)[]): unknown => at.reduce((o: unknown, k) => (o as Record<string | number, unknown>)[k], root);

function mutateText(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  switch (Math.floor(rnd() * 7)) {
    case 0: { const l = lines.slice(); l.splice(Math.floor(rnd() * l.length), 0, pick(rnd, TEXTS)); return l.join('\n'); }
    case 1: return text.slice(0, Math.floor(rnd() * text.length)); // cut
    case 2: { const at = Math.floor(rnd() * text.length); return text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + text.slice(at + 1); }
    case 3: { const l = lines.slice(); const i = Math.floor(rnd() * l.length); l[i] = l[i]!.replace(/[0-9a-f]{4,}/, pick(rnd, ['fffffffffffffffff', '0', '-1', 'zz', ''])); return l.join('\n'); }
    case 4: return lines.reverse().join('\n'); // addresses out of order
    case 5: return pick(rnd, TEXTS);
    default: return text + text; // every line twice
  }
}

/** One structural edit of the decoded header or sections, written back as the file's lines. */
function mutateStructure(rnd: () => number, file: string): string {
  const lines = file.split('\n');
  const which = rnd() < 0.25 ? 0 : 1;
  let tree: unknown = JSON.parse(lines[which]!);
  const all = paths(tree);
  const at = pick(rnd, all);
  const here = getAt(tree, at);
  switch (Math.floor(rnd() * 11)) {
    case 0: tree = setAt(tree, at, structuredClone(pick(rnd, WEIRD))); break; // wrong type, huge number
    case 1: tree = setAt(tree, at, [here]); break; // wrong nesting
    case 2: tree = setAt(tree, at, { value: here }); break;
    case 3: if (at.length) tree = setAt(tree, at, undefined, true); break; // a field gone
    case 4: if (typeof here === 'string') tree = setAt(tree, at, mutateText(rnd, here)); else tree = setAt(tree, at, pick(rnd, TEXTS)); break;
    case 5: if (Array.isArray(tree) && tree.length) tree.push(structuredClone(pick(rnd, tree))); break; // a section twice
    case 6: if (Array.isArray(tree)) { const s = pick(rnd, tree) as Record<string, unknown>; if (s && typeof s === 'object') { s.name = pick(rnd, ['maps', 'meminfo', 'stat', 'status', 'limits', 'smaps', 'smaps_rollup', 'cmdline', 'uname', 'uptime', 'ulimit-s', 'processes', 'nope']); s.pid = pick(rnd, [undefined, 0, 1, 412, 4388, 2 ** 31]); } } break;
    default: if (Array.isArray(tree)) { const s = pick(rnd, tree) as Record<string, unknown>; if (s && typeof s.text === 'string') s.text = mutateText(rnd, s.text); } break; // a malformed section text
  }
  lines[which] = JSON.stringify(tree) ?? 'undefined';
  return lines.join('\n');
}

/** Well-typed sections whose texts are malformed: bad maps lines, meminfo, stat, limits... */
function mutateSectionTexts(rnd: () => number, file: string): string {
  const lines = file.split('\n');
  const sections = JSON.parse(lines[1]!) as { text: string }[];
  for (let k = 1 + Math.floor(rnd() * 3); k > 0 && sections.length; k--) {
    const s = pick(rnd, sections);
    s.text = mutateText(rnd, s.text);
  }
  lines[1] = JSON.stringify(sections);
  if (rnd() < 0.5) lines[0] = lines[0]!.replace('"lenient":false', '"lenient":true'); // bad lines skipped: odd data reaches the analysis
  return lines.join('\n');
}

function mutateBytes(rnd: () => number, file: string): string {
  let s = file;
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const at = Math.floor(rnd() * (s.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at); break; // truncated
      case 2: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 16)); break;
      case 3: s = s.slice(0, at) + pick(rnd, ['"', ',', '{', '}', '[', ']', '\n', '\\', '1e999', '-', 'null', '\\u0000']) + s.slice(at); break;
      case 4: { const l = s.split('\n'); [l[0], l[1]] = [l[1]!, l[0]!]; s = l.join('\n'); break; } // lines swapped
      default: s = s.replace(/\d+/, () => pick(rnd, ['99999999999999999999999', '-1', '1e308', '0.5'])); break;
    }
  }
  return s;
}

export interface FuzzResult {
  cases: number;
  decoded: number;
  parsed: number;
  analysed: number;
  typedErrors: number;
  ms: number;
}

/** Runs `count` mutated snapshot files; throws on the first error that is not a MapsdiffError. */
export function fuzzSnapshots(count: number, seed = 1): FuzzResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-fuzz-'));
  const started = Date.now();
  try {
    const files = corpus(path.join(dir, 'corpus'));
    const bases = files.map((f) => parseStored(decodeSnapshot(f, 'base')));
    const baseReports = bases.map((b) => reportFor(b));
    // a real store for the command paths: t0 and t2 good, t1 the mutated file
    const live = new SnapshotStore(path.join(dir, 'live'));
    fs.mkdirSync(live.snapDir, { recursive: true });
    fs.writeFileSync(path.join(live.snapDir, 't0.json'), files[0]!.replace('"name":"c0"', '"name":"t0"'));
    fs.writeFileSync(path.join(live.snapDir, 't2.json'), files[1]!.replace('"name":"c1"', '"name":"t2"'));
    const r: FuzzResult = { cases: 0, decoded: 0, parsed: 0, analysed: 0, typedErrors: 0, ms: 0 };
    for (let i = 0; i < count; i++) {
      const rnd = mulberry32(seed * 1_000_003 + i);
      const base = Math.floor(rnd() * files.length);
      const how = rnd();
      const text = how < 0.4 ? mutateSectionTexts(rnd, files[base]!) : how < 0.8 ? mutateStructure(rnd, files[base]!) : mutateBytes(rnd, files[base]!);
      r.cases++;
      try {
        const stored = decodeSnapshot(text, `case ${i}`);
        r.decoded++;
        const loaded: LoadedSnapshot = parseStored(stored);
        r.parsed++;
        const report = reportFor(loaded);
        compareReports(baseReports[base]!, report);
        compareReports(report, baseReports[(base + 1) % files.length]!);
        r.analysed++;
        if (i % 10 === 0) {
          renderShowText(report, { paint });
          renderShowJson(report);
          renderShowCsv(report);
          renderMapBar(report, { paint, width: 64 });
        }
      } catch (e) {
        if (!(e instanceof MapsdiffError)) throw fail(e, seed, i, text);
        r.typedErrors++;
      }
      if (i % 40 === 0) {
        // through the store and the commands' own functions, as a file planted in a real store
        fs.writeFileSync(path.join(live.snapDir, 't1.json'), text);
        if (i % 80 === 0) fs.rmSync(path.join(live.dir, 'index.jsonl'), { force: true }); // its header read again, not taken from the index
        for (const run of [
          () => new SnapshotStore(live.dir).list(),
          () => loadSnapshot(new SnapshotStore(live.dir), 't1'),
          () => runCompare(new SnapshotStore(live.dir), io, paint, { a: 't0', b: 't1', raw: true }),
          () => runCompare(new SnapshotStore(live.dir), io, paint, { a: 't1', b: 't2', json: true, all: true }),
          () => runTrend(new SnapshotStore(live.dir), { names: ['t0', 't1', 't2'] }),
          () => runTrend(new SnapshotStore(live.dir), { names: [] }),
        ]) {
          try {
            run();
          } catch (e) {
            if (!(e instanceof MapsdiffError)) throw fail(e, seed, i, text);
            r.typedErrors++;
          }
        }
      }
    }
    r.ms = Date.now() - started;
    return r;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fail(e: unknown, seed: number, i: number, text: string): Error {
  const err = e as Error;
  return new Error(`case ${i} (seed ${seed}) threw ${err?.name}: ${err?.message}\n${err?.stack}\nfile: ${JSON.stringify(text.slice(0, 600))}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const count = Number(process.argv[2] ?? 100_000);
  const r = fuzzSnapshots(count, Number(process.argv[3] ?? 1));
  process.stdout.write(`${r.cases} mutated snapshot files in ${(r.ms / 1000).toFixed(1)} s: ${r.decoded} decoded, ${r.parsed} parsed, ${r.analysed} analysed, ${r.typedErrors} typed errors, no other error\n`);
}
