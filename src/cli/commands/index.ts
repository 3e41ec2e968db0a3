/*! The command table. Each command lives in its own file and stays thin: resolve,
 * collect or load, analyze, render, write. */
import type { Argv, CommandModule } from 'yargs';
import type { Io } from '../io.js';
import { EXAMPLES } from '../examples.js';
import { captureCommand } from './capture.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { listCommand } from './list.js';
import { rmCommand } from './rm.js';
import { scriptCommand } from './script.js';
import { showCommand } from './show.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { trendCommand } from './trend.js';
import { watchCommand } from './watch.js';

export function registerCommands(y: Argv, io: Io, setExit: (code: number) => void): void {
  for (const c of commandModules(io, setExit)) {
    const name = c.command.split(' ')[0]!;
    const examples = EXAMPLES[name] ?? [];
    const builder = c.builder as (y: Argv) => Argv;
    y.command({ ...c, builder: (yy: Argv) => examples.reduce((acc, [cmd, what]) => acc.example(cmd, what), builder(yy)) } as unknown as CommandModule);
  }
}

/** The command modules, for yargs and for shell completion (which reads their builders). */
export function commandModules(io: Io, setExit: (code: number) => void) {
  return [
    demoCommand(io, setExit),
    captureCommand(io, setExit),
    compareCommand(io, setExit),
    importCommand(io),
    listCommand(io),
    showCommand(io),
    rmCommand(io),
    scriptCommand(io),
    reportCommand(io),
    trendCommand(io, setExit),
    watchCommand(io, setExit),
    serveCommand(io),
    exportCommand(io),
  ];
}
