/*! `mapsdiff serve [--listen HOST:PORT]`: an exporter for Prometheus or VictoriaMetrics in
 * the multi-target pattern: they schedule `GET /probe?target=T`, serve captures T then and
 * answers its metrics (docs/metrics.md). Listens on 127.0.0.1 unless told otherwise; runs
 * until Ctrl-C or SIGTERM. Thin: the HTTP side is cli/serve/http.ts, a probe cli/serve/probe.ts. */
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import { DEFAULT_LISTEN, serveSpec } from '../specs/serve.js';
import { UsageError } from '../../errors.js';
import { openStore, type GlobalArgs } from '../context.js';
import { parseHexAddress, selectionFrom } from '../options.js';
import { parseDuration } from '../duration.js';
import type { Io } from '../io.js';
import { escapeForTerminal as esc } from '../../render/escape.js';
import { startHttp } from '../serve/http.js';
import { probe, type ProbeContext } from '../serve/probe.js';
import { Health } from '../serve/health.js';
import { KeyedSlots, Slots } from '../serve/slots.js';

const version: string = createRequire(import.meta.url)('../../../../package.json').version;
export { DEFAULT_LISTEN };

interface Args extends Omit<GlobalArgs, 'store'> {
  /** The global --store DIR; `--no-store` makes it false (or [DIR, false] after --store DIR). */
  store?: string | boolean | (string | boolean)[];
  listen?: string;
  process?: string | string[];
  all?: boolean;
  smaps?: boolean;
  ceiling?: string;
  lenient?: boolean;
  concurrency?: number;
  'per-target'?: number;
  'timeout-offset'?: string;
  'default-timeout'?: string;
  'token-file'?: string;
  'trend-window'?: number;
}

/** `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (127.0.0.1) -> host and port. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen ${JSON.stringify(value)}: write it HOST:PORT, e.g. 127.0.0.1:9923 or [::1]:9923 (port 0 picks a free one)`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

function positive(v: number | undefined, option: string, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} ${v}: give a whole number of at least 1`);
  return n;
}

function readToken(file: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  let token = env.MAPSDIFF_SERVE_TOKEN;
  if (file !== undefined) {
    try {
      token = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--token-file ${file}: ${(err as Error).message}`);
    }
  }
  if (token === undefined) return undefined;
  token = token.trim();
  if (!/^[\x21-\x7e]{16,}$/.test(token)) throw new UsageError(`the bearer token${file ? ` in ${file}` : ' in MAPSDIFF_SERVE_TOKEN'} must be one word of at least 16 printable characters`);
  return token;
}

export function serveCommand(io: Io) {
  return {
    ...serveSpec,
    handler: async (args: Args) => {
      const listen = parseListen(args.listen ?? DEFAULT_LISTEN);
      const token = readToken(args['token-file'], io.env);
      const window = args['trend-window'] ?? 10;
      if (!Number.isInteger(window) || window < 0) throw new UsageError(`--trend-window ${window}: give a whole number of captures (0: no trend gauges)`);
      const given = Array.isArray(args.store) ? args.store : [args.store];
      const dir = given.filter((x): x is string => typeof x === 'string').pop();
      const store = given.includes(false) ? null : openStore({ ...args, store: dir }, io);
      const history = new Map<string, string[]>();
      if (store && window > 0) {
        for (const m of store.list()) history.set(m.target, [...(history.get(m.target) ?? []), m.name].slice(-window));
      }
      const health = new Health(version);
      const ctx: ProbeContext = {
        io, store, selection: selectionFrom(args, false), lenient: Boolean(args.lenient),
        ...(args.ceiling ? { ceiling: parseHexAddress(args.ceiling, '--ceiling') } : {}),
        trendWindow: window, history,
        overall: new Slots(positive(args.concurrency, '--concurrency', 16)),
        perTarget: new KeyedSlots(positive(args['per-target'], '--per-target', 1)),
        health, version,
      };
      const log = (line: string) => io.stderr.write(`mapsdiff serve: ${esc(line)}\n`);
      let server;
      try {
        server = await startHttp({
          ...listen, token,
          defaultTimeoutMs: parseDuration(args['default-timeout'] ?? '10s', '--default-timeout'),
          timeoutOffsetMs: parseDuration(args['timeout-offset'] ?? '0.5s', '--timeout-offset'),
        }, { probe: (t, p, ms, gone) => probe(ctx, t, p, ms, gone), health: () => health.families(), log });
      } catch (err) {
        throw new UsageError(`cannot listen on ${args.listen}: ${(err as Error).message}`);
      }
      const addr = server.address() as net.AddressInfo;
      const shown = addr.family === 'IPv6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
      if (!isLoopback(addr.address) && !token) log(`warning: listening on ${shown} without a token: anyone who reaches it can make this machine capture any target it can log into`);
      log(`listening on http://${shown} (probes: /probe?target=NAME, health: /metrics${store ? '' : ', --no-store'})`);
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) return resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      log('stopped');
    },
  };
}

const isLoopback = (a: string) => a.startsWith('127.') || a === '::1' || a === '::ffff:127.0.0.1';
