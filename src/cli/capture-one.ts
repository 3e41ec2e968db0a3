/*! One capture of one opened source into the store: pick the selection, collect, refuse
 * what an interrupt cut short, save. Shared by `capture` and `watch`; prints nothing. */
import { CaptureError, StoreWriteError } from '../errors.js';
import type { Selection } from '../collect/source.js';
import type { RawCapture, RawSection } from '../model/capture.js';
import type { SnapshotStore } from '../store/store.js';
import type { SmapsMode } from '../model/snapshot.js';
import { selectionFrom } from './options.js';
import { saveCapture, type Saved } from './save.js';
import type { OpenedSource } from './sources.js';

/** The user's --pid/--process/--all when given, else the target's default processes (with --smaps
 * if either asks for it), else a UsageError asking for them. */
export function selectionFor(s: OpenedSource, explicit: Selection, args: Parameters<typeof selectionFrom>[0]): Selection {
  const sel = explicit.all || explicit.pids.length || explicit.names.length ? explicit
    : s.defaultSelection ? { ...s.defaultSelection, smaps: s.defaultSelection.smaps || explicit.smaps } : selectionFrom(args, true);
  return explicit.cmdline && !sel.cmdline ? { ...sel, cmdline: true } : sel; // --cmdline and --smaps hold whoever names the processes
}

/** A capture in which not one process's maps could be read answers nothing: refused, with why. */
export function refuseWithoutMaps(raw: RawCapture, target: string): void {
  const maps = raw.sections.filter((x) => x.name === 'maps');
  if (maps.length === 0 || maps.some((x) => x.status === 'ok')) return;
  const why = (x: RawSection) =>
    `pid ${x.pid}: ${x.status === 'denied' ? 'permission denied' : x.status === 'gone' ? 'the process exited' : 'no maps file'}`;
  const hint = maps.some((x) => x.status === 'denied') ? "; capture as root, or as the processes' owner" : '';
  throw new CaptureError(`${target}: no process's /proc/PID/maps could be read (${maps.map(why).join(', ')})${hint}; nothing was stored`);
}

export interface CaptureOneOptions {
  name?: string;
  lenient?: boolean;
  ceiling?: number;
  /** watch --smaps auto (the selection then says what this one capture reads). */
  smapsMode?: SmapsMode;
}

export async function captureOne(store: SnapshotStore, s: OpenedSource, sel: Selection, opts: CaptureOneOptions, signal: AbortSignal): Promise<Saved> {
  const startedAt = new Date();
  const raw = await s.source.collect(sel, signal);
  if (signal.aborted) throw new CaptureError('interrupted; nothing was stored');
  refuseWithoutMaps(raw, s.source.target);
  try {
    return saveCapture(store, {
      raw, target: s.source.target, via: s.via, from: s.source.from, name: opts.name, lenient: opts.lenient,
      ceiling: opts.ceiling ?? s.ceiling, source: `capture of ${s.source.target}`, cmdline: sel.cmdline ? 'full' : 'program',
      startedAt, selection: sel, ...(s.origin ? { targetOrigin: s.origin } : {}), ...(opts.smapsMode ? { smapsMode: opts.smapsMode } : {}),
    });
  } catch (err) {
    if (err instanceof StoreWriteError) throw new CaptureError(err.message); // the capture failed: exit 3
    throw err;
  }
}
