/*! Field ergonomics (issue 16) through the built CLI: exit codes, help, "did you mean",
 * `-` for stdin/stdout, colour, targets in the store. Each test names the habit it pins. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fixture } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

test('a number option given a word is a usage error naming the option and what it takes, not NaN', async () => {
  const store = tempStore();
  try {
    const cases: [string[], RegExp][] = [
      [['watch', 'local', '--pid', '1', '--every', '1s', '--count', 'abc'], /--count takes a whole number of captures \(1 or more\), and got "abc"/],
      [['watch', 'local', '--pid', '1', '--every', '1s', '--count', '0'], /--count takes a whole number of captures \(1 or more\), and got "0"/],
      [['watch', 'local', '--pid', '1', '--every', '1s', '--retries', '2.5'], /--retries takes a whole number of retries \(0 or more\), and got "2.5"/],
      [['watch', 'local', '--pid', '1', '--every', 'x'], /--every "x" is not a duration/],
      [['capture', 'local', '--all', '--concurrency', '-1'], /--concurrency takes a whole number of targets captured at once \(1 or more\), and got "-1"/],
      [['compare', '--min-delta', '12Q'], /--min-delta "12Q" is not a size/],
      [['demo', '--wait', 'soon'], /--wait takes a number of seconds/],
      [['watch', 'local', '--pid', '1', '--every', '1s', '--count'], /Not enough arguments following: count/],
    ];
    for (const [args, message] of cases) {
      const r = await mapsdiff(args, { store });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /NaN|internal error|\n\s+at /, args.join(' '));
    }
    assert.equal(fs.readdirSync(store).filter((f) => f !== '.mapsdiff').length, 0, 'nothing was captured');
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('the top-level help lists every exit code, including trend --fail-on-leak, compare --fail-over and 130', async () => {
  const r = await mapsdiff(['--help']);
  assert.equal(r.code, 0, r.stderr);
  const codes = r.stdout.slice(r.stdout.indexOf('Exit codes:'));
  for (const c of ['0', '1', '2', '3', '130']) assert.match(codes, new RegExp(`^  ${c} +\\S`, 'm'), `exit code ${c}`);
  assert.match(codes, /trend --fail-on-leak/);
  assert.match(codes, /compare --fail-over/);
  assert.match(codes, /130 +interrupted \(Ctrl-C\)/);
});

test('-h is --help and -V is --version, at the top and for a command', async () => {
  const h = await mapsdiff(['-h']);
  assert.equal(h.code, 0, h.stderr);
  assert.equal(h.stdout, (await mapsdiff(['--help'])).stdout);
  const v = await mapsdiff(['-V']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  const ch = await mapsdiff(['compare', '-h']);
  assert.equal(ch.code, 0, ch.stderr);
  assert.match(ch.stdout, /^mapsdiff compare \[a\] \[b\]/);
});

test('mapsdiff help CMD prints the help of CMD, as CMD --help does', async () => {
  const a = await mapsdiff(['help', 'trend']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, (await mapsdiff(['trend', '--help'])).stdout);
  assert.match(a.stdout, /--fail-on-leak/);
  const top = await mapsdiff(['help']);
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /Exit codes:/);
});

test('a mistyped command or option: did you mean the nearest one', async () => {
  const cmd = await mapsdiff(['comapre']);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /Did you mean compare\?/);
  const opt = await mapsdiff(['compare', '--min-detla', '4K']);
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /unknown option --min-detla; did you mean --min-delta\?/);
  assert.doesNotMatch(opt.stderr, /minDetla/, 'the camelCase twin yargs adds is not shown');
  const glob = await mapsdiff(['--stroe', '/tmp', 'list']);
  assert.equal(glob.code, 2);
  assert.match(glob.stderr, /unknown option --stroe; did you mean --store\?/);
});

test('every command\'s --help shows examples', async () => {
  for (const cmd of ['demo', 'capture', 'compare', 'import', 'list', 'show', 'rm', 'report', 'trend', 'watch']) {
    const r = await mapsdiff([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`\\nExamples:\\n  mapsdiff ${cmd}|\\nExamples:\\n  .*\\| mapsdiff ${cmd}`), cmd);
  }
});

test('a mistyped target: the message lists the nearest target files and ~/.ssh/config aliases', async () => {
  const dir = tempStore();
  try {
    const home = `${dir}/home`;
    fs.mkdirSync(`${home}/.ssh`, { recursive: true });
    fs.mkdirSync(`${dir}/work/targets`, { recursive: true });
    fs.writeFileSync(`${home}/.ssh/config`, 'Host gateway-lab gateway-lab2\n  HostName 127.0.0.1\nHost *.corp\n  User x\n');
    fs.writeFileSync(`${dir}/work/targets/camera1.json`, JSON.stringify({ host: '127.0.0.1' }));
    const env = { HOME: home, XDG_CONFIG_HOME: `${home}/.config` };
    const alias = await mapsdiff(['capture', 'gatway-lab', '--all'], { store: `${dir}/s`, cwd: `${dir}/work`, env });
    assert.equal(alias.code, 2, alias.stderr);
    assert.match(alias.stderr, /unknown target "gatway-lab".* Did you mean gateway-lab or gateway-lab2\?\n/);
    const file = await mapsdiff(['capture', 'camrea1', '--all'], { store: `${dir}/s`, cwd: `${dir}/work`, env });
    assert.equal(file.code, 2, file.stderr);
    assert.match(file.stderr, /Did you mean camera1\?\n/);
    const none = await mapsdiff(['capture', 'zzzzzz', '--all'], { store: `${dir}/s`, cwd: `${dir}/work`, env });
    assert.equal(none.code, 2);
    assert.doesNotMatch(none.stderr, /did you mean/i, 'nothing near: no suggestion');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('- is stdin for import, stdout for report -o and --svg', async () => {
  const store = tempStore();
  try {
    const maps = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
    for (const name of ['a', 'b']) {
      const imp = await mapsdiff(['import', '-', '--pid', '4388', '--target', 'ac15', '--name', name], { store, input: maps });
      assert.equal(imp.code, 0, imp.stderr);
      assert.equal(imp.stdout, `${name}\n`);
    }
    const list = await mapsdiff(['list', '--json'], { store });
    assert.equal(JSON.parse(list.stdout).snapshots[0].from, 'stdin');
    const show = await mapsdiff(['show', 'a', '--json'], { store });
    assert.equal(JSON.parse(show.stdout).processes[0].vmas.length, 60, 'every line of stdin was read');
    const html = await mapsdiff(['report', 'a', 'b', '-o', '-'], { store });
    assert.equal(html.code, 0, html.stderr);
    assert.match(html.stdout, /^<!DOCTYPE html>/i);
    assert.match(html.stdout, /<\/html>\s*$/);
    const svg = await mapsdiff(['report', 'a', '--svg', '-', '-o', `${store}/r.html`], { store });
    assert.equal(svg.code, 0, svg.stderr);
    assert.match(svg.stdout, /^<svg[^]*<\/svg>\s*$/, 'stdout carries the picture only');
    assert.match(svg.stderr, /wrote report .*r\.html/, 'the note about the other file goes to stderr');
    const both = await mapsdiff(['report', 'a', '--svg', '-', '-o', '-'], { store });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /both write to stdout/);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('colour: NO_COLOR counts only when non-empty; FORCE_COLOR and CLICOLOR_FORCE force it; TERM=dumb and --no-color turn it off', async () => {
  const store = tempStore();
  try {
    const imp = await mapsdiff(['import', '-', '--pid', '4388', '--name', 'a'], { store, input: fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps') });
    assert.equal(imp.code, 0, imp.stderr);
    const painted = async (env: NodeJS.ProcessEnv, extra: string[] = []) => {
      const r = await mapsdiff(['show', 'a', '--map', ...extra], { store, env: { NO_COLOR: undefined, FORCE_COLOR: undefined, CLICOLOR_FORCE: undefined, TERM: 'xterm', ...env } });
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.includes('\x1b[');
    };
    assert.equal(await painted({}), false, 'stdout is a pipe: no colour');
    assert.equal(await painted({ FORCE_COLOR: '1' }), true, 'FORCE_COLOR=1');
    assert.equal(await painted({ FORCE_COLOR: '0' }), false, 'FORCE_COLOR=0 (Node: off)');
    assert.equal(await painted({ CLICOLOR_FORCE: '1' }), true, 'CLICOLOR_FORCE=1');
    assert.equal(await painted({ CLICOLOR_FORCE: '0' }), false, 'CLICOLOR_FORCE=0 does not force');
    assert.equal(await painted({ NO_COLOR: '' }, ['--color']), true, '--color, NO_COLOR empty');
    assert.equal(await painted({ NO_COLOR: '1' }, ['--color']), true, '--color wins over NO_COLOR');
    assert.equal(await painted({ FORCE_COLOR: '1' }, ['--no-color']), false, '--no-color wins over FORCE_COLOR');
    assert.equal(await painted({ FORCE_COLOR: '1', NO_COLOR: '1' }), true, 'FORCE_COLOR wins over NO_COLOR, as in Node');
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('targets in the store: --target T for list, compare, trend, report, rm; T:REF names; list says where the store is; a new store is announced', async () => {
  const dir = tempStore();
  const store = `${dir}/new-store`;
  try {
    const maps = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
    const first = await mapsdiff(['import', '-', '--pid', '1', '--target', 'ac15', '--name', 'a'], { store, input: maps });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, `mapsdiff: created the store ${store}\n`);
    for (const [t, n] of [['ac15', 'b'], ['cam', 'c'], ['cam', 'd']]) {
      const r = await mapsdiff(['import', '-', '--pid', '1', '--target', t!, '--name', n!], { store, input: maps });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '', 'said once, when the store was made');
    }
    const list = await mapsdiff(['list', '--target', 'ac15'], { store });
    assert.equal(list.stdout.split('\n')[0], `store: ${store}`);
    assert.deepEqual(list.stdout.split('\n').slice(2, -1).map((l) => l.split(/\s+/)[0]), ['a', 'b']);
    // the latest target is cam; --target ac15 compares ac15's two newest
    const cmp = await mapsdiff(['compare', '--target', 'ac15'], { store });
    assert.equal(cmp.code, 0, cmp.stderr);
    assert.match(cmp.stdout, /^compare a -> b  target ac15/);
    const q = await mapsdiff(['compare', 'ac15:latest~1', 'ac15:latest'], { store });
    assert.match(q.stdout, /^compare a -> b /);
    const two = await mapsdiff(['compare', 'ac15:latest', 'cam:latest'], { store });
    assert.equal(two.stdout.split('\n')[0], 'note: b is a capture of ac15 and d of cam: two different targets');
    const trend = await mapsdiff(['trend', '--target', 'ac15'], { store });
    assert.equal(trend.code, 0, trend.stderr);
    assert.match(trend.stdout, /^trend of ac15: 2 capture\(s\) a\.\.b/);
    const rep = await mapsdiff(['report', '--target', 'cam', '-o', '-'], { store });
    assert.equal(rep.code, 0, rep.stderr);
    assert.match(rep.stdout, /^<!doctype html>/i);
    const far = await mapsdiff(['show', 'ac15:latest~5'], { store });
    assert.equal(far.code, 2);
    assert.match(far.stderr, /target ac15: latest~5 goes back 5 but it has only 2 snapshot\(s\): a, b/);
    const none = await mapsdiff(['show', 'nosuch:latest'], { store });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no snapshot of target "nosuch".*captures of: ac15, cam/);
    const rm = await mapsdiff(['rm', '--target', 'ac15', 'latest'], { store });
    assert.equal(rm.stdout, 'removed b\n', 'the newest of ac15, not the newest of all (d)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('show: "limit unlimited" and "limit unknown" are told apart; a stack over its limit is "over", not "near"', async () => {
  const store = tempStore();
  try {
    const maps = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps'); // its [stack] is 132 KiB
    const shown = async (name: string, extra: string[]) => {
      const imp = await mapsdiff(['import', '-', '--pid', '1', '--name', name, ...extra], { store, input: maps });
      assert.equal(imp.code, 0, imp.stderr);
      const r = await mapsdiff(['show', name], { store });
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    assert.match(await shown('unl', ['--ulimit-s', 'unlimited']), /^stack 132 KiB \(limit unlimited, from ulimit -s\)/m);
    assert.match(await shown('unk', []), /^stack 132 KiB \(limit unknown: no limits or ulimit -s captured\)/m);
    const over = await shown('over', ['--ulimit-s', '64']);
    assert.match(over, /the main stack is 132 KiB, over its 64 KiB limit/);
    assert.doesNotMatch(over, /near its/);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('bash completion, run in a real bash: commands, options, snapshot names, target names', async () => {
  const { execFileSync } = await import('node:child_process');
  const { binPath, nodeFlags } = await import('../helpers.js');
  const dir = tempStore();
  try {
    fs.mkdirSync(`${dir}/bin`);
    fs.writeFileSync(`${dir}/bin/mapsdiff`, `#!/bin/sh\nexec "${process.execPath}" ${nodeFlags.join(' ')} "${binPath}" "$@"\n`, { mode: 0o755 });
    fs.mkdirSync(`${dir}/home/.ssh`, { recursive: true });
    fs.writeFileSync(`${dir}/home/.ssh/config`, 'Host gateway-lab\n  HostName 127.0.0.1\n');
    fs.mkdirSync(`${dir}/work`);
    const store = `${dir}/work/.mapsdiff`;
    const imp = await mapsdiff(['import', '-', '--pid', '1', '--target', 'ac15', '--name', 'before-soak'], { store, input: fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps') });
    assert.equal(imp.code, 0, imp.stderr);
    const script = (await mapsdiff(['completion', 'bash'])).stdout;
    const complete = (...words: string[]) => execFileSync('bash', ['--norc', '-c',
      `eval "$SCRIPT"; COMP_WORDS=(mapsdiff ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _mapsdiff; printf '%s\\n' "\${COMPREPLY[@]}"`],
    { cwd: `${dir}/work`, encoding: 'utf8', env: { PATH: `${dir}/bin:${process.env.PATH}`, HOME: `${dir}/home`, SCRIPT: script, NO_COLOR: '1' } }).split('\n').filter(Boolean);
    assert.deepEqual(complete('com'), ['compare', 'completion']);
    assert.deepEqual(complete('compare', '--min'), ['--min-delta']);
    assert.deepEqual(complete('show', 'be'), ['before-soak'], 'snapshot names from the store found from the cwd');
    assert.deepEqual(complete('capture', 'gat'), ['gateway-lab'], 'a ~/.ssh/config alias');
    assert.deepEqual(complete('trend', '--target', 'a'), ['ac15'], 'targets in the store');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
