/*! What a user typed after `capture`, resolved to an SSH target: targets/NAME.json (the user's
 * config dir, a literal ~/.ssh/config Host alias, then ./targets: the user's own win over the
 * working directory's), or plain user@host[:port], with ssh_config applied as OpenSSH does
 * (ssh-endpoint.ts) and an alias's defaults from the user config. Reads files only; never
 * connects. Mistakes are UsageErrors naming the file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { SshTarget } from '../collect/connect.js';
import type { SshOptions } from '../collect/ssh.js';
import type { OpensshTarget } from '../collect/openssh.js';
import type { Selection } from '../collect/source.js';
import { parseHexAddress, parseSize } from './options.js';
import { ADDRESS, portOf, resolveEndpoint, type EndpointContext, type Given } from './ssh-endpoint.js';
import { hostLines, isHostAlias, literalHostLine } from './ssh-config.js';
import { readTargetFile, type TargetFile } from './target-file.js';
import { isConsoleTarget, parseConsoleTarget, type ConsoleTarget } from './console-target.js';
import { knownTargetNames } from './target-names.js';
import { didYouMean } from './suggest.js';
import { aliasDefaults, configDir, type AliasDefaults } from './user-config.js';
import type { TargetOrigin } from '../model/snapshot.js';

export type SshClientKind = 'builtin' | 'openssh';

export interface TargetContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --ssh-client; default: the target file's "sshClient", else builtin. */
  sshClient?: SshClientKind;
  /** --allow-strict-host-key-checking-no */
  allowNoHostKeyCheck?: boolean;
  /** Default /etc/ssh/ssh_config; null: none (tests). */
  systemConfig?: string | null;
}

