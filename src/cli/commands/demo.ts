/*! `mapsdiff demo`: the main job on this machine with no board at hand. Starts a small
 * process that allocates, captures it twice from /proc, and compares the two captures. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { demoSpec } from '../specs/demo.js';
import { CaptureError } from '../../errors.js';
import { parseSeconds } from '../options.js';
import { LocalSource } from '../../collect/local.js';
import { openStore, paintFor, type GlobalArgs } from '../context.js';
import { captureOne } from '../capture-one.js';
import { runCompare } from './compare.js';
import type { Io } from '../io.js';

// The demo workload mirrors the board's leaker: 64 KiB blocks every tick (malloc below
// the mmap threshold: [heap] grows by brk) and 1 MiB every 5th tick (a new anonymous mmap).
// python3 when the machine has it (a small address space, like a board process), else node.
const PYTHON = `
import sys, time
keep = []
print('ready', flush=True)
for tick in range(1, 1200):
    keep.append(bytearray(64 * 1024))
    if tick % 5 == 0:
        keep.append(bytearray(1024 * 1024))
    time.sleep(0.05)
`;
const NODE = `
const keep = []; let tick = 0;
process.stdout.write('ready\\n');
setInterval(() => { tick++; keep.push(Buffer.alloc(64 * 1024, 1)); if (tick % 5 === 0) keep.push(Buffer.alloc(1 << 20, 2)); }, 50);
setTimeout(() => process.exit(0), 60000);
`;

function startWorkload(): ChildProcess {
  const python = spawnSync('python3', ['-c', 'pass'], { stdio: 'ignore' }).status === 0;
  return python
    ? spawn('python3', ['-c', PYTHON], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, ['-e', NODE], { stdio: ['ignore', 'pipe', 'inherit'] });
}

export function demoCommand(io: Io, _setExit: (code: number) => void) {
  return {
    ...demoSpec,
    handler: async (args: GlobalArgs & { wait: unknown }) => {
      const wait = parseSeconds(args.wait, '--wait');
      const store = openStore(args, io);
      const child = startWorkload();
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout!.once('data', () => resolve());
          child.once('error', (e) => reject(new CaptureError(`could not start the demo process: ${e.message}`)));
          child.once('exit', (c) => reject(new CaptureError(`the demo process exited early (code ${c})`)));
        });
        const pid = child.pid!;
        io.stdout.write(`demo: started pid ${pid}, which allocates 64 KiB every 50 ms and 1 MiB every 250 ms, never freeing\n`);
        const sel = { pids: [pid], names: [], all: false, smaps: true };
        const local = { source: new LocalSource(), via: 'local' as const };
        const snap = async () => (await captureOne(store, local, sel, {}, io.signal)).name; // as `capture local` does
        const a = await snap();
        io.stdout.write(`demo: captured ${a}; waiting ${wait} s\n`);
        await new Promise((r) => setTimeout(r, wait * 1000));
        const b = await snap();
        io.stdout.write(`demo: captured ${b} (store ${store.dir}); 'mapsdiff compare ${a} ${b}' shows it again\n\n`);
        runCompare(store, io, paintFor(args, io), { a, b, pids: [pid], minDelta: 0 });
      } finally {
        child.kill();
      }
    },
  };
}
