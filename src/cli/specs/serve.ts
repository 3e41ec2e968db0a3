/*! `mapsdiff serve`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/serve.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';

export const DEFAULT_LISTEN = '127.0.0.1:9923';

export const serveSpec = {
  command: 'serve',
  describe: 'answer Prometheus/VictoriaMetrics probes: GET /probe?target=T captures T now, as metrics; GET /metrics is serve\'s health',
  builder: (y: Argv) =>
    y
      .option('listen', { type: 'string', default: DEFAULT_LISTEN, describe: 'HOST:PORT to listen on (another host than loopback: set a token)' })
      .option('process', { type: 'string', array: true, describe: "processes to capture when the probe names none (&process=NAME) and the target file neither" })
      .option('all', { type: 'boolean', describe: 'every process, when the probe and the target file name none' })
      .option('smaps', { type: 'boolean', describe: 'also read /proc/PID/smaps (stalls the process while read)' })
      .option('ceiling', { type: 'string', describe: "user-space ceiling, e.g. 0xc0000000 (default: the target's setting, else the architecture's)" })
      .option('lenient', { type: 'boolean', describe: 'skip malformed maps lines instead of failing the probe' })
      .option('concurrency', { type: 'number', default: 16, describe: 'probes capturing at once, all targets together' })
      .option('per-target', { type: 'number', default: 1, describe: 'probes capturing one target at once (more wait their turn within their deadline)' })
      .option('timeout-offset', { type: 'string', default: '0.5s', describe: "taken off Prometheus's scrape timeout (X-Prometheus-Scrape-Timeout-Seconds) for the probe's deadline" })
      .option('default-timeout', { type: 'string', default: '10s', describe: 'deadline of a probe without that header (curl)' })
      .option('token-file', { type: 'string', describe: 'require Authorization: Bearer TOKEN, TOKEN read from this file (or $MAPSDIFF_SERVE_TOKEN)' })
      .option('trend-window', { type: 'number', default: 10, describe: 'captures of a target judged for the mapsdiff_trend_* gauges (0: none)' })
      .epilog('--no-store: keep no snapshot of the probes (then no trend gauges). Metrics: docs/metrics.md.'),
};
