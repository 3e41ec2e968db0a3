/*! The one way a capture becomes a snapshot: parse it first (a capture that does not
 * parse is refused and nothing is stored), then write it atomically. */
import { createRequire } from 'node:module';
import type { RawCapture } from '../model/capture.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import { parseCapture } from '../parse/index.js';
import type { SnapshotStore } from '../store/store.js';
import type { LoadedSnapshot } from './context.js';

const version: string = createRequire(import.meta.url)('../../../package.json').version;

export interface SaveRequest {
  raw: RawCapture;
  target: string;
  via: SnapshotMeta['via'];
  from?: string;
  name?: string;
  lenient?: boolean;
  ceiling?: bigint;
  /** What the collector kept of command lines (captures only). */
  cmdline?: SnapshotMeta['cmdline'];
  /** For messages: where the capture came from. */
  source: string;
}

export interface Saved {
  name: string;
  processes: number;
  skipped: string[];
  /** What was stored, already parsed: no need to read it back. */
  snapshot: LoadedSnapshot;
}

export function saveCapture(store: SnapshotStore, req: SaveRequest): Saved {
  const lenient = Boolean(req.lenient);
  const parsed = parseCapture(req.raw, { source: req.source, lenient });
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
  };
  const name = store.save(meta, req.raw.sections, parsed, req.name);
  return { name, processes: parsed.processes.length, skipped: parsed.skipped, snapshot: { meta: { ...meta, name }, sections: req.raw.sections, parsed } };
}
