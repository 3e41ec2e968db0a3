/*! The HTTP side of `serve`, in the multi-target exporter pattern of Prometheus's
 * blackbox_exporter and snmp_exporter: `GET /probe?target=T` answers 200 with the capture's
 * metrics, or with `mapsdiff_capture_success 0` when the capture failed (the scrape itself
 * worked); 400 for a request that names no target or a bad timeout header; `GET /metrics` is
 * serve's own health. The probe's deadline is Prometheus's X-Prometheus-Scrape-Timeout-Seconds
 * less an offset, so it answers with its own reason before Prometheus gives up. Optional
 * bearer token (401 without it). Node's http module only. */
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { FamilySamples } from '../../model/metrics.js';
import { CONTENT_TYPE, renderExposition, type ExpositionFormat } from '../../render/openmetrics.js';
import type { ProbeAnswer } from './probe.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Required as `Authorization: Bearer TOKEN` on every request when set. */
  token?: string;
  /** Without the scrape-timeout header (curl, a script). */
  defaultTimeoutMs: number;
  /** Taken off the scrape timeout (blackbox_exporter's --timeout-offset, 0.5 s by default). */
  timeoutOffsetMs: number;
}

export interface HttpHandlers {
  probe(target: string, processes: string[], timeoutMs: number, clientGone: AbortSignal): Promise<ProbeAnswer>;
  health(): FamilySamples[];
  log(line: string): void;
}

const MAX_TARGET = 512;

/** Resolves once listening; the address actually bound (port 0 picks a free one) is in server.address(). */
export function startHttp(opts: HttpOptions, h: HttpHandlers): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    handle(req, res, opts, h).catch((err) => {
      h.log(`internal error answering ${req.url}: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function authorized(req: http.IncomingMessage, token: string): boolean {
  const m = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const got = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** OpenMetrics when the scraper asks for it (Prometheus does), else the Prometheus text format. */
function formatFor(req: http.IncomingMessage): ExpositionFormat {
  return /application\/openmetrics-text/.test(req.headers.accept ?? '') ? 'openmetrics' : 'prometheus';
}

/** The probe's deadline: the scrape timeout less the offset (at least half the scrape timeout), else the default. */
export function probeTimeoutMs(header: string | undefined, o: Pick<HttpOptions, 'defaultTimeoutMs' | 'timeoutOffsetMs'>): number | string {
  if (header === undefined || header === '') return o.defaultTimeoutMs;
  const secs = Number(header);
  if (!Number.isFinite(secs) || secs <= 0) return `X-Prometheus-Scrape-Timeout-Seconds must be a positive number of seconds, got ${JSON.stringify(header.slice(0, 40))}`;
  return Math.max(secs * 1000 - o.timeoutOffsetMs, secs * 500);
}

/** A message as a header value: printable ASCII, capped. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 300);

async function handle(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpOptions, h: HttpHandlers): Promise<void> {
  const text = 'text/plain; charset=utf-8';
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, text, 'only GET and HEAD\n', { Allow: 'GET, HEAD' });
  if (opts.token !== undefined && !authorized(req, opts.token)) {
    return send(res, 401, text, 'a bearer token is required: Authorization: Bearer TOKEN (see serve --token-file)\n', { 'WWW-Authenticate': 'Bearer realm="mapsdiff"' });
  }
  const url = new URL(req.url ?? '/', 'http://serve.invalid');
  if (url.pathname === '/metrics') {
    const format = formatFor(req);
    return send(res, 200, CONTENT_TYPE[format], renderExposition(h.health(), format));
  }
  if (url.pathname === '/') {
    return send(res, 200, text, 'mapsdiff serve\n  /probe?target=NAME[&process=NAME]  capture NAME now, as metrics\n  /metrics                          serve\'s own health\n');
  }
  if (url.pathname !== '/probe') return send(res, 404, text, `no such page: ${url.pathname.slice(0, 100)} (try /probe?target=NAME or /metrics)\n`);

  const target = url.searchParams.get('target') ?? '';
  if (target === '') return send(res, 400, text, 'the target parameter is missing: /probe?target=NAME\n');
  if (target.length > MAX_TARGET || /[\0-\x1f\x7f]/.test(target)) return send(res, 400, text, `the target parameter must be one line of at most ${MAX_TARGET} characters\n`);
  const header = req.headers['x-prometheus-scrape-timeout-seconds'];
  const timeout = probeTimeoutMs(Array.isArray(header) ? header[0] : header, opts);
  if (typeof timeout === 'string') return send(res, 400, text, timeout + '\n');

  const gone = new AbortController();
  res.on('close', () => { if (!res.writableFinished) gone.abort(); });
  const answer = await h.probe(target, url.searchParams.getAll('process'), timeout, gone.signal);
  if (gone.signal.aborted) return;
  const format = formatFor(req);
  let body = renderExposition(answer.families, format);
  const headers: Record<string, string> = {};
  if (answer.snapshot) headers['X-Mapsdiff-Snapshot'] = answer.snapshot;
  if (answer.error) {
    headers['X-Mapsdiff-Error'] = headerSafe(answer.error.message);
    h.log(`probe ${target}: ${answer.error.reason}: ${answer.error.message}`);
    // the text format allows comments; OpenMetrics does not (the reason label and the header remain)
    if (format === 'prometheus') body = `# mapsdiff: ${answer.error.message.replace(/\n/g, ' ')}\n` + body;
  }
  send(res, 200, CONTENT_TYPE[format], body, headers);
}
