/*! Turns target names into collectors: `local` is this machine's /proc; anything else
 * is an SSH target resolved by cli/target.ts. */
import type { Selection, Source } from '../collect/source.js';
import { LocalSource } from '../collect/local.js';
import type { Io } from './io.js';

export interface SourceArgs {
  'accept-new'?: boolean;
}

export interface OpenedSource {
  source: Source;
  via: 'local' | 'ssh';
  /** The target's default processes (targets/NAME.json), used when none are named. */
  defaultSelection?: Selection;
  ceiling?: bigint;
}

export async function openSources(targets: string[], _args: SourceArgs, _io: Io): Promise<OpenedSource[]> {
  return targets.map((t) => {
    if (t === 'local') return { source: new LocalSource(), via: 'local' as const };
    throw new Error('ssh targets: not wired yet');
  });
}
