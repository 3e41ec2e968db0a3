/*! Shell completion: `mapsdiff completion bash` prints the script; the script asks
 * `mapsdiff __complete WORD...` (the words typed so far, the last one being completed) for
 * candidates, one per line: commands, the command's options (from its own yargs builder),
 * snapshot names and refs, target names. Errors are swallowed: completion never prints them. */
import yargs, { type Argv } from 'yargs';
import { locateStore } from '../store/locate.js';
import { SnapshotStore } from '../store/store.js';
import { knownTargetNames } from './target-names.js';
import type { Io } from './io.js';

export const BASH_SCRIPT = `# mapsdiff completion for bash: eval "$(mapsdiff completion bash)" (e.g. in ~/.bashrc)
_mapsdiff() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  COMPREPLY=( $(compgen -W "$(mapsdiff __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur") )
}
complete -o default -F _mapsdiff mapsdiff
`;

const SNAPSHOT_COMMANDS = new Set(['compare', 'show', 'rm', 'report', 'trend']);
const TARGET_COMMANDS = new Set(['capture', 'watch']);

export function complete(words: string[], io: Io, commands: { command: string; builder: unknown }[]): string[] {
  const cur = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const names = commands.map((c) => c.command.split(' ')[0]!);
  const cmd = before.find((w) => names.includes(w) || w === 'help' || w === 'completion');
  const globals = ['--store', '--color', '--no-color', '--help', '--version'];
  if (!cmd) return cur.startsWith('-') ? globals : [...names, 'help', 'completion'];
  if (cmd === 'help') return names;
  if (cmd === 'completion') return ['bash'];
  const mod = commands.find((c) => c.command.split(' ')[0] === cmd)!;
  const prev = before[before.length - 1];
  if (prev === '--target') return targets(io, cmd);
  if (cur.startsWith('-')) {
    const y = yargs([]) as Argv;
    (mod.builder as (y: Argv) => Argv)(y);
    const keys = Object.keys((y as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
    return [...keys.filter((k) => k.length > 1 && !/[A-Z]/.test(k) && k !== 'help' && k !== 'version').map((k) => `--${k}`), ...globals];
  }
  if (TARGET_COMMANDS.has(cmd)) return knownTargetNames({ cwd: io.cwd, env: io.env });
  if (SNAPSHOT_COMMANDS.has(cmd)) return snapshots(io, before);
  return [];
}

function storeOf(io: Io, words: string[]): SnapshotStore {
  const i = words.indexOf('--store');
  return new SnapshotStore(locateStore(i >= 0 ? words[i + 1] : undefined, io.env, io.cwd).dir);
}

function snapshots(io: Io, words: string[]): string[] {
  try {
    const metas = storeOf(io, words).list();
    const targets = [...new Set(metas.map((m) => m.target))];
    return [...metas.map((m) => m.name), 'latest', 'latest~1', ...targets.map((t) => `${t}:latest`)];
  } catch {
    return [];
  }
}

function targets(io: Io, cmd: string): string[] {
  if (TARGET_COMMANDS.has(cmd)) return knownTargetNames({ cwd: io.cwd, env: io.env });
  try {
    return [...new Set(storeOf(io, []).list().map((m) => m.target))];
  } catch {
    return [];
  }
}
