/*! Shell completion: `mapsdiff completion bash|zsh|fish` prints the script; the script asks
 * `mapsdiff __complete WORD...` (the words typed so far, the last one being completed) for
 * candidates, one per line: commands, the command's options (from the command specs,
 * cli/specs.ts), snapshot names and refs, target names. The shell filters them by what is
 * typed. Errors are swallowed: completion never prints them. */
import { locateStore } from '../store/locate.js';
import { SnapshotStore } from '../store/store.js';
import { knownTargetNames } from './target-names.js';
import type { Io } from './io.js';
import { EXTRA_COMMANDS, globalOptionSpecs, type CommandSpec } from './specs.js';

export const BASH_SCRIPT = `# mapsdiff completion for bash: eval "$(mapsdiff completion bash)" (e.g. in ~/.bashrc)
_mapsdiff() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  COMPREPLY=( $(compgen -W "$(mapsdiff __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur") )
}
complete -o default -F _mapsdiff mapsdiff
`;

export const ZSH_SCRIPT = `# mapsdiff completion for zsh: eval "$(mapsdiff completion zsh)" in ~/.zshrc, after compinit
_mapsdiff() {
  local -a c
  c=("\${(@f)$(mapsdiff __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- \${c:#}
  # an import takes a file: offer files too
  [[ \${words[2]} == import ]] && _files
  return 0
}
compdef _mapsdiff mapsdiff
`;

export const FISH_SCRIPT = `# mapsdiff completion for fish: mapsdiff completion fish | source (in ~/.config/fish/config.fish),
# or: mapsdiff completion fish > ~/.config/fish/completions/mapsdiff.fish
function __mapsdiff_complete
    set -l words (commandline -opc) (commandline -ct)
    mapsdiff __complete $words[2..-1] 2>/dev/null
end
complete -c mapsdiff -f -a '(__mapsdiff_complete)'
complete -c mapsdiff -n '__fish_seen_subcommand_from import' -F
`;

export const COMPLETION_SCRIPTS: Record<string, string> = { bash: BASH_SCRIPT, zsh: ZSH_SCRIPT, fish: FISH_SCRIPT };

const SNAPSHOT_COMMANDS = new Set(['compare', 'show', 'rm', 'report', 'trend']);
const TARGET_COMMANDS = new Set(['capture', 'watch']);

export function complete(words: string[], io: Io, commands: CommandSpec[]): string[] {
  const cur = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const names = commands.map((c) => c.name);
  const extra = EXTRA_COMMANDS.map((c) => c.name);
  const cmd = before.find((w) => names.includes(w) || extra.includes(w));
  const globals = globalOptionSpecs().flatMap((o) => (o.type === 'boolean' && o.name === 'color' ? ['--color', '--no-color'] : [`--${o.name}`]));
  if (!cmd) return cur.startsWith('-') ? globals : [...names, ...extra];
  if (cmd === 'help') return names;
  if (cmd === 'completion') return Object.keys(COMPLETION_SCRIPTS);
  const spec = commands.find((c) => c.name === cmd)!;
  const prev = before[before.length - 1];
  if (prev === '--target') return targets(io, cmd);
  const choices = spec.options.find((o) => `--${o.name}` === prev)?.choices;
  if (choices && !cur.startsWith('-')) return choices.map(String);
  if (cur.startsWith('-')) return [...spec.options.map((o) => `--${o.name}`), ...globals];
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
