/*! Boots the real 32-bit board of ../shared/board under qemu for end-to-end tests:
 * builds it when its cache is missing, boots on a free loopback port, stops it after.
 * A missing board or failed boot fails the test with the reason; it is never skipped. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers.js';

const run = promisify(execFile);

export interface Board {
  arch: string;
  port: number;
  /** Client key that logs in as root. */
  key: string;
  /** known_hosts pinning the board's host key for [127.0.0.1]:* */
  knownHosts: string;
  /** Runs a command on the board with the OpenSSH client (for test setup only). */
  ssh(command: string, input?: Buffer): Promise<string>;
  /** This boot's serial console log. */
  serialLog: string;
  stop(): Promise<void>;
}

export const boardDir = path.join(repoRoot, '..', 'shared', 'board');
export const boardCache = (): string => process.env.BOARD_CACHE ?? path.join(os.homedir(), '.cache', 'mapsdiff-board');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Cross-compiles a workload of test/board/workloads for the board, copies it there, and starts it; returns its pid. */
export async function startWorkload(board: Board, name: string, args: string[]): Promise<number> {
  const cc = board.arch === 'armhf' ? 'arm-linux-gnueabihf-gcc' : 'mipsel-linux-gnu-gcc';
  const out = path.join(os.tmpdir(), `mapsdiff-${name}-${board.arch}-${process.pid}`);
  await run(cc, ['-O2', '-o', out, path.join(repoRoot, 'test', 'board', 'workloads', `${name}.c`)]);
  await board.ssh(`cat > /tmp/${name} && chmod +x /tmp/${name}`, fs.readFileSync(out));
  fs.rmSync(out, { force: true });
  const pid = (await board.ssh(`cd /tmp && ./${name} ${args.join(' ')} </dev/null >/dev/null 2>&1 & echo $!`)).trim();
  if (!/^\d+$/.test(pid)) throw new Error(`${name} did not start on the board: ${pid}`);
  return Number(pid);
}

export async function bootBoard(arch: 'armhf' | 'mipsel', env: NodeJS.ProcessEnv = {}): Promise<Board> {
  if (!fs.existsSync(path.join(boardDir, 'boot.sh'))) {
    throw new Error(`the qemu board is not at ${boardDir} (expected ../shared/board beside the repository)`);
  }
  const cache = path.join(boardCache(), arch);
  const fullEnv = { ...process.env, ...env };
  // test files boot boards at once: one builds under the lock, the others wait on it and find
  // board.env written (two builds at once shared one staging tree: one was left marked done with
  // half its packages unpacked, and every later build failed on its missing bin/busybox)
  fs.mkdirSync(cache, { recursive: true });
  await run('flock', [path.join(cache, '.build.lock'), 'sh', '-c', '[ -e "$1/board.env" ] || exec bash "$2" "$3"', 'sh', cache, path.join(boardDir, 'build.sh'), arch],
    { env: fullEnv, maxBuffer: 64 << 20 });
  // each boot gets its own run directory (pidfile, serial log): several boards of one arch can
  // then run at once (test files in parallel), and stop.sh stops exactly the one this call booted
  const own = fs.mkdtempSync(path.join(os.tmpdir(), `mapsdiff-board-${arch}-`));
  fs.mkdirSync(path.join(own, arch));
  fs.copyFileSync(path.join(cache, 'board.env'), path.join(own, arch, 'board.env'));
  const bootEnv = { ...fullEnv, BOARD_CACHE: own };
  const port = await freePort();
  try {
    await run('bash', [path.join(boardDir, 'boot.sh'), arch, String(port)], { env: bootEnv, timeout: 180_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    await run('bash', [path.join(boardDir, 'stop.sh'), arch], { env: bootEnv }).catch(() => undefined);
    fs.rmSync(own, { recursive: true, force: true });
    throw new Error(`board ${arch} did not boot: ${e.stderr || e.message}`);
  }
  const key = path.join(cache, 'id_ed25519');
  const knownHosts = path.join(cache, 'known_hosts');
  return {
    arch,
    port,
    key,
    knownHosts,
    ssh: (command: string, input?: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('ssh', ['-i', key, '-p', String(port), '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
          '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', 'root@127.0.0.1', command], { timeout: 30_000, encoding: 'utf8' },
        (err, stdout, stderr) => (err ? reject(new Error(`board ssh ${command}: ${stderr || err.message}`)) : resolve(stdout)));
        child.stdin!.end(input ?? '');
      }),
    serialLog: path.join(own, arch, 'run', 'serial.log'),
    stop: async () => {
      await run('bash', [path.join(boardDir, 'stop.sh'), arch], { env: bootEnv });
      fs.rmSync(own, { recursive: true, force: true });
    },
  };
}
