/*! `npm run bench`, board part: `capture --all` on the qemu armhf board (booted here) against a
 * bare `ssh board 'cat /proc/[0-9]*\/maps'` (OpenSSH), in wall time and in board CPU, paired: each
 * round runs the bare cat, the capture, and the capture's script once, in turn, and the ratios are
 * taken within a round (the host's load moves between rounds, and under qemu it moves the board's
 * clock too). Medians and the spread (min-max) over the rounds are printed.
 * Wall: the real SSH capture (SshSource, in this process) against the OpenSSH client.
 * Board CPU, two figures, each read by the remote shell itself after the work:
 * - the remote shell's own utime+stime plus its reaped children's (cutime+cstime: fields 14-17 of
 *   /proc/$$/stat). These are clock ticks of USER_HZ = 100 (10 ms; the kernel runs at HZ 250) that
 *   the kernel scales to the task's exact runtime (cputime_adjust), each field truncated: a run's
 *   figure is low by up to 4 ticks, so the sum over all rounds is printed with the medians.
 *   The shell's start-up is in it, for the bare cat (`sh -c`) as for the script, which runs as
 *   a capture does (`exec sh -s`: the same process, so the session around it is a capture's).
 * - the whole board's task run time over the command (the rq_cpu_time field of /proc/schedstat,
 *   in ns: every task, the SSH server's encryption of the output included), from just before the
 *   command to just after it, inside the same shell.
 * The bare cat and the script read these the same way, so both carry the same cost of the reading.
 * - the emulator's own CPU time on this host over the whole ssh run (the run time of every thread of
 *   the board's qemu, /proc/QEMU/task/T/schedstat, ns), SSH handshake included: a guest clock
 *   runs on while the host leaves qemu's vCPU thread waiting, so under the host's load both figures
 *   above grow with it; this one counts only what qemu ran (the guest idles in WFI, no CPU).
 * BENCH_BOARD_PROCS=N starts N more processes on the board first (`sleep`, each its own), so the
 * per-process part of the script weighs as on a board with that many more daemons.
 * BENCH_SCRIPT_B=REV (a git revision) adds the script as it was at REV (bench/script-at.ts) to
 * every round, run beside this tree's in turn (the order swapped every round), and prints this
 * tree's script against it, paired per round: wall of the script run, shell ticks, board run time.
 * BENCH_BOARD_STAGES=1 adds two runs to every round (bench/board-stages.ts): the script with the
 * board's run time read before each of its stages (printed per stage, medians), and the script
 * reading only each process's maps in its one cat, against the bare cat (ticks, board run time). */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SshSource } from '../src/collect/ssh.js';
import { buildRemoteScript, newBoundary, REMOTE_COMMAND } from '../src/collect/remote-script.js';
import type { Selection } from '../src/collect/source.js';
import { bootBoard, type Board } from '../test/board/board.js';
import { median, ms } from './measure.js';
import { scriptBuilderAt } from './script-at.js';
import { mapsOnlyScript, stagedScript, STAGE_NAMES, stageTimes } from './board-stages.js';

const ALL: Selection = { pids: [], names: [], all: true, smaps: false };
/** The third line of /proc/schedstat (`cpu0 ...`; the board has one CPU), read by the shell. */
const SCHED = (v: string) => `{ read -r a; read -r a; read -r ${v}; } </proc/schedstat`;
const AFTER = `${SCHED('c1')}; read -r s </proc/$$/stat; echo "$c0" >&2; echo "$c1" >&2; echo "$s" >&2`;

interface Run { ms: number; ticks: number; boardNs: number; hostNs: number; bytes: number; stderr: string }

/** The run time so far of every thread of the process `pid` (ns; a thread that ended is not counted). */
function threadsNs(pid: number): number {
  let ns = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { /* the thread ended */ }
  }
  return ns;
}
/** The board's qemu: boot.sh writes its pid beside the serial log. */
const qemuPid = (board: Board) => Number(fs.readFileSync(path.join(path.dirname(board.serialLog), 'qemu.pid'), 'utf8'));

/** One OpenSSH run on the board: `command` run by the login shell, or (`script`) the capture's own
 * REMOTE_COMMAND with the script on its stdin, the readings before and after it; its wall time,
 * the shell's CPU ticks, the board's run time. */
