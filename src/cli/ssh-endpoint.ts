/*! One SSH hop as OpenSSH would fill it in from ssh_config (ssh-config.ts): HostName, User, Port,
 * keys, agent, known_hosts files, HostKeyAlias, StrictHostKeyChecking, timeouts, and how it is
 * reached (ProxyJump hops, each resolved under its own name, or a ProxyCommand). Never connects. */
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { SshEndpoint, StrictMode } from '../collect/connect.js';
import { evaluateSshConfig, type SshConfigValues } from './ssh-config.js';
import { unsupportedNotices } from './ssh-unsupported.js';

export interface EndpointContext {
  home: string;
  localUser: string;
  uid: number;
  userConfig: string | null;
  systemConfig: string | null;
  env: NodeJS.ProcessEnv;
  /** --allow-strict-host-key-checking-no: let `StrictHostKeyChecking no` take effect. */
  allowNoHostKeyCheck: boolean;
}

export interface Given { user?: string; port?: number; identityFiles?: string[]; proxyJump?: string }

export interface Resolved { ep: SshEndpoint; values: SshConfigValues; notices: string[] }

export const ADDRESS = /^(?:([^@\s]+)@)?(\[[^\]\s]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/;
const MAX_HOPS = 8;

/** `host` (as typed, or a jump host's name) with its config applied; `given` values win, like ssh's command line. */
export function resolveEndpoint(host: string, given: Given, ctx: EndpointContext, depth = 0): Resolved {
  if (depth > MAX_HOPS) throw new UsageError(`more than ${MAX_HOPS} ProxyJump hops in a row to reach ${host}: do two hosts jump through each other?`);
  const preset: Record<string, string> = {};
  if (given.user) preset.user = given.user;
  if (given.port) preset.port = String(given.port);
  const c = evaluateSshConfig({ host, localUser: ctx.localUser, home: ctx.home, userConfig: ctx.userConfig, systemConfig: ctx.systemConfig, preset });
  const where = (k: string) => { const l = c.get(k); return l ? `${l.file} line ${l.line}` : ''; };
  const real = tokens(c.arg('hostname') ?? host, { h: host });
  const port = c.arg('port') ? portOf(c.arg('port')!, `Port (${where('port')})`) : 22;
  const user = c.arg('user') ?? ctx.localUser;
  const alias = c.arg('hostkeyalias');
  const t = { d: ctx.home, h: real, n: host, p: String(port), r: user, u: ctx.localUser, i: String(ctx.uid), k: (alias ?? real), l: '', L: '' };
  const file = (f: string) => home(tokens(f, t), ctx.home);
  const ep: SshEndpoint = {
    host: real, port, user,
    identityFiles: [...(given.identityFiles ?? []), ...c.all('identityfile').map((l) => file(l.args[0]!))],
  };
  if (alias) ep.hostKeyAlias = alias.toLowerCase();
  const notices = unsupportedNotices(c);

  const userKh = c.get('userknownhostsfile')?.args;
  const globalKh = c.get('globalknownhostsfile')?.args;
  if (userKh || globalKh) {
    const u = (userKh ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).filter((f) => f.toLowerCase() !== 'none').map(file);
    const g = (globalKh ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']).filter((f) => f.toLowerCase() !== 'none').map(file);
    ep.knownHostsFiles = [...u, ...g];
    ep.recordTo = u[0] ?? null;
  }
  const strict = c.arg('stricthostkeychecking')?.toLowerCase();
  if (strict !== undefined) {
    const mode = ({ yes: 'yes', true: 'yes', ask: 'ask', 'accept-new': 'accept-new', no: 'no', off: 'no', false: 'no' } as Record<string, StrictMode>)[strict];
    if (!mode) throw new UsageError(`${where('stricthostkeychecking')}: StrictHostKeyChecking ${strict} is not yes, ask, accept-new or no`);
    if (mode === 'no' && !ctx.allowNoHostKeyCheck) {
      throw new UsageError(`${where('stricthostkeychecking')}: StrictHostKeyChecking no for ${host} would trust any host key; mapsdiff refuses that ` +
        'unless you also give --allow-strict-host-key-checking-no (a changed key is refused even then). Use accept-new instead.');
    }
    ep.strictHostKeyChecking = mode;
  }
  if (yes(c.arg('hashknownhosts'))) ep.hashKnownHosts = true;
  if (yes(c.arg('identitiesonly'))) ep.identitiesOnly = true;
  if (yes(c.arg('batchmode'))) ep.batchMode = true;
  const agent = c.arg('identityagent');
  if (agent !== undefined) ep.identityAgent = agentPath(agent, ctx, file);
  const timeout = c.arg('connecttimeout');
  if (timeout !== undefined) ep.connectTimeoutMs = seconds(timeout, `ConnectTimeout (${where('connecttimeout')})`) * 1000;
  const alive = c.arg('serveraliveinterval');
  if (alive !== undefined) {
    const count = c.arg('serveralivecountmax');
    ep.serverAlive = { intervalMs: seconds(alive, `ServerAliveInterval (${where('serveraliveinterval')})`, true) * 1000,
      countMax: count === undefined ? 3 : seconds(count, `ServerAliveCountMax (${where('serveralivecountmax')})`) };
  }

  // how it is reached: the first of ProxyJump / ProxyCommand read wins, as in readconf.c; `none` means directly
  const via = given.proxyJump !== undefined ? { keyword: 'proxyjump', rest: given.proxyJump } : c.firstOf('proxyjump', 'proxycommand');
  if (via && via.rest.toLowerCase() !== 'none') {
    if (via.keyword === 'proxycommand') {
      ep.proxyCommand = tokens(via.rest, { ...t, h: real });
    } else {
      const hops = via.rest.replace(/\s+#.*$/, '').split(',').map((s) => s.trim());
      const last = hops.pop()!;
      const m = ADDRESS.exec(last.replace(/^ssh:\/\//, ''));
      if (!m || hops.some((h) => !ADDRESS.test(h.replace(/^ssh:\/\//, '')))) throw new UsageError(`ProxyJump ${JSON.stringify(via.rest)} for ${host} is not [user@]host[:port][,...]`);
      // the hop nearest the target: reached through the hops before it (ssh -J rest), else through its own config
      const hop = resolveEndpoint(m[2]!.replace(/^\[(.*)\]$/, '$1'), {
        user: m[1], port: m[3] ? portOf(m[3], `ProxyJump ${last}`) : undefined,
        ...(hops.length ? { proxyJump: hops.join(',') } : {}),
      }, ctx, depth + 1);
      ep.jump = hop.ep;
      for (const n of hop.notices) notices.push(n);
    }
  }
  return { ep, values: c, notices };
}

function agentPath(v: string, ctx: EndpointContext, file: (f: string) => string): string | null {
  if (v.toLowerCase() === 'none') return null;
  if (v === 'SSH_AUTH_SOCK') return ctx.env.SSH_AUTH_SOCK || null;
  const env = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v);
  if (env) return ctx.env[env[1]!] || null;
  return file(v);
}

const yes = (v: string | undefined) => v !== undefined && /^(yes|true)$/i.test(v);

/** OpenSSH's %-tokens; one it has but we cannot fill (%C, %j) is refused by name. */
export function tokens(s: string, t: Record<string, string>): string {
  return s.replace(/%(.)/g, (all, k: string) => {
    if (k === '%') return '%';
    const v = t[k];
    if (v === undefined || v === '') throw new UsageError(`the token ${all} in ${JSON.stringify(s)} is not supported by mapsdiff's SSH client (it fills %% %d %h %i %k %n %p %r %u)`);
    return v;
  });
}

const home = (f: string, h: string) => (f === '~' ? h : f.startsWith('~/') ? path.join(h, f.slice(2)) : f);

export function portOf(text: string, where: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UsageError(`${where}: port ${text} is not 1-65535`);
  return n;
}

function seconds(text: string, where: string, zero = false): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || (!zero && n === 0)) throw new UsageError(`${where}: ${JSON.stringify(text)} is not a whole number of seconds`);
  return n;
}
