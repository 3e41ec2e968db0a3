/*! The man page: man/mapsdiff.1 is what `mapsdiff __manpage` writes from the command specs
 * (regenerate with `npm run man` when a command changes), carries every command and option
 * the help does, and `man -l` renders it without a warning. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.js';
import { mapsdiff } from './run.js';

const committed = path.join(repoRoot, 'man', 'mapsdiff.1');

test('man/mapsdiff.1 is current: regenerated from the command specs it is the committed file', async () => {
  const r = await mapsdiff(['__manpage']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, fs.readFileSync(committed, 'utf8'), 'man/mapsdiff.1 is stale: run npm run man');
});

test('man -l renders the man page, with every command, its options and examples, and the exit codes', async () => {
  const groffWarnings = execFileSync('sh', ['-c', 'man -l --warnings=w "$1" 2>&1 >/dev/null', 'sh', committed], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '100' } });
  assert.equal(groffWarnings, '', 'groff warnings');
  const page = execFileSync('man', ['-l', committed], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat' } })
    .replace(/.\x08/g, ''); // overstrike bold and underline, when man formats for a terminal
  assert.match(page, /^MAPSDIFF\(1\)/);
  const help = (await mapsdiff(['--help'])).stdout;
  const commands = [...help.matchAll(/^ {2}mapsdiff (\w+)/gm)].map((m) => m[1]!);
  assert.ok(commands.length >= 10, help);
  for (const c of [...commands, 'help', 'completion']) assert.match(page, new RegExp(`^ {3}mapsdiff ${c}\\b`, 'm'), `command ${c}`);
  const compare = (await mapsdiff(['compare', '--help'])).stdout;
  for (const [, opt] of compare.matchAll(/^ {2}(--[\w-]+)/gm)) assert.ok(page.includes(opt!), `compare's ${opt}`);
  assert.match(page, /mapsdiff compare latest~1 latest --fail-over 1M/);
  assert.match(page, /^EXIT STATUS\n {7}0 +ok/m);
  assert.match(page, /^ {7}130 +interrupted \(Ctrl-C\)/m);
});
