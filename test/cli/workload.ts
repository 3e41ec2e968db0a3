/*! A real process on this machine whose memory the test steers: each `grow` line on
 * its stdin makes it allocate (64 KiB blocks -> [heap] by brk; 1 MiB -> a new anonymous
 * mmap) and answer `ok` once done; `map N` maps N MiB of private anonymous memory and
 * `unmap` unmaps all of it (a sawtooth); anything else only answers. python3, like a
 * small board process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

const SCRIPT = `
import mmap, sys
keep = []
maps = []
print('ready', flush=True)
for line in sys.stdin:
    cmd = line.split()
    if cmd and cmd[0] == 'heap':
        for _ in range(int(cmd[1])): keep.append(bytearray(64 * 1024))
    elif cmd and cmd[0] == 'mmap':
        for _ in range(int(cmd[1])): keep.append(bytearray(1024 * 1024))
    elif cmd and cmd[0] == 'map':
        maps.append(mmap.mmap(-1, int(cmd[1]) * 1024 * 1024, flags=mmap.MAP_PRIVATE))
    elif cmd and cmd[0] == 'unmap':
        for m in maps: m.close()
        maps.clear()
    print('ok', flush=True)
`;

export interface Workload {
  pid: number;
  /** Sends one command (`heap N`, `mmap N`, `map N`, `unmap`, or anything to be answered) and waits until it is done. */
  send(cmd: string): Promise<void>;
  stop(): void;
}

export async function startWorkload(argv0 = 'python3'): Promise<Workload> {
  const child: ChildProcess = spawn('python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'], argv0 });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, 'exit').then(() => ({ value: undefined, done: true })); // one listener, not one per line
  const next = async () => {
    const r = await Promise.race([lines.next(), exited]);
    if (r.done) throw new Error('the python3 workload exited');
    return r.value as string;
  };
  if ((await next()) !== 'ready') throw new Error('the python3 workload did not start');
  return {
    pid: child.pid!,
    send: async (cmd) => {
      child.stdin!.write(cmd + '\n');
      if ((await next()) !== 'ok') throw new Error(`workload: no ok for ${cmd}`);
    },
    stop: () => child.kill(),
  };
}