function sshRun(board: Board, command: string, script?: string): Run {
  const qemu = qemuPid(board);
  const h0 = threadsNs(qemu);
  const t = performance.now();
  const remote = script === undefined ? `${SCHED('c0')}; ${command}; ${AFTER}` : REMOTE_COMMAND;
  const input = script === undefined ? '' : `${SCHED('c0')}\n${script}\n${AFTER}\n`;
  const r = spawnSync('ssh', ['-i', board.key, '-p', String(board.port), '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${board.knownHosts}`,
    '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', 'root@127.0.0.1', remote], { input, maxBuffer: 64 << 20 });
  const wall = performance.now() - t;
  const hostNs = threadsNs(qemu) - h0;
  if (r.status !== 0) throw new Error(`board ssh ${command} exited ${r.status}: ${r.stderr}`);
  const lines = r.stderr.toString('latin1').trim().split('\n');
  const stat = lines.at(-1) ?? '';
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0); // utime stime cutime cstime (fields 14-17)
  const cpuTime = (l: string | undefined) => Number(l?.split(' ')[7]); // cpu0 yld_count 0 sched_count sched_goidle ttwu_count ttwu_local rq_cpu_time
  const boardNs = cpuTime(lines.at(-2)) - cpuTime(lines.at(-3));
  if (!Number.isFinite(ticks) || !Number.isFinite(boardNs)) throw new Error(`board ssh: no /proc/$$/stat or /proc/schedstat line: ${lines.slice(-3).join(' | ')}`);
  return { ms: wall, ticks, boardNs, hostNs, bytes: r.stdout.length, stderr: r.stderr.toString('latin1') };
}

const spread = (xs: number[], f: (v: number) => string) => `${f(median(xs))} (${f(xs.reduce((a, b) => Math.min(a, b)))}-${f(xs.reduce((a, b) => Math.max(a, b)))})`;
const x = (v: number) => `${v.toFixed(2)}x`;

