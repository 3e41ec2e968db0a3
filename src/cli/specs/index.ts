/*! Every command's spec, in the order `mapsdiff --help` lists them: data only (name, describe,
 * options via its builder; the examples are in ../examples.ts), light to import. The handlers
 * behind them are in ../commands/ and are loaded only when their command runs. */
import { demoSpec } from './demo.js';
import { captureSpec } from './capture.js';
import { compareSpec } from './compare.js';
import { importSpec } from './import.js';
import { listSpec } from './list.js';
import { showSpec } from './show.js';
import { rmSpec } from './rm.js';
import { scriptSpec } from './script.js';
import { reportSpec } from './report.js';
import { trendSpec } from './trend.js';
import { watchSpec } from './watch.js';
import { serveSpec } from './serve.js';
import { exportSpec } from './export.js';

export const COMMAND_SPECS = [
  demoSpec,
  captureSpec,
  compareSpec,
  importSpec,
  listSpec,
  showSpec,
  rmSpec,
  scriptSpec,
  reportSpec,
  trendSpec,
  watchSpec,
  serveSpec,
  exportSpec,
];

/** A command's name: the first word of its yargs command string. */
export const commandName = (spec: { command: string }): string => spec.command.split(' ')[0]!;
