/*! `mapsdiff completion zsh|fish` run in the real shells (.ci/install-shells.sh): the
 * completions each shell offers after its own filtering, for commands, options, option
 * choices, snapshot names and target names (bash's own test is in ergonomics.test.ts). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { binPath, fixture, nodeFlags } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

let dir = '';
let env: NodeJS.ProcessEnv = {};

before(async () => {
  dir = tempStore();
  fs.mkdirSync(`${dir}/bin`);
  fs.writeFileSync(`${dir}/bin/mapsdiff`, `#!/bin/sh\nexec "${process.execPath}" ${nodeFlags.join(' ')} "${binPath}" "$@"\n`, { mode: 0o755 });
  fs.mkdirSync(`${dir}/home/.ssh`, { recursive: true });
  fs.writeFileSync(`${dir}/home/.ssh/config`, 'Host gateway-lab\n  HostName 127.0.0.1\n');
  fs.mkdirSync(`${dir}/work/targets`, { recursive: true });
  fs.writeFileSync(`${dir}/work/targets/rack7.json`, '{"host": "127.0.0.1"}\n');
  const imp = await mapsdiff(['import', '-', '--pid', '1', '--target', 'ac15', '--name', 'before-soak'], { store: `${dir}/work/.mapsdiff`, input: fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps') });
  assert.equal(imp.code, 0, imp.stderr);
  env = { PATH: `${dir}/bin:${process.env.PATH}`, HOME: `${dir}/home`, NO_COLOR: '1', TERM: 'dumb' };
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What fish offers for the line typed so far (`complete -C`), with the script sourced. */
function fish(line: string): string[] {
  const out = execFileSync('fish', ['--no-config', '-c', 'mapsdiff completion fish | source; complete -C "$LINE"'],
    { cwd: `${dir}/work`, encoding: 'utf8', env: { ...env, LINE: line }, timeout: 30_000 });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!).sort();
}

/** What zsh offers for the line typed so far and a Tab, in an interactive zsh on a pty (zsh/zpty):
 * compadd is wrapped so the matches it would add (after zsh's own filtering, -O) are printed. */
function zsh(line: string): string[] {
  const script = `
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; autoload -U compinit; compinit -u -D; eval \\"\\$(mapsdiff completion zsh)\\""
zpty -w z 'compadd () { local -a m; builtin compadd -O m "$@"; print -l -- "" "@@$((1+1))" $m "@@$((2+1))" >/dev/tty }'
zpty -w -n z "$LINE"$'\\t'
zpty -r -m z out '*@@3*'
print -r -- "$out"
zpty -d z
`;
  const out = execFileSync('zsh', ['-f', '-c', script], { cwd: `${dir}/work`, encoding: 'utf8', env: { ...env, LINE: line }, timeout: 30_000 });
  const lines = out.replace(/\r/g, '').split('\n');
  // the last block between the markers (a first one may come from an earlier compadd call)
  const end = lines.lastIndexOf('@@3');
  const start = lines.lastIndexOf('@@2', end);
  assert.ok(start >= 0 && end > start, `zsh printed no matches for ${line}:\n${out}`);
  return lines.slice(start + 1, end).filter(Boolean).sort();
}

test('fish completion, run in a real fish: commands, options, choices, snapshot names, target names', () => {
  assert.deepEqual(fish('mapsdiff com'), ['compare', 'completion']);
  assert.deepEqual(fish('mapsdiff compare --min'), ['--min-delta']);
  assert.deepEqual(fish('mapsdiff completion '), ['bash', 'fish', 'zsh']);
  assert.deepEqual(fish('mapsdiff show --sort r'), ['rss']);
  assert.deepEqual(fish('mapsdiff show be'), ['before-soak'], 'snapshot names from the store found from the cwd');
  assert.deepEqual(fish('mapsdiff capture gat'), ['gateway-lab'], 'a ~/.ssh/config alias');
  assert.deepEqual(fish('mapsdiff capture rac'), ['rack7'], 'a targets/*.json name');
  assert.deepEqual(fish('mapsdiff trend --target a'), ['ac15'], 'targets in the store');
});

test('zsh completion, run in a real zsh on a pty: commands, options, choices, snapshot names, target names', () => {
  assert.deepEqual(zsh('mapsdiff com'), ['compare', 'completion']);
  assert.deepEqual(zsh('mapsdiff compare --min'), ['--min-delta']);
  assert.deepEqual(zsh('mapsdiff completion '), ['bash', 'fish', 'zsh']);
  assert.deepEqual(zsh('mapsdiff show --sort r'), ['rss']);
  assert.deepEqual(zsh('mapsdiff show be'), ['before-soak'], 'snapshot names from the store found from the cwd');
  assert.deepEqual(zsh('mapsdiff capture gat'), ['gateway-lab'], 'a ~/.ssh/config alias');
  assert.deepEqual(zsh('mapsdiff capture rac'), ['rack7'], 'a targets/*.json name');
  assert.deepEqual(zsh('mapsdiff trend --target a'), ['ac15'], 'targets in the store');
});

test('completion for an unknown shell is a usage error naming the shells', async () => {
  const r = await mapsdiff(['completion', 'tcsh']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /completion takes one shell: mapsdiff completion bash\|zsh\|fish/);
});
