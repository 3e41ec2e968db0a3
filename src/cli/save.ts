/*! The one way a capture becomes a snapshot: parse it first (a capture that does not
 * parse is refused and nothing is stored), then write it atomically. */
import { createRequire } from 'node:module';
import type { RawCapture } from '../model/capture.js';
import type { SmapsMode, SnapshotMeta } from '../model/snapshot.js';
import { parseCapture } from '../parse/index.js';
import type { SnapshotStore } from '../store/store.js';
import type { LoadedSnapshot } from './context.js';
import { UsageError } from '../errors.js';
import type { Selection } from '../collect/source.js';
import { selects } from '../analyze/selection.js';

const version: string = createRequire(import.meta.url)('../../../package.json').version;

export interface SaveRequest {
  raw: RawCapture;
  target: string;
  via: SnapshotMeta['via'];
  from?: string;
  name?: string;
  lenient?: boolean;
  ceiling?: number;
  /** What the collector kept of command lines (captures only). */
  cmdline?: SnapshotMeta['cmdline'];
  /** For messages: where the capture came from. */
  source: string;
  /** A bare maps file: refused when it holds no maps line (an empty snapshot says nothing). */
  requireMaps?: boolean;
  /** When the collection began (captures only). */
  startedAt?: Date;
  /** What the capture was asked for (captures only; imports know nothing of it). */
  selection?: Selection;
  /** Where the target's name was found (captures over SSH or a console). */
  targetOrigin?: SnapshotMeta['targetOrigin'];
  /** watch --smaps auto: recorded as such even on its every-Nth full capture. */
  smapsMode?: SmapsMode;
}

export interface Saved {
  name: string;
  processes: number;
  skipped: string[];
  /** Names asked for with --process that matched no process. */
  unmatched: string[];
  /** What was stored, already parsed: no need to read it back. */
  snapshot: LoadedSnapshot;
}

export function saveCapture(store: SnapshotStore, req: SaveRequest): Saved {
  const lenient = Boolean(req.lenient);
  const parsed = parseCapture(req.raw, { source: req.source, lenient });
  if (req.requireMaps && parsed.processes.every((p) => p.vmas.length === 0)) {
    throw new UsageError(`${req.source}: no maps line in it (${parsed.skipped.length ? `--lenient skipped all ${parsed.skipped.length} line(s)` : 'the file is empty'}); nothing was stored. ` +
      'Copy the output of cat /proc/PID/maps into it');
  }
  const meta: Omit<SnapshotMeta, 'name'> = {
    target: req.target,
    capturedAt: new Date().toISOString(),
    tool: { name: 'mapsdiff', version },
    via: req.via,
    ...(req.from ? { from: req.from } : {}),
    lenient,
    ...(req.ceiling !== undefined ? { ceiling: '0x' + req.ceiling.toString(16) } : {}),
    ...(req.cmdline ? { cmdline: req.cmdline } : {}),
    ...(req.raw.remoteExit ? { remoteExit: req.raw.remoteExit } : {}),
    ...(req.startedAt ? { startedAt: req.startedAt.toISOString() } : {}),
    ...(req.targetOrigin ? { targetOrigin: req.targetOrigin } : {}),
  };
  const unmatched = req.selection ? unmatchedNames(req.selection, parsed) : [];
  if (req.selection) {
    const { pids, names, all } = req.selection;
    meta.selection = { pids: [...pids], names: [...names], all };
    if (unmatched.length) meta.unmatched = unmatched;
    const mode = req.smapsMode ?? (req.selection.smaps ? 'full' : req.selection.smapsAbove ? 'auto' : 'rollup');
    meta.smaps = { mode, read: parsed.processes.filter((p) => p.smaps !== undefined).map((p) => p.pid) };
  }
  const name = store.save(meta, req.raw.sections, req.name);
  return { name, processes: parsed.processes.length, skipped: parsed.skipped, unmatched, snapshot: { meta: { ...meta, name }, sections: req.raw.sections, parsed } };
}

/** The --process names no captured process answers to (by comm or the basename of argv[0]). */
function unmatchedNames(sel: Selection, parsed: ReturnType<typeof parseCapture>): string[] {
  return sel.names.filter((n) => !parsed.processes.some((p) => selects({ pids: [], names: [n], all: false }, p)));
}