export interface ResolvedTarget {
  /** The snapshot's target label: NAME for a target file or an alias, else `user@host:port`. */
  label: string;
  ssh: SshTarget;
  /** Settings from the target file or ~/.ssh/config, to spread into SshOptions. */
  options: Pick<SshOptions, 'hostKey' | 'knownHostsFiles' | 'connectTimeoutMs' | 'captureTimeoutMs' | 'maxOutputBytes'>;
  /** The target file's "processes" (+ "smaps"), used when the command names none. */
  defaultSelection?: Selection;
  ceiling?: number;
  /** The targets/NAME.json it came from. */
  file?: string;
  /** ssh_config settings in effect that mapsdiff's client does not apply, one line each. */
  notices?: string[];
  /** Set when the system ssh is the transport: what to hand it. */
  openssh?: OpensshTarget;
  /** Set for a console target (telnet://, serial+tcp://, serial:); `ssh` is then unused. */
  console?: ConsoleTarget & { passwordCommand?: string };
  /** Where the name was found, and what of the same name was passed over (stored in the snapshot). */
  origin?: TargetOrigin;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Where target files are looked up: the user's own first, then the working directory's. */
export function targetDirs(ctx: TargetContext): string[] {
  return [path.join(configDir(ctx.env), 'targets'), path.join(ctx.cwd, 'targets')];
}

export function endpointContext(ctx: TargetContext): EndpointContext {
  const home = ctx.env.HOME || os.homedir();
  return {
    home, localUser: ctx.env.USER || os.userInfo().username, uid: process.getuid?.() ?? 0, env: ctx.env,
    userConfig: path.join(home, '.ssh', 'config'),
    systemConfig: ctx.systemConfig === undefined ? '/etc/ssh/ssh_config' : ctx.systemConfig,
    allowNoHostKeyCheck: ctx.allowNoHostKeyCheck ?? false,
  };
}

export function resolveTarget(arg: string, ctx: TargetContext): ResolvedTarget {
  if (isConsoleTarget(arg)) {
    const c = parseConsoleTarget(arg);
    return { label: c.from, ssh: { host: '', port: 0, user: '', identityFiles: [] }, options: {}, console: c };
  }
  const ec = endpointContext(ctx);
  if (arg.endsWith('.json')) {
    const f = path.resolve(ctx.cwd, arg);
    if (!fs.existsSync(f)) throw new UsageError(`no target file ${arg}`);
    return fromFile(f, ec, ctx, { kind: 'file', file: f });
  }
  // which one wins (docs/targets.md): the user's target file, the user's literal Host alias, the working directory's file
  const [userFile, cwdFile] = NAME.test(arg) ? targetDirs(ctx).map((d) => path.join(d, `${arg}.json`)).map((f) => (fs.existsSync(f) ? f : null)) : [null, null];
  const literal = NAME.test(arg) && (userFile || cwdFile) ? literalHostLine(arg, ec) : null;
  const hostAt = literal ? `Host ${arg} in ${literal.file} line ${literal.line}` : null;
  const shadowed = (...xs: (string | null | undefined)[]) => {
    const s = xs.filter((x): x is string => Boolean(x));
    return s.length ? { shadowed: s } : {};
  };
  if (userFile) return fromFile(userFile, ec, ctx, { kind: 'file', file: userFile, ...shadowed(hostAt, cwdFile) });
  if (cwdFile && !literal) return fromFile(cwdFile, ec, ctx, { kind: 'file', file: cwdFile });
  const m = ADDRESS.exec(arg);
  const isAlias = NAME.test(arg) && isHostAlias(arg, hostLines(ec));
  if (!m || (!isAlias && !m[1] && !m[3] && !/[.:]/.test(m[2]!))) {
    const defaults = NAME.test(arg) ? aliasDefaults(ctx.env) : null;
    const orphan = defaults && Object.hasOwn(defaults.targets, arg) ? ` (${defaults.file} has defaults for ${arg}, but an alias needs its Host block in ~/.ssh/config)` : '';
    throw new UsageError(`unknown target ${JSON.stringify(arg)}: no ${arg}.json in ${targetDirs(ctx).join(' or ')}, ` +
      `no "Host ${arg}" in ~/.ssh/config${orphan}. Give user@host[:port], or write targets/${arg}.json (see docs/targets.md).${nearTargets(arg, ctx)}`);
  }
  const host = m[2]!.replace(/^\[(.*)\]$/, '$1');
  const given: Given = { user: m[1], port: m[3] ? portOf(m[3], arg) : undefined };
  const cfg = isAlias ? aliasDefaults(ctx.env) : null;
  const defaults: AliasDefaults | undefined = cfg && Object.hasOwn(cfg.targets, arg) ? cfg.targets[arg] : undefined;
  const at = isAlias ? (literal ?? literalHostLine(arg, ec)) : null;
  const origin: TargetOrigin = isAlias
    ? { kind: 'ssh-config', file: at?.file ?? ec.userConfig ?? undefined, ...(at ? { line: at.line } : {}), ...(defaults ? { defaults: cfg!.file } : {}), ...shadowed(cwdFile) }
    : { kind: 'address' };
  const extra = defaults ? fromDefaults(defaults, `"targets"."${arg}" in ${cfg!.file}`) : { options: {} };
  if ((ctx.sshClient ?? defaults?.sshClient ?? 'builtin') === 'openssh') {
    const label = isAlias ? arg : `${given.user ?? ec.localUser}@${host}:${given.port ?? 22}`;
    const g = { ...given, connectTimeout: defaults?.connectTimeout };
    return { label, ssh: { host, port: given.port ?? 22, user: given.user ?? ec.localUser, identityFiles: [] }, ...extra, openssh: { destination: host, ...openssh(ec, g) }, origin };
  }
  const r = resolveEndpoint(host, given, ec);
  const { ep, options } = splitTarget(r.ep, ec);
  return { label: isAlias ? arg : `${ep.user}@${ep.host}:${ep.port}`, ssh: ep, notices: r.notices, ...extra, options: { ...options, ...extra.options }, origin };
}

/** An alias's defaults from the user config: its processes and ceiling, and its timeouts and output cap. */
function fromDefaults(d: AliasDefaults, where: string): Pick<ResolvedTarget, 'options' | 'defaultSelection' | 'ceiling'> {
  const options: ResolvedTarget['options'] = {};
  if (d.connectTimeout !== undefined) options.connectTimeoutMs = d.connectTimeout * 1000;
  if (d.captureTimeout !== undefined) options.captureTimeoutMs = d.captureTimeout * 1000;
  if (d.maxOutput !== undefined) options.maxOutputBytes = parseSize(d.maxOutput, `"maxOutput" of ${where}`);
  return { options, ...selectionOf({ identityFile: [], host: '', ...d }, where) };
}

/** The target's known_hosts files go to the options (as a target file's do); its other settings stay on it. */
function splitTarget(ep: SshTarget, ec: EndpointContext): { ep: SshTarget; options: ResolvedTarget['options'] } {
  const { knownHostsFiles, connectTimeoutMs, ...rest } = ep;
  const options: ResolvedTarget['options'] = {
    knownHostsFiles: knownHostsFiles ?? [path.join(ec.home, '.ssh', 'known_hosts'), path.join(ec.home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
  };
  if (connectTimeoutMs !== undefined) options.connectTimeoutMs = connectTimeoutMs;
  return { ep: rest, options };
}

/** ssh's options for what mapsdiff was given (not the config: ssh reads that itself), and -F when HOME is not ssh's home. */
function openssh(ec: EndpointContext, g: Given & { knownHosts?: string; connectTimeout?: number }): Omit<OpensshTarget, 'destination'> {
  const args: string[] = [];
  if (g.user) args.push('-l', g.user);
  if (g.port) args.push('-p', String(g.port));
  for (const k of g.identityFiles ?? []) args.push('-i', k);
  if (g.proxyJump) args.push('-J', g.proxyJump);
  if (g.knownHosts) args.push('-o', `UserKnownHostsFile=${g.knownHosts}`);
  if (g.connectTimeout) args.push('-o', `ConnectTimeout=${Math.ceil(g.connectTimeout)}`);
  // ssh reads ~/.ssh/config of the passwd entry, not of $HOME: point it at the file mapsdiff read
  if (ec.userConfig && fs.existsSync(ec.userConfig) && path.resolve(ec.home) !== path.resolve(os.userInfo().homedir)) args.unshift('-F', ec.userConfig);
  return { args };
}

function fromFile(file: string, ec: EndpointContext, ctx: TargetContext, origin: TargetOrigin): ResolvedTarget {
  return { ...fromFileOnly(file, ec, ctx), origin };
}

function fromFileOnly(file: string, ec: EndpointContext, ctx: TargetContext): ResolvedTarget {
  const t: TargetFile = readTargetFile(file);
  const dir = path.dirname(file);
  const home = ec.home;
  const keys = t.identityFile.map((k) => path.resolve(dir, expandHome(k, home)));
  const knownHosts = t.knownHosts ? path.resolve(dir, expandHome(t.knownHosts, home)) : undefined;
  if (t.console) {
    const c = parseConsoleTarget(t.console, `"console" in ${file}`);
    return {
      label: path.basename(file, '.json'), file, ssh: { host: '', port: 0, user: '', identityFiles: [] },
      options: { connectTimeoutMs: t.connectTimeout === undefined ? undefined : t.connectTimeout * 1000, captureTimeoutMs: t.captureTimeout === undefined ? undefined : t.captureTimeout * 1000,
        maxOutputBytes: t.maxOutput === undefined ? undefined : parseSize(t.maxOutput, `"maxOutput" in ${file}`) },
      console: { ...c, user: c.user ?? t.user, passwordCommand: t.passwordCommand },
      ...selectionOf(t),
    };
  }
  const client = ctx.sshClient ?? t.sshClient ?? 'builtin';
  const base = {
    label: path.basename(file, '.json'),
    options: {
      hostKey: t.hostKey,
      ...(knownHosts ? { knownHostsFiles: [knownHosts] } : {}),
      connectTimeoutMs: t.connectTimeout === undefined ? undefined : t.connectTimeout * 1000,
      captureTimeoutMs: t.captureTimeout === undefined ? undefined : t.captureTimeout * 1000,
      maxOutputBytes: t.maxOutput === undefined ? undefined : parseSize(t.maxOutput, `"maxOutput" in ${file}`),
    } as ResolvedTarget['options'],
    file,
  };
  let out: ResolvedTarget;
  if (client === 'openssh') {
    if (t.hostKey) throw new UsageError(`${file}: "hostKey" pins a fingerprint, which the system ssh cannot take; give "knownHosts" instead, or "sshClient": "builtin"`);
    const given = { user: t.user, port: t.port, identityFiles: keys, proxyJump: t.proxyJump, knownHosts, connectTimeout: t.connectTimeout };
    out = { ...base, ssh: { host: t.host, port: t.port ?? 22, user: t.user ?? ec.localUser, identityFiles: keys }, openssh: { destination: t.host, ...openssh(ec, given) } };
  } else {
    const r = resolveEndpoint(t.host, { user: t.user, port: t.port, identityFiles: keys, proxyJump: t.proxyJump }, ec);
    const split = splitTarget(r.ep, ec);
    out = { ...base, ssh: split.ep, notices: r.notices, options: { ...base.options, knownHostsFiles: knownHosts ? [knownHosts] : split.options.knownHostsFiles } };
    if (t.connectTimeout === undefined && split.options.connectTimeoutMs !== undefined) out.options.connectTimeoutMs = split.options.connectTimeoutMs;
    if (knownHosts) delete out.ssh.recordTo;
  }
  return { ...out, ...selectionOf(t, file) };
}

/** The target file's "processes" (+ "smaps") and "ceiling". */
function selectionOf(t: TargetFile, file = ''): Pick<ResolvedTarget, 'defaultSelection' | 'ceiling'> {
  const out: Pick<ResolvedTarget, 'defaultSelection' | 'ceiling'> = {};
  if (t.processes) {
    const all = t.processes === 'all';
    const list = all ? [] : (t.processes as (string | number)[]);
    out.defaultSelection = { all, smaps: t.smaps ?? false, pids: list.filter((p): p is number => typeof p === 'number'), names: list.filter((p): p is string => typeof p === 'string') };
  }
  if (t.ceiling !== undefined) out.ceiling = parseHexAddress(t.ceiling, `"ceiling" in ${file}`);
  return out;
}

const expandHome = (f: string, home: string) => (f === '~' ? home : f.startsWith('~/') ? path.join(home, f.slice(2)) : f);

/** "; did you mean board1?" from the target files and ~/.ssh/config aliases, or nothing. */
function nearTargets(arg: string, ctx: TargetContext): string {
  const near = didYouMean(arg, knownTargetNames(ctx));
  return near ? ` D${near.slice(3)}` : '';
}
