/*! `mapsdiff export`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/export.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';

export const FORMATS = ['openmetrics', 'prometheus', 'csv', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

export const exportSpec = {
  command: 'export',
  describe: "write the store's history as metrics, each at its capture's time (for promtool backfill, VictoriaMetrics import, DuckDB)",
  builder: (y: Argv) =>
    y
      .option('format', { choices: FORMATS, default: 'openmetrics' as Format, describe: 'openmetrics (seconds, # EOF), prometheus (text, ms), csv or ndjson (one row per sample)' })
      .option('target', { type: 'string', describe: 'only the captures of this target' })
      .option('since', { type: 'string', describe: 'only captures from this snapshot on (by capture time)' })
      .option('output', { alias: 'o', type: 'string', describe: 'write to this file instead of stdout' }),
};
