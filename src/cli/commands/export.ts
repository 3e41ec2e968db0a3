/*! `mapsdiff export --format openmetrics|prometheus|csv|ndjson [--target T] [--since NAME]`:
 * the store's history as the metrics of docs/metrics.md, each sample stamped with its
 * capture's time: OpenMetrics for `promtool tsdb create-blocks-from openmetrics`, Prometheus
 * text (ms) for VictoriaMetrics's /api/v1/import/prometheus, CSV/NDJSON long tables.
 * One snapshot loaded at a time; the two text formats group each family, so they hold the
 * output until the end. Trend gauges are left out: they judge a window, not one capture. */
import fs from 'node:fs';
import { exportSpec, type Format } from '../specs/export.js';
import { UsageError } from '../../errors.js';
import type { FamilySamples } from '../../model/metrics.js';
import type { SnapshotMeta } from '../../model/snapshot.js';
import { collectFamilies } from '../../render/metric-samples.js';
import { renderFamily, type ExpositionFormat } from '../../render/openmetrics.js';
import { csvHeader, csvRows, ndjsonRows } from '../../render/metrics-table.js';
import type { SnapshotStore } from '../../store/store.js';
import { loadSnapshot, openStore, reportFor, type GlobalArgs } from '../context.js';
import type { Io } from '../io.js';

interface Args extends GlobalArgs {
  format: Format;
  target?: string;
  since?: string;
  output?: string;
}

export function exportCommand(io: Io) {
  return {
    ...exportSpec,
    handler: (args: Args) => {
      const store = openStore(args, io);
      const metas = pickSnapshots(store, args.target, args.since);
      const out = args.output ? fs.createWriteStream(args.output) : io.stdout;
      const text = exportText(store, metas, args.format, (chunk) => out.write(chunk));
      if (args.output) return new Promise<void>((resolve, reject) => {
        const fail = (e: Error) => reject(new UsageError(`cannot write ${args.output}: ${e.message}`));
        (out as fs.WriteStream).on('error', fail);
        out.end(text, (e?: Error | null) => (e ? fail(e) : resolve()));
      });
      out.write(text);
    },
  };
}

function pickSnapshots(store: SnapshotStore, target?: string, since?: string): SnapshotMeta[] {
  let metas = store.list();
  if (metas.length === 0) store.resolve('latest'); // throws: no snapshots yet, with how to make one
  if (since !== undefined) {
    const name = store.resolve(since);
    const from = metas.findIndex((m) => m.name === name);
    metas = metas.slice(from);
  }
  if (target !== undefined) {
    const all = new Set(metas.map((m) => m.target));
    metas = metas.filter((m) => m.target === target);
    if (metas.length === 0) throw new UsageError(`no captures of target ${JSON.stringify(target)}${since ? ` from ${since} on` : ''}; the store has ${[...all].join(', ') || 'none'}`);
  }
  return metas;
}

/** Streams CSV/NDJSON rows through `write`; returns the text formats (and the CSV header's rest) to write last. */
export function exportText(store: SnapshotStore, metas: SnapshotMeta[], format: Format, write: (chunk: string) => void): string {
  const byFamily = new Map<string, FamilySamples>();
  if (format === 'csv') write(csvHeader());
  for (const meta of metas) {
    const loaded = loadSnapshot(store, meta.name);
    const at = Date.parse(meta.capturedAt);
    const families = collectFamilies({
      target: meta.target, timestampMs: at,
      probe: { ok: true, seconds: null, capturedAtMs: at },
      capture: { report: reportFor(loaded), parsed: loaded.parsed },
    });
    if (format === 'csv') write(csvRows(families, meta.name, meta.capturedAt));
    else if (format === 'ndjson') write(ndjsonRows(families, meta.name, meta.capturedAt));
    else for (const f of families) {
      const acc = byFamily.get(f.family.name);
      if (acc) for (const x of f.samples) acc.samples.push(x);
      else byFamily.set(f.family.name, { family: f.family, samples: [...f.samples] });
    }
  }
  if (format === 'csv' || format === 'ndjson') return '';
  const fmt: ExpositionFormat = format;
  return [...byFamily.values()].map((f) => renderFamily(f, fmt)).join('') + (fmt === 'openmetrics' ? '# EOF\n' : '');
}
