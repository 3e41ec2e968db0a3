/*! `mapsdiff compare [A B]`: which process grew between two snapshots, which of its
 * regions, by how much, of what kind. Thin: load, report, compare, filter, render. */
import { compareSpec } from '../specs/compare.js';
import { UsageError } from '../../errors.js';
import type { SnapshotStore } from '../../store/store.js';
import { resolveQualified, withinTarget } from '../../store/names.js';
import type { Listed } from '../../store/listing.js';
import { compareReports } from '../../analyze/compare.js';
import { regionChanged, regionDelta, sortByMeasure } from '../../analyze/compare-measure.js';
import type { CompareResult, Measure, ProcessCompare } from '../../model/compare.js';
import type { RegionDiff } from '../../model/diff.js';
import { failOverLines, rankedBy } from '../compare-by.js';
import type { SnapshotReport } from '../../model/report.js';
import type { Paint } from '../../render/paint.js';
import { renderCompareJson, type CompareView } from '../../render/compare-json.js';
import { renderCompareText } from '../../render/compare-text.js';
import { rawMapsDiff } from '../../render/raw-diff.js';
import { loadSnapshot, openStore, paintFor, reportFor, type GlobalArgs, type LoadedSnapshot } from '../context.js';
import { asList, parseHexAddress, parsePid, parseSize } from '../options.js';
import type { Io } from '../io.js';
import { withYoungGenerationKept } from '../young-generation.js';
import { escapeForTerminal as esc } from '../../render/escape.js';

export interface CompareRequest {
  a?: string;
  b?: string;
  pids?: number[];
  names?: string[];
  minDelta?: number;
  sort?: 'delta' | 'address';
  all?: boolean;
  raw?: boolean;
  json?: boolean;
  failOver?: number;
  /** What ranks and what --min-delta / --fail-over look at (default: RSS when both captures have it). */
  by?: Measure;
  ceiling?: number;
  /** Compare snapshots that look like two different boards anyway. */
  force?: boolean;
}

interface Args extends GlobalArgs {
  a?: string;
  b?: string;
  pid?: number | number[];
  process?: string | string[];
  'min-delta'?: string;
  sort?: 'delta' | 'address';
  all?: boolean;
  raw?: boolean;
  json?: boolean;
  'fail-over'?: string;
  by?: Measure;
  ceiling?: string;
  force?: boolean;
  target?: string;
}

export function compareCommand(io: Io, setExit: (code: number) => void) {
  return {
    ...compareSpec,
    handler: (args: Args) => {
      const store = openStore(args, io);
      // two big captures' reports survive scavenges: the young generation kept small (cli/young-generation)
      const exceeded = withYoungGenerationKept(() => runCompare(store, io, paintFor(args, io), {
        a: args.a === undefined ? (args.target !== undefined ? `${args.target}:latest` : undefined) : withinTarget(args.a, args.target),
        b: args.b === undefined ? undefined : withinTarget(args.b, args.target),
        pids: asList(args.pid).map((p) => parsePid(p, '--pid')),
        names: asList(args.process).map(String),
        minDelta: args['min-delta'] !== undefined ? parseSize(args['min-delta'], '--min-delta') : 0,
        sort: args.sort, all: args.all, raw: args.raw, json: args.json,
        failOver: args['fail-over'] !== undefined ? parseSize(args['fail-over'], '--fail-over') : undefined,
        by: args.by,
        ceiling: args.ceiling !== undefined ? parseHexAddress(args.ceiling, '--ceiling') : undefined,
        force: args.force,
      }));
      if (exceeded) setExit(1);
    },
  };
}

/** Runs one comparison and writes it; returns true when --fail-over was exceeded. */
export function runCompare(store: SnapshotStore, io: Io, paint: Paint, req: CompareRequest): boolean {
  const [nameA, nameB] = pickPair(store, req.a, req.b);
  const [la, ra] = loadReport(store, nameA, req.ceiling, req.raw === true);
  const [lb, rb] = loadReport(store, nameB, req.ceiling, req.raw === true);
  const compared = compareReports(ra, rb);
  if (compared.otherBoard.length && !req.force) {
    throw new UsageError(`${nameA} and ${nameB} are not captures of one board (${compared.otherBoard.join('; ')}); ` +
      'compare two captures of the same board, or pass --force to compare them anyway');
  }
  const result = rankedBy(filterProcesses(compared, req), req.by);
  const view: CompareView = {
    result,
    detailNewAndGone: req.all,
    regions: (i) => {
      // a file replaced under the same path (new inode: an upgraded library) is a change even at the same size
      const p = result.processes[i]!;
      const shown = (d: RegionDiff) => d.note === 'replaced' ||
        ((req.all || regionChanged(d)) && Math.abs(regionDelta(d, p.regionMeasure)) >= (req.minDelta ?? 0));
      return sortByMeasure(candidates(p, req.all === true).filter(shown), p.regionMeasure, req.sort ?? 'delta');
    },
  };
  if (la.meta.target !== lb.meta.target) {
    // said before anything else: two boards' numbers side by side are rarely what was meant
    (req.json ? io.stderr : io.stdout).write(`${req.json ? 'mapsdiff: ' : ''}note: ${la.meta.name} is a capture of ${esc(la.meta.target)} and ${lb.meta.name} of ${esc(lb.meta.target)}: two different targets\n`);
  }
  io.stdout.write(req.json ? renderCompareJson(view) : renderCompareText(view, paint));
  if (req.raw && !req.json) io.stdout.write(rawDiff(la, lb, result));
  if (req.failOver === undefined) return false;
  const over = failOverLines(result, req.failOver);
  for (const line of over) io.stderr.write(line + '\n');
  return over.length > 0;
}

