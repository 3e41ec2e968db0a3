/*! The board-side cost of each smaps mode (issue 11) for `capture --all` on the armhf qemu
 * board (booted here, WORKLOADS=rsspool): rollup only (the default), full --smaps, and watch's
 * --smaps auto in its steady state (bounds from a full capture a few seconds before, so only
 * the processes that grew since are read in full). For each: the wall time of mapsdiff's own
 * SSH capture (best of 3), the CPU the capture script used on the board (user + system of the
 * remote `sh -s` and its children: cutime + cstime of its parent shell's /proc/PID/stat, in
 * USER_HZ ticks of 10 ms), and the whole board's busy time over the capture (/proc/stat).
 * Best of 3 rounds, the modes interleaved; printed as figures and ratios of rollup, never asserted. */
import { performance } from 'node:perf_hooks';
import { SshSource } from '../src/collect/ssh.js';
import type { Selection } from '../src/collect/source.js';
import { buildRemoteScript, newBoundary } from '../src/collect/remote-script.js';
import { parseCapture } from '../src/parse/index.js';
import { newSmapsAuto, nextSmapsRequest, recordSmapsCapture } from '../src/analyze/smaps-auto.js';
import { bootBoard, type Board } from '../test/board/board.js';
import { ms, ratio } from './measure.js';

const TICK_MS = 10; // USER_HZ is 100 on every Linux ABI

/** Busy and total jiffies of the board's first /proc/stat line. */
async function boardStat(board: Board): Promise<{ busy: number; total: number }> {
  const f = (await board.ssh('head -n 1 /proc/stat')).trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total }; // idle and iowait are not busy
}

/** CPU of the capture script alone: the outer shell's cutime + cstime after waiting for `sh -s`. */
async function scriptCpuMs(board: Board, sel: Selection): Promise<number> {
  const out = await board.ssh(`sh -c 'sh -s >/dev/null; read -r s </proc/$$/stat; echo "$s"'`, Buffer.from(buildRemoteScript(sel, newBoundary())));
  const f = out.slice(out.lastIndexOf(')') + 2).trim().split(/\s+/); // fields from 3 on
  return (Number(f[16 - 3]) + Number(f[17 - 3])) * TICK_MS;
}

export async function benchSmapsCost(): Promise<void> {
  let board: Board;
  try {
    board = await bootBoard('armhf', { WORKLOADS: 'rsspool', LEAK_INTERVAL: '1' });
  } catch (err) {
    console.log(`smaps cost on the board: not run (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  try {
    const source = () => new SshSource('armhf', { host: '127.0.0.1', port: board.port, user: 'root', identityFiles: [board.key] }, { knownHostsFiles: [board.knownHosts] });
    const all = (smaps: boolean): Selection => ({ pids: [], names: [], all: true, smaps });
    // auto's steady state: one full capture recorded, then the next asks only for the grown
    const st = newSmapsAuto(10, 4096);
    const full = await source().collect(all(true));
    const parsed = parseCapture(full, { source: 'bench' });
    recordSmapsCapture(st, parsed.processes);
    await new Promise((r) => setTimeout(r, 3000)); // rsspool touches 3 x 256 KiB more
    const ask = nextSmapsRequest(st);
    if (ask.full) throw new Error('bench: auto asked for a full capture');
    const modes: [string, Selection][] = [['rollup', all(false)], ['full --smaps', all(true)], ['auto', { ...all(false), smapsAbove: ask.above }]];
    // rounds interleave the modes, so each sees the same load on the host (qemu shares its 2 cores)
    const rows = modes.map(([mode]) => ({ mode, wall: Infinity, script: Infinity, busy: Infinity, read: 0 }));
    for (let round = 0; round < 3; round++) {
      for (const [i, [, sel]] of modes.entries()) {
        const row = rows[i]!;
        const a = await boardStat(board);
        const t = performance.now();
        const raw = await source().collect(sel);
        row.wall = Math.min(row.wall, performance.now() - t);
        const b = await boardStat(board);
        row.busy = Math.min(row.busy, (b.busy - a.busy) * TICK_MS);
        row.read = raw.sections.filter((s) => s.name === 'smaps' && s.status === 'ok').length;
        row.script = Math.min(row.script, await scriptCpuMs(board, sel));
      }
    }
    const base = rows[0]!;
    console.log(`smaps cost, capture --all of the armhf board (${parsed.processes.length} processes; best of 3 interleaved rounds):`);
    for (const r of rows) {
      console.log(`  ${r.mode.padEnd(13)} wall ${ms(r.wall)} (${ratio(r.wall, base.wall)})   script CPU on the board ${r.script} ms (${ratio(r.script, base.script)})` +
        `   board busy over the capture ${r.busy} ms (${ratio(r.busy, base.busy)})   full smaps read: ${r.read}`);
    }
  } finally {
    await board.stop();
  }
}
