/*! What every command needs from its global options: the store, the paint, and the
 * snapshot pipeline (load -> parse -> report). The only place commands meet parse/. */
import { SnapshotStore } from '../store/store.js';
import { locateStore } from '../store/locate.js';
import type { StoredSnapshot } from '../store/file-format.js';
import { colorWanted, makePaint, type Paint } from '../render/paint.js';
import { parseCapture, type MapsReuse } from '../parse/index.js';
import { parseUname } from '../parse/uname.js';
import { buildReport, type ReportOptions } from '../analyze/report.js';
import type { SnapshotReport } from '../model/report.js';
import type { ParsedCapture, RawSection } from '../model/capture.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import type { Io } from './io.js';

export interface GlobalArgs {
  store?: string;
  color?: boolean;
}

export function openStore(args: GlobalArgs, io: Io): SnapshotStore {
  // a file of the store that cannot be used is said once, on stderr, and the rest still works
  return new SnapshotStore(locateStore(args.store, io.env, io.cwd).dir, {
    warn: (m) => io.stderr.write(`mapsdiff: ${m}\n`),
    created: (dir) => io.stderr.write(`mapsdiff: created the store ${dir}\n`),
  });
}

export function paintFor(args: GlobalArgs, io: Io): Paint {
  return makePaint(colorWanted(io.stdout, io.env, args.color));
}

export interface LoadedSnapshot {
  meta: SnapshotMeta;
  sections: RawSection[];
  parsed: ParsedCapture;
}

/** Loads a snapshot and parses its raw sections again (the raw text is the truth). */
export function loadSnapshot(store: SnapshotStore, ref: string, room?: boolean): LoadedSnapshot {
  return parseStored(store.load(ref), undefined, room, store);
}

/** A stored snapshot's raw sections parsed again (`room`: for a report that consumes it, see parse/maps).
 * A snapshot stored without --lenient has lines skipped only when an older mapsdiff stored a value
 * this one cannot hold exactly (parse/maps `skipInexact`): read without them, and said once on stderr. */
export function parseStored({ meta, sections }: StoredSnapshot, reuse?: MapsReuse, room?: boolean, store?: SnapshotStore): LoadedSnapshot {
  const parsed = parseCapture({ sections }, { source: `snapshot ${meta.name}`, lenient: meta.lenient, reuse, room, stored: true });
  if (!meta.lenient && parsed.skipped.length) {
    const sections = parsed.sectionsLeftOut ?? 0;
    // a stored value of a smaps block header leaves its whole smaps section out (parse/index), not just the line
    const lines = `${parsed.skipped.length} line(s)${sections ? ` (${sections} of them smaps block headers, each with its whole smaps section)` : ''}`;
    store?.noteRead(meta.name, `snapshot ${meta.name} is read without ${lines} that hold an address or offset above 2^53 ` +
      `and not page-aligned, which this mapsdiff cannot hold exactly (no kernel prints one: an older mapsdiff stored a hand-edited file); ` +
      `mapsdiff show ${meta.name} lists them`);
  }
  return { meta, sections, parsed };
}

export function machineOf(parsed: ParsedCapture): string | null {
  return unameOf(parsed)?.machine || null;
}

/** `uname -a`'s host name (nodename), when captured. */
export function hostnameOf(parsed: ParsedCapture): string | null {
  return unameOf(parsed)?.host || null;
}

function unameOf(parsed: ParsedCapture): ReturnType<typeof parseUname> | null {
  if (!parsed.uname) return null;
  try {
    return parseUname(parsed.uname, 'uname');
  } catch {
    return null;
  }
}

export function reportFor(loaded: LoadedSnapshot, opts: ReportOptions = {}): SnapshotReport {
  return buildReport(loaded.meta, loaded.parsed, { machine: machineOf(loaded.parsed), hostname: hostnameOf(loaded.parsed), ...opts });
}