/** The regions that can be shown: without --all and smaps only those the diff did not make of
 * one VMA printed alike in both captures (never changed: same, no note, no resident): of
 * two 100k-VMA captures, some thousands instead of every region. In address order either way. */
function candidates(p: ProcessCompare, all: boolean): RegionDiff[] {
  const { regions, changedAt } = p.diff;
  if (all || p.regionResident || !changedAt) return regions;
  const out = new Array<RegionDiff>(changedAt.length);
  for (let k = 0; k < changedAt.length; k++) out[k] = regions[changedAt[k]!]!;
  return out;
}

/** A snapshot's report, and the snapshot kept: its meta, and its raw sections only for --raw; not
 * the parsed VMAs (they become the report's regions: two 100k-VMA captures held both at once),
 * nor, while the report is made, the raw text (a 100k-VMA maps text is 6 MB). */
function loadReport(store: SnapshotStore, name: string, ceiling: number | undefined, raw: boolean): [Stored, SnapshotReport] {
  const loaded = loadSnapshot(store, name, true);
  const kept = { meta: loaded.meta, sections: raw ? loaded.sections : [] };
  loaded.sections = [];
  return [kept, reportFor(loaded, { ceiling, consume: true })];
}

type Stored = Pick<LoadedSnapshot, 'meta' | 'sections'>;

/** A and B as given; B alone = B against the one before it; neither = the two newest of the latest's target. */
function pickPair(store: SnapshotStore, a?: string, b?: string): [string, string] {
  return store.withListing((listed) => pairIn(listed, a, b)); // listed once: resolving each name would list the store again
}

function pairIn(listed: Listed, a?: string, b?: string): [string, string] {
  if (a && b) return [resolveQualified(a, listed), resolveQualified(b, listed)];
  const last = resolveQualified(a ?? 'latest', listed);
  const at = listed.find(last);
  const target = listed.target(at);
  let before = at - 1; // the one before it of its target
  while (before >= 0 && listed.target(before) !== target) before--;
  if (before < 0) {
    throw new UsageError(`compare needs two snapshots of target ${target}, and ${last} is the oldest one; ` +
      `capture again (mapsdiff capture ${target === 'local' ? 'local --pid PID' : target}) or name both: mapsdiff compare A B`);
  }
  return [listed.name(before), last];
}

function filterProcesses(r: CompareResult, req: CompareRequest): CompareResult {
  const pids = req.pids ?? [];
  const names = req.names ?? [];
  if (!pids.length && !names.length) return r;
  const keep = r.processes.filter((p) =>
    pids.includes(p.diff.pid.before ?? -1) || pids.includes(p.diff.pid.after ?? -1) || names.includes(p.diff.name));
  if (keep.length === 0) {
    const there = r.processes.map((p) => ({ pid: (p.diff.pid.after ?? p.diff.pid.before)!, name: p.diff.name }))
      .sort((x, y) => x.pid - y.pid).map((p) => `${p.pid} (${p.name || '?'})`).join(', '); // by number: 1, 98, 100
    throw new UsageError(`no process in ${r.before.name} or ${r.after.name} matches ${[...pids.map((p) => `pid ${p}`), ...names].join(', ')}; they hold: ${there}`);
  }
  return { ...r, processes: keep };
}

function rawDiff(la: Stored, lb: Stored, r: CompareResult): string {
  const mapsText = (l: Stored, pid: number | null) =>
    pid === null ? '' : l.sections.find((s) => s.name === 'maps' && s.pid === pid)?.text ?? '';
  return r.processes.map((p) => rawMapsDiff(
    `${la.meta.name}/pid ${p.diff.pid.before ?? '-'}/maps`, `${lb.meta.name}/pid ${p.diff.pid.after ?? '-'}/maps`,
    mapsText(la, p.diff.pid.before), mapsText(lb, p.diff.pid.after))).join('\n');
}
