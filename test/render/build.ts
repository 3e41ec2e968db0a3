/*! Builds SnapshotReports for the render tests straight from maps text (a real dump or a
 * hand-written one), the way `show` does, without a store. */
import { parseMaps } from '../../src/parse/maps.js';
import { buildReport } from '../../src/analyze/report.js';
import type { SnapshotReport } from '../../src/model/report.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';

export function meta(name: string): SnapshotMeta {
  return { name, target: 'bench-board', capturedAt: '2026-01-02T03:04:05.000Z', tool: { name: 'mapsdiff', version: '0.1.0' }, via: 'import', lenient: false };
}

export function reportOf(mapsText: string, name = 't0', pid = 412, proc = 'app'): SnapshotReport {
  const { vmas } = parseMaps(mapsText, { source: name });
  return buildReport(meta(name), { processes: [{ pid, name: proc, startTime: null, vmas, missing: [], denied: [], gone: false }], skipped: [] });
}

/** Every `<rect ... data-kind=...>` of a markup string, as [data-start, data-kind] in document order. */
export function boxes(markup: string): [string, string][] {
  return [...markup.matchAll(/<rect [^>]*data-kind="([a-z-]+)" data-start="([0-9a-f]+)"/g)].map((m) => [m[2]!, m[1]!]);
}
