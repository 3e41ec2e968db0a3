/*! Turns target names into collectors: `local` is this machine's /proc; anything else
 * is an SSH target resolved by cli/target.ts (targets/NAME.json, ~/.ssh/config, user@host). */
import path from 'node:path';
import type { Selection, Source } from '../collect/source.js';
import { LocalSource } from '../collect/local.js';
import { SshSource, type SshOptions, type SshProgress } from '../collect/ssh.js';
import { OpensshSource } from '../collect/openssh.js';
import { ttyPrompter, type Prompter } from '../collect/auth.js';
import { escapeForTerminal as esc } from '../render/escape.js';
import { resolveTarget } from './target.js';
import type { Io } from './io.js';
import { UsageError } from '../errors.js';
import { ConsoleSource } from '../collect/console.js';
import { consoleLogin } from './console-target.js';
import type { TargetOrigin } from '../model/snapshot.js';
import { describeOrigin } from '../render/target-origin.js';

export interface SourceArgs {
  'accept-new'?: boolean;
  'ssh-client'?: string;
  'allow-strict-host-key-checking-no'?: boolean;
}

/** Where a capture has got to, for a progress line: connecting, running, receiving N bytes. */
export type OnProgress = (target: string, p: SshProgress, origin?: TargetOrigin) => void;

export interface OpenedSource {
  source: Source;
  via: 'local' | 'ssh' | 'console';
  /** The target's default processes (targets/NAME.json), used when none are named. */
  defaultSelection?: Selection;
  ceiling?: number;
  /** Where the target's name was found (stored as meta.targetOrigin). */
  origin?: TargetOrigin;
}

/** Resolves every target before any capture starts: a typo fails the whole command (exit 2) up front.
 * `prompt` asks for passwords and passphrases (default: on the terminal; `serve` never asks). */
export async function openSources(targets: string[], args: SourceArgs, io: Io, onProgress?: OnProgress, prompt: Prompter = ttyPrompter()): Promise<OpenedSource[]> {
  const client = args['ssh-client'];
  if (client !== undefined && client !== 'builtin' && client !== 'openssh') throw new UsageError(`--ssh-client ${client}: give builtin (mapsdiff's own) or openssh (the system ssh)`);
  const said = new Set<string>();
  return targets.map((t): OpenedSource => {
    if (t === 'local') return { source: new LocalSource(), via: 'local' };
    const r = resolveTarget(t, { cwd: io.cwd, env: io.env, sshClient: client, allowNoHostKeyCheck: Boolean(args['allow-strict-host-key-checking-no']) });
    // two of the same name: say which one is used, and where it was found (docs/targets.md, "Which one wins")
    if (r.origin?.shadowed && !said.has(`origin ${t}`)) {
      said.add(`origin ${t}`);
      io.stderr.write(`mapsdiff: ${esc(r.label)}: using the ${esc(describeOrigin(r.origin))}; not used, of the same name: ${r.origin.shadowed.map(esc).join(', ')}` +
        `${r.origin.kind === 'ssh-config' ? ` (give ${esc(path.relative(io.cwd, r.origin.shadowed[0]!) || r.origin.shadowed[0]!)} to use that file)` : ''}\n`);
    }
    const origin = r.origin ? { origin: r.origin } : {};
    const progress = onProgress ? (p: SshProgress) => onProgress(r.label, p, r.origin) : undefined;
    if (r.console) {
      const c = r.console;
      const source = new ConsoleSource(r.label, c.from, c.address, consoleLogin(c.user, io.env, prompt, r.label, c.passwordCommand), {
        connectTimeoutMs: r.options.connectTimeoutMs, captureTimeoutMs: r.options.captureTimeoutMs, maxOutputBytes: r.options.maxOutputBytes,
        onNotice: (m: string) => io.stderr.write(`mapsdiff: ${esc(r.label)}: ${m}\n`),
        ...(progress ? { onProgress: progress } : {}),
      });
      return { source, via: 'console', defaultSelection: r.defaultSelection, ceiling: r.ceiling, ...origin };
    }
    for (const n of r.notices ?? []) {
      if (!said.has(n)) io.stderr.write(`mapsdiff: ${esc(n)}\n`);
      said.add(n);
    }
    const opts: SshOptions = {
      ...r.options,
      acceptNew: Boolean(args['accept-new']),
      env: io.env,
      prompt,
      onNotice: (m: string) => io.stderr.write(`mapsdiff: ${esc(r.label)}: ${m}\n`),
      ...(progress ? { onProgress: progress } : {}),
    };
    const source = r.openssh ? new OpensshSource(r.label, r.ssh, r.openssh, opts) : new SshSource(r.label, r.ssh, opts);
    return { source, via: 'ssh', defaultSelection: r.defaultSelection, ceiling: r.ceiling, ...origin };
  });
}
