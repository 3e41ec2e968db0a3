/*! `npm run bench`, board part: `capture --all` on the qemu armhf board (booted here) against a
 * bare `ssh board 'cat /proc/[0-9]*\/maps'` (OpenSSH), in wall time and in board CPU. Wall: the
 * real SSH capture (SshSource, in this process) against the OpenSSH client, best of the runs.
 * Board CPU: the remote shell's own utime+stime plus its children's (cutime+cstime, fields
 * 14-17 of /proc/$$/stat, in clock ticks), read after the work by the shell that ran it: the
 * bare cat, and the capture script (buildRemoteScript --all, fed to `sh -s` as the capture
 * does), summed over the runs. The SSH server's own CPU (crypto, channel) is in neither. */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { SshSource } from '../src/collect/ssh.js';
import { buildRemoteScript, newBoundary } from '../src/collect/remote-script.js';
import type { Selection } from '../src/collect/source.js';
import { bootBoard, type Board } from '../test/board/board.js';
import { ms, ratio } from './measure.js';

const ALL: Selection = { pids: [], names: [], all: true, smaps: false };
const STAT = 'read -r s </proc/$$/stat; echo "$s" >&2';

/** One OpenSSH run of `command` on the board (stdin `input`); its wall time and the shell's CPU ticks. */
function sshRun(board: Board, command: string, input = ''): { ms: number; ticks: number; bytes: number } {
  const t = performance.now();
  const r = spawnSync('ssh', ['-i', board.key, '-p', String(board.port), '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${board.knownHosts}`,
    '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', 'root@127.0.0.1', command], { input, maxBuffer: 64 << 20 });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`board ssh ${command} exited ${r.status}: ${r.stderr}`);
  const line = r.stderr.toString('latin1').trim().split('\n').pop() ?? '';
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0); // utime stime cutime cstime (fields 14-17)
  if (!Number.isFinite(ticks)) throw new Error(`board ssh: no /proc/$$/stat line: ${line}`);
  return { ms: wall, ticks, bytes: r.stdout.length };
}

export async function benchBoardCapture(runs = 3): Promise<void> {
  let board: Board;
  try {
    board = await bootBoard('armhf');
  } catch (err) {
    console.log(`board capture: not run (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  try {
    const source = () => new SshSource('board', { host: '127.0.0.1', port: board.port, user: 'root', identityFiles: [board.key] }, { knownHostsFiles: [board.knownHosts] });
    await source().collect(ALL); // warm: the board's page cache, dropbear's first fork
    let bareMs = Infinity; let bareTicks = 0; let captureMs = Infinity; let scriptTicks = 0; let bytes = 0; let processes = 0;
    for (let i = 0; i < runs; i++) {
      const bare = sshRun(board, `cat /proc/[0-9]*/maps; ${STAT}`);
      bareMs = Math.min(bareMs, bare.ms);
      bareTicks += bare.ticks;
      bytes = bare.bytes;
      const t = performance.now();
      const raw = await source().collect(ALL);
      captureMs = Math.min(captureMs, performance.now() - t);
      processes = raw.sections.filter((s) => s.name === 'maps').length;
      scriptTicks += sshRun(board, `sh -s; ${STAT}`, buildRemoteScript(ALL, newBoundary())).ticks;
    }
    console.log(`board capture --all (armhf qemu, ${processes} processes): ${ms(captureMs)} vs bare ssh cat of every maps (${bytes} bytes) ${ms(bareMs)}: ${ratio(captureMs, bareMs)}; ` +
      `board CPU of the remote shell ${scriptTicks} vs ${bareTicks} ticks over ${runs} runs: ${ratio(scriptTicks, bareTicks)}`);
  } finally {
    await board.stop();
  }
}
