/*! `mapsdiff capture TARGET... [--pid N] [--process NAME] [--all]`: collect, parse, store
 * one snapshot per target. `local` is this machine's /proc. A target that fails is
 * reported and counted; the others are still stored. */
import { captureSpec } from '../specs/capture.js';
import { CaptureError, EXIT, MapsdiffError } from '../../errors.js';
import { openStore, type GlobalArgs } from '../context.js';
import { parseCount, parseHexAddress, selectionFrom } from '../options.js';
import { captureOne, selectionFor } from '../capture-one.js';
import { openSources, type OnProgress, type SourceArgs } from '../sources.js';
import { describeOrigin } from '../../render/target-origin.js';
import type { Io } from '../io.js';
import { escapeForTerminal as esc, toJson } from '../../render/escape.js';
import { describeExit } from '../../collect/remote-stream.js';

interface Args extends GlobalArgs, SourceArgs {
  targets: string[];
  pid?: number | number[];
  process?: string | string[];
  all?: boolean;
  smaps?: boolean;
  cmdline?: boolean;
  name?: string;
  ceiling?: string;
  lenient?: boolean;
  concurrency?: unknown;
  json?: boolean;
}

export function captureCommand(io: Io, setExit: (code: number) => void) {
  return {
    ...captureSpec,
    handler: async (args: Args) => {
      const store = openStore(args, io);
      if (args.name && args.targets.length > 1) throw new CaptureError('--name names one snapshot; capture one target at a time with --name, or drop it');
      const concurrency = parseCount(args.concurrency ?? 4, '--concurrency', 1, 'targets captured at once');
      const ceiling = args.ceiling ? parseHexAddress(args.ceiling, '--ceiling') : undefined;
      // several targets: a progress line per target on stderr as each gets going
      const progress = args.targets.length > 1 ? progressLines(io) : undefined;
      const sources = await openSources(args.targets, args, io, progress);
      const explicit = selectionFrom(args, false);
      const stored: { target: string; name: string; processes: number; skipped: string[]; unmatched: string[] }[] = [];
      const failures: { target: string; error: string; exitCode: number }[] = [];
      let failed = 0;
      await runBounded(sources, concurrency, async (s) => {
        try {
          const saved = await captureOne(store, s, selectionFor(s, explicit, args), { name: args.name, lenient: args.lenient, ceiling }, io.signal);
          stored.push({ target: s.source.target, name: saved.name, processes: saved.processes, skipped: saved.skipped, unmatched: saved.unmatched });
          if (!args.json) io.stdout.write(sources.length > 1 ? `${esc(s.source.target)}: ${saved.name} (${saved.processes} process(es))\n` : `${saved.name}\n`);
          if (saved.unmatched.length) {
            io.stderr.write(`mapsdiff: warning: ${esc(s.source.target)}: no process matched --process ${saved.unmatched.map((n) => esc(JSON.stringify(n))).join(', ')}; the others were captured\n`);
          }
          if (saved.skipped.length) io.stderr.write(`${esc(s.source.target)}: --lenient skipped ${saved.skipped.length} line(s)\n`);
          const exit = saved.snapshot.meta.remoteExit;
          if (exit && exit.code !== 0) {
            io.stderr.write(`mapsdiff: ${esc(s.source.target)}: warning: the capture was complete and is stored as ${saved.name}, but the remote shell ended with ${describeExit(exit)}\n`);
          }
        } catch (err) {
          if (!(err instanceof MapsdiffError) || sources.length === 1) throw err;
          failed++;
          failures.push({ target: s.source.target, error: err.message, exitCode: err.exitCode });
          setExit(err.exitCode === EXIT.USAGE ? EXIT.USAGE : EXIT.CAPTURE);
          io.stderr.write(`mapsdiff: ${esc(s.source.target)}: ${err.message}\n`);
        }
      });
      if (args.json) io.stdout.write(toJson({ snapshots: stored, failed: failures }, 2) + '\n');
      if (failed) io.stderr.write(`mapsdiff: ${failed} of ${sources.length} target(s) failed; the others were stored\n`);
    },
  };
}

/** One line per target and stage (receiving: once, then its total when stored). */
function progressLines(io: Io): OnProgress {
  const last = new Map<string, string>();
  return (target, p, origin) => {
    if (last.get(target) === p.stage) return;
    last.set(target, p.stage);
    // connecting: also where a name was found (a target file, a Host alias and its line); an address is as typed
    const connecting = origin && origin.kind !== 'address' ? `connecting (${esc(describeOrigin(origin))})` : 'connecting';
    io.stderr.write(`${esc(target)}: ${p.stage === 'connecting' ? connecting : p.stage === 'running' ? 'logged in, capturing' : 'receiving'}\n`);
  };
}

async function runBounded<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
