/*! placeholder until compare lands: shows the second snapshot. */
import type { SnapshotStore } from '../../store/store.js';
import type { Paint } from '../../render/paint.js';
import type { Io } from '../io.js';
import { loadSnapshot, reportFor } from '../context.js';
import { renderShowText } from '../../render/show-text.js';

export function runCompare(store: SnapshotStore, io: Io, paint: Paint, req: { a: string; b: string; pids: number[] }): void {
  io.stdout.write(renderShowText(reportFor(loadSnapshot(store, req.b), { pids: req.pids }), { paint }));
}