export async function benchBoardCapture(rounds = 8, revB = process.env.BENCH_SCRIPT_B): Promise<void> {
  const buildB = revB === undefined || revB === '' ? undefined : await scriptBuilderAt(revB);
  let board: Board;
  try {
    board = await bootBoard('armhf');
  } catch (err) {
    console.log(`board capture: not run (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  try {
    const source = () => new SshSource('board', { host: '127.0.0.1', port: board.port, user: 'root', identityFiles: [board.key] }, { knownHostsFiles: [board.knownHosts] });
    const extra = Number(process.env.BENCH_BOARD_PROCS ?? 0);
    if (!Number.isSafeInteger(extra) || extra < 0) throw new Error(`BENCH_BOARD_PROCS=${process.env.BENCH_BOARD_PROCS}: a whole number of processes to start`);
    if (extra > 0) await board.ssh(`i=0; while [ $i -lt ${extra} ]; do sleep 100000 </dev/null >/dev/null 2>&1 & i=$((i+1)); done`);
    await source().collect(ALL); // warm: the board's page cache, dropbear's first fork
    const load0 = os.loadavg()[0]!;
    const bare: Run[] = []; const script: Run[] = []; const capture: number[] = []; const scriptB: Run[] = [];
    const stages = process.env.BENCH_BOARD_STAGES === '1';
    const staged: Run[] = []; const mapsOnly: Run[] = [];
    let processes = 0;
    for (let i = 0; i < rounds; i++) {
      bare.push(sshRun(board, 'cat /proc/[0-9]*/maps'));
      const t = performance.now();
      const raw = await source().collect(ALL);
      capture.push(performance.now() - t);
      processes = raw.sections.filter((s) => s.name === 'maps').length;
      if (buildB === undefined) script.push(sshRun(board, '', buildRemoteScript(ALL, newBoundary())));
      else if (i % 2 === 0) { script.push(sshRun(board, '', buildRemoteScript(ALL, newBoundary()))); scriptB.push(sshRun(board, '', buildB(ALL, newBoundary()))); }
      else { scriptB.push(sshRun(board, '', buildB(ALL, newBoundary()))); script.push(sshRun(board, '', buildRemoteScript(ALL, newBoundary()))); }
      if (stages) {
        staged.push(sshRun(board, '', stagedScript(buildRemoteScript(ALL, newBoundary()))));
        mapsOnly.push(sshRun(board, '', mapsOnlyScript(buildRemoteScript(ALL, newBoundary()))));
      }
    }
    const per = (f: (b: Run, s: Run, i: number) => number) => bare.map((b, i) => f(b, script[i]!, i));
    const ticks = (rs: Run[]) => rs.reduce((n, r) => n + r.ticks, 0);
    console.log(`board capture --all (armhf qemu, ${processes} processes; ${rounds} paired rounds, host load ${load0.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)}), median (min-max):\n` +
      `  wall: capture ${spread(capture, ms)} vs bare ssh cat of every maps (${bare[0]!.bytes} bytes) ${spread(bare.map((b) => b.ms), ms)}: ${spread(per((b, _s, i) => capture[i]! / b.ms), x)}\n` +
      `  remote shell CPU (USER_HZ 100 ticks, 10 ms each): script ${spread(script.map((r) => r.ticks), String)} vs bare ${spread(bare.map((r) => r.ticks), String)} ticks: ${spread(per((b, s) => s.ticks / b.ticks), x)}; summed ${ticks(script)} vs ${ticks(bare)}: ${x(ticks(script) / ticks(bare))}\n` +
      `  whole board's run time over the command (/proc/schedstat, ns): script ${spread(script.map((r) => r.boardNs / 1e6), ms)} vs bare ${spread(bare.map((r) => r.boardNs / 1e6), ms)}: ${spread(per((b, s) => s.boardNs / b.boardNs), x)}; script output ${script[0]!.bytes} bytes\n` +
      `  qemu's CPU on this host over the ssh run (handshake included): script ${spread(script.map((r) => r.hostNs / 1e6), ms)} vs bare ${spread(bare.map((r) => r.hostNs / 1e6), ms)}: ${spread(per((b, s) => s.hostNs / b.hostNs), x)}`);
    if (stages) {
      const times = staged.map((r) => stageTimes(r.stderr) ?? new Map<string, number>());
      const perStage = STAGE_NAMES.map((n) => `${n} ${ms(median(times.map((t) => t.get(n) ?? 0)))}`).join(', ');
      console.log(`  stages of the script (the whole board's run time before each, medians over the rounds): ${perStage}; the staged run in all ${spread(staged.map((r) => r.boardNs / 1e6), ms)}\n` +
        `  the script reading only each process's maps in its one cat: ticks ${spread(mapsOnly.map((r) => r.ticks), String)} vs bare ${spread(per((b, _s, i) => mapsOnly[i]!.ticks / b.ticks), x)} (summed ${x(ticks(mapsOnly) / ticks(bare))}), ` +
        `board run time ${spread(mapsOnly.map((r) => r.boardNs / 1e6), ms)} vs bare ${spread(per((b, _s, i) => mapsOnly[i]!.boardNs / b.boardNs), x)}, output ${mapsOnly[0]!.bytes} bytes`);
    }
    if (buildB !== undefined) {
      const vsB = (f: (r: Run) => number) => spread(script.map((s, i) => f(s) / f(scriptB[i]!)), x);
      console.log(`  the script at ${revB}, same rounds: ticks ${spread(scriptB.map((r) => r.ticks), String)} (vs bare ${spread(per((b, _s, i) => scriptB[i]!.ticks / b.ticks), x)}; summed ${ticks(scriptB)}), ` +
        `board run time ${spread(scriptB.map((r) => r.boardNs / 1e6), ms)} (vs bare ${spread(per((b, _s, i) => scriptB[i]!.boardNs / b.boardNs), x)}), ` +
        `qemu's CPU ${spread(scriptB.map((r) => r.hostNs / 1e6), ms)} (vs bare ${spread(per((b, _s, i) => scriptB[i]!.hostNs / b.hostNs), x)}), wall ${spread(scriptB.map((r) => r.ms), ms)}, output ${scriptB[0]!.bytes} bytes\n` +
        `  this tree's script / the script at ${revB}, paired: wall ${vsB((r) => r.ms)}, ticks ${vsB((r) => r.ticks)} (summed ${x(ticks(script) / ticks(scriptB))}), board run time ${vsB((r) => r.boardNs)}, qemu's CPU ${vsB((r) => r.hostNs)} (${spread(script.map((s, i) => (s.hostNs - scriptB[i]!.hostNs) / 1e6), ms)} more); this tree's script wall ${spread(script.map((r) => r.ms), ms)}`);
    }
  } finally {
    await board.stop();
  }
}
