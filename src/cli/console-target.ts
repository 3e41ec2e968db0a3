/*! Console targets: `telnet://[user@]host[:port]`, `serial+tcp://[user@]host:port` (a console
 * on a TCP socket: ser2net, a console server, qemu's UART) and `serial:/dev/ttyUSB0?baud=115200`
 * (a local serial port; `user` as `serial:/dev/ttyUSB0?baud=115200&user=root`), typed or as a
 * target file's "console". Where the password comes from when the console asks: MAPSDIFF_PASSWORD,
 * the target file's "passwordCommand" (its stdout), or a no-echo prompt. Never stored. */
import { execFileSync } from 'node:child_process';
import { UsageError } from '../errors.js';
import type { ConsoleAddress } from '../collect/console-link.js';
import type { Login } from '../collect/console-session.js';
import type { Prompter } from '../collect/auth.js';

export interface ConsoleTarget {
  address: ConsoleAddress;
  user?: string;
  /** Where it is, for the snapshot's `from`: `telnet://root@127.0.0.1:23`. */
  from: string;
}

export const isConsoleTarget = (arg: string): boolean => /^(telnet|serial\+tcp):\/\/|^serial:/.test(arg);

const HOST = /^(?:([^@/:?]+)@)?(\[[^\]]+\]|[^:/?@]+)(?::(\d{1,5}))?$/;

export function parseConsoleTarget(arg: string, where = arg): ConsoleTarget {
  const usage = (why: string) => new UsageError(`${where}: ${why}; give telnet://[user@]host[:port], serial+tcp://[user@]host:port or serial:/dev/ttyUSB0?baud=115200 (docs/targets.md)`);
  if (arg.startsWith('serial:') && !arg.startsWith('serial+tcp:')) {
    const [dev, query = ''] = arg.slice('serial:'.length).split('?', 2) as [string, string?];
    if (!dev.startsWith('/')) throw usage(`${JSON.stringify(dev)} is not a device path`);
    const q = new URLSearchParams(query);
    for (const k of q.keys()) if (k !== 'baud' && k !== 'user') throw usage(`unknown setting ${JSON.stringify(k)} (baud and user are known)`);
    const baud = q.has('baud') ? Number(q.get('baud')) : 115200;
    // termios speeds run from B50 to B4000000; Linux takes any rate between them (BOTHER)
    if (!/^[0-9]{2,7}$/.test(q.get('baud') ?? '115200') || baud < 50 || baud > 4_000_000) throw usage(`baud=${q.get('baud')} is not a line speed (a whole number of bit/s, 50 to 4000000, such as 9600 or 115200)`);
    return { address: { kind: 'device', device: dev, baud }, user: q.get('user') ?? undefined, from: `serial:${dev}?baud=${baud}` };
  }
  const m = /^(telnet|serial\+tcp):\/\/(.*)$/.exec(arg);
  const h = m ? HOST.exec(m[2]!) : null;
  if (!m || !h) throw usage('not a console address');
  const telnet = m[1] === 'telnet';
  if (!telnet && !h[3]) throw usage('serial+tcp:// needs a port');
  const port = h[3] ? Number(h[3]) : 23;
  if (port < 1 || port > 65535) throw usage(`port ${port} is not 1-65535`);
  const host = h[2]!.replace(/^\[(.*)\]$/, '$1');
  return { address: { kind: telnet ? 'telnet' : 'tcp', host, port }, user: h[1], from: `${m[1]}://${h[1] ? h[1] + '@' : ''}${h[2]}:${port}` };
}

/** The password source, asked only when the console prompts for one. */
export function consoleLogin(user: string | undefined, env: NodeJS.ProcessEnv, prompt: Prompter, label: string, passwordCommand?: string): Login {
  return {
    user,
    password: async () => {
      if (env.MAPSDIFF_PASSWORD !== undefined) return env.MAPSDIFF_PASSWORD;
      if (passwordCommand) {
        try {
          return execFileSync('sh', ['-c', passwordCommand], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\r?\n$/, '');
        } catch (e) {
          throw new UsageError(`${label}: the passwordCommand failed (${((e as { stderr?: string }).stderr || (e as Error).message).trim().slice(0, 200)})`);
        }
      }
      return process.stdin.isTTY ? prompt(`${label}'s console password: `, false) : null;
    },
  };
}
