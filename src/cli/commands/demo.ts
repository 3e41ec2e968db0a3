/*! `mapsdiff demo`: the main job on this machine with no board at hand. Starts a small
 * process that allocates, captures it twice from /proc, and compares the two captures. */
import { spawn } from 'node:child_process';
import type { Argv } from 'yargs';
import { CaptureError } from '../../errors.js';
import { LocalSource } from '../../collect/local.js';
import { openStore, paintFor, type GlobalArgs } from '../context.js';
import { saveCapture } from '../save.js';
import { runCompare } from './compare.js';
import type { Io } from '../io.js';

// keeps 1 MiB buffers (malloc -> anonymous mmap) and 64 KiB ones (heap/arena), never frees
const ALLOCATOR = `
const keep = [];
process.stdout.write('ready\\n');
setInterval(() => { const b = Buffer.alloc(1 << 20, 1); keep.push(b);
  for (let i = 0; i < 16; i++) keep.push(Buffer.alloc(4096, 2)); }, 50);
setTimeout(() => process.exit(0), 60000);
`;

export function demoCommand(io: Io, _setExit: (code: number) => void) {
  return {
    command: 'demo',
    describe: 'start a process that allocates, capture it twice from /proc, compare',
    builder: (y: Argv) => y.option('wait', { type: 'number', default: 2, describe: 'seconds between the two captures' }),
    handler: async (args: GlobalArgs & { wait: number }) => {
      const store = openStore(args, io);
      const child = spawn(process.execPath, ['-e', ALLOCATOR], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout!.once('data', () => resolve());
          child.once('error', (e) => reject(new CaptureError(`could not start the demo process: ${e.message}`)));
          child.once('exit', (c) => reject(new CaptureError(`the demo process exited early (code ${c})`)));
        });
        const pid = child.pid!;
        io.stdout.write(`demo: started pid ${pid}, which keeps allocating 1 MiB blocks every 50 ms\n`);
        const sel = { pids: [pid], names: [], all: false, smaps: true };
        const snap = async () =>
          saveCapture(store, { raw: await new LocalSource().collect(sel), target: 'local', via: 'local', source: `capture of pid ${pid}` }).name;
        const a = await snap();
        io.stdout.write(`demo: captured ${a}; waiting ${args.wait} s\n`);
        await new Promise((r) => setTimeout(r, Math.max(0, args.wait) * 1000));
        const b = await snap();
        io.stdout.write(`demo: captured ${b} (store ${store.dir}); 'mapsdiff compare ${a} ${b}' shows it again\n\n`);
        runCompare(store, io, paintFor(args, io), { a, b, pids: [pid] });
      } finally {
        child.kill();
      }
    },
  };
}
