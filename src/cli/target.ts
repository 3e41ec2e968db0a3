/*! What a user typed after `capture`, resolved to an SSH target: targets/NAME.json (./targets,
 * then the user's config dir), a ~/.ssh/config Host alias (read with ssh-config), or plain
 * user@host[:port]. Reads files only; never connects. Mistakes are UsageErrors naming the file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import { UsageError } from '../errors.js';
import type { SshEndpoint, SshTarget } from '../collect/connect.js';
import type { SshOptions } from '../collect/ssh.js';
import type { Selection } from '../collect/source.js';
import { parseHexAddress, parseSize } from './options.js';
import { readTargetFile, type TargetFile } from './target-file.js';

export interface TargetContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedTarget {
  /** The snapshot's target label: NAME for a target file or an alias, else `user@host:port`. */
  label: string;
  ssh: SshTarget;
  /** Settings from the target file or ~/.ssh/config, to spread into SshOptions. */
  options: Pick<SshOptions, 'hostKey' | 'knownHostsFiles' | 'connectTimeoutMs' | 'captureTimeoutMs' | 'maxOutputBytes'>;
  /** The target file's "processes" (+ "smaps"), used when the command names none. */
  defaultSelection?: Selection;
  ceiling?: bigint;
  /** The targets/NAME.json it came from. */
  file?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ADDRESS = /^(?:([^@\s]+)@)?(\[[^\]\s]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/;

/** Where target files are looked up, in order. */
export function targetDirs(ctx: TargetContext): string[] {
  const home = ctx.env.HOME || os.homedir();
  const config = ctx.env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [path.join(ctx.cwd, 'targets'), path.join(config, 'mapsdiff', 'targets')];
}

export function resolveTarget(arg: string, ctx: TargetContext): ResolvedTarget {
  const home = ctx.env.HOME || os.homedir();
  const config = readSshConfig(path.join(home, '.ssh', 'config'));
  const file = findTargetFile(arg, ctx);
  if (file) return fromFile(file, config, ctx, home);
  const m = ADDRESS.exec(arg);
  const isAlias = NAME.test(arg) && hasHost(config, arg);
  if (!m || (!isAlias && !m[1] && !m[3] && !/[.:]/.test(m[2]!))) {
    throw new UsageError(`unknown target ${JSON.stringify(arg)}: no ${arg}.json in ${targetDirs(ctx).join(' or ')}, ` +
      `no "Host ${arg}" in ~/.ssh/config. Give user@host[:port], or write targets/${arg}.json (see docs/targets.md).`);
  }
  const ep = endpoint(m[2]!.replace(/^\[(.*)\]$/, '$1'), m[1], m[3] ? port(m[3], arg) : undefined, config, home, ctx);
  const options = { knownHostsFiles: knownHosts(config, ep.host, home) };
  return { label: isAlias ? arg : `${ep.user}@${ep.host}:${ep.port}`, ssh: ep, options };
}

function fromFile(file: string, config: SSHConfig, ctx: TargetContext, home: string): ResolvedTarget {
  const t: TargetFile = readTargetFile(file);
  const dir = path.dirname(file);
  const keys = t.identityFile.map((k) => path.resolve(dir, expandHome(k, home)));
  const ep = endpoint(t.host, t.user, t.port, config, home, ctx, keys, t.proxyJump);
  const out: ResolvedTarget = {
    label: path.basename(file, '.json'),
    ssh: ep,
    options: {
      hostKey: t.hostKey,
      knownHostsFiles: t.knownHosts ? [path.resolve(dir, expandHome(t.knownHosts, home))] : knownHosts(config, t.host, home),
      connectTimeoutMs: t.connectTimeout === undefined ? undefined : t.connectTimeout * 1000,
      captureTimeoutMs: t.captureTimeout === undefined ? undefined : t.captureTimeout * 1000,
      maxOutputBytes: t.maxOutput === undefined ? undefined : parseSize(t.maxOutput, `"maxOutput" in ${file}`),
    },
    file,
  };
  if (t.processes) {
    const all = t.processes === 'all';
    const list = all ? [] : (t.processes as (string | number)[]);
    out.defaultSelection = { all, smaps: t.smaps ?? false, pids: list.filter((p): p is number => typeof p === 'number'), names: list.filter((p): p is string => typeof p === 'string') };
  }
  if (t.ceiling !== undefined) out.ceiling = parseHexAddress(t.ceiling, `"ceiling" in ${file}`);
  return out;
}

function findTargetFile(arg: string, ctx: TargetContext): string | null {
  if (arg.endsWith('.json')) {
    const f = path.resolve(ctx.cwd, arg);
    if (!fs.existsSync(f)) throw new UsageError(`no target file ${arg}`);
    return f;
  }
  if (!NAME.test(arg)) return null;
  for (const dir of targetDirs(ctx)) {
    const f = path.join(dir, `${arg}.json`);
    if (fs.existsSync(f)) return f;
  }
  return null;
}

/** One hop, as OpenSSH would fill it in from ~/.ssh/config: given values win over the config's. */
function endpoint(host: string, user: string | undefined, p: number | undefined, config: SSHConfig, home: string,
  ctx: TargetContext, keys: string[] = [], jump?: string, depth = 0): SshTarget {
  const c = config.compute(host, { ignoreCase: true, matchExec: false }) as Record<string, string | string[] | undefined>;
  const one = (k: string) => { const v = c[k]; return Array.isArray(v) ? v[0] : v; };
  const local = ctx.env.USER || os.userInfo().username;
  const real = (one('hostname') ?? host).replaceAll('%h', host);
  const u = user ?? one('user') ?? local;
  if (one('proxycommand') && one('proxycommand') !== 'none') {
    throw new UsageError(`~/.ssh/config gives ${host} a ProxyCommand, which mapsdiff does not run; use ProxyJump instead`);
  }
  const fromConfig = [c.identityfile ?? []].flat().map((f) => expandTokens(f, { home, host: real, user: u, local }));
  const ep: SshTarget = {
    host: real,
    port: p ?? (one('port') ? port(one('port')!, `Port in ~/.ssh/config for ${host}`) : 22),
    user: u,
    identityFiles: [...keys, ...fromConfig],
  };
  const alias = one('hostkeyalias');
  if (alias) ep.hostKeyAlias = alias;
  const j = jump ?? one('proxyjump');
  if (j && j !== 'none') {
    if (depth > 0) throw new UsageError(`the jump host ${host} has a ProxyJump of its own; mapsdiff goes through one jump host only`);
    if (j.includes(',')) throw new UsageError(`ProxyJump ${j} has several hops; mapsdiff goes through one jump host only`);
    const m = ADDRESS.exec(j.replace(/^ssh:\/\//, ''));
    if (!m) throw new UsageError(`ProxyJump ${JSON.stringify(j)} is not [user@]host[:port]`);
    const hop = endpoint(m[2]!.replace(/^\[(.*)\]$/, '$1'), m[1], m[3] ? port(m[3], j) : undefined, config, home, ctx, [], undefined, depth + 1);
    ep.jump = { host: hop.host, port: hop.port, user: hop.user, identityFiles: hop.identityFiles, ...(hop.hostKeyAlias ? { hostKeyAlias: hop.hostKeyAlias } : {}) } satisfies SshEndpoint;
  }
  return ep;
}

function readSshConfig(file: string): SSHConfig {
  let text = '';
  try { text = fs.readFileSync(file, 'utf8'); } catch { /* no config: defaults */ }
  try {
    return SSHConfig.parse(text);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/** A `Host` line names `name` literally (not only through a wildcard). */
function hasHost(config: SSHConfig, name: string): boolean {
  return config.some((line) => {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') return false;
    const v = line.value;
    const pats = typeof v === 'string' ? v.split(/\s+/) : v.map((x) => x.val);
    return pats.includes(name);
  });
}

function knownHosts(config: SSHConfig, host: string, home: string): string[] {
  const c = config.compute(host, { ignoreCase: true, matchExec: false }) as Record<string, string | string[] | undefined>;
  const v = c.userknownhostsfile;
  const files = (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).filter((f) => f !== 'none').map((f) => expandHome(f, home));
  return files.length ? files : [path.join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

function port(text: string, where: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${where}: port ${text} is not 1-65535`);
  return n;
}

const expandHome = (f: string, home: string) => (f === '~' ? home : f.startsWith('~/') ? path.join(home, f.slice(2)) : f);

/** OpenSSH's tokens in IdentityFile: %d home, %h host, %r remote user, %u local user, %%. */
function expandTokens(f: string, t: { home: string; host: string; user: string; local: string }): string {
  const out = f.replace(/%([dhru%])/g, (_, k: string) => ({ d: t.home, h: t.host, r: t.user, u: t.local, '%': '%' })[k]!);
  return expandHome(out, t.home);
}
