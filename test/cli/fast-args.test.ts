/*! The fast argument path (src/cli/fast-args.ts) and yargs (src/cli/yargs-cli.ts) agree: on
 * a table of argument lists, and on every option of every command given in each form the fast
 * path takes, it yields exactly the arguments yargs hands the command (keys, camelCase twins,
 * aliases, defaults, `_`, `$0`), or declines and yargs decides (its usage error, its odd
 * readings such as an array option eating the positionals after it). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastArgs } from '../../src/cli/fast-args.js';
import { parseWithYargs } from '../../src/cli/yargs-cli.js';
import { commandSpecs } from '../../src/cli/specs.js';
import { mulberry32 } from '../helpers.js';
import type { Io } from '../../src/cli/io.js';

/** The command yargs ran and its arguments, its error, or that it ran none (it printed help or the version). */
type Outcome = { command: string; args: Record<string, unknown> } | { error: string } | { ranNone: true };

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const io: Io = { stdout: sink, stderr: sink, env: {}, cwd: '/', signal: new AbortController().signal };

async function viaYargs(argv: string[]): Promise<Outcome> {
  let got: Outcome | undefined;
  try {
    await parseWithYargs(argv, io, async (command, args) => { got = { command, args }; });
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
  return got ?? { ranNone: true };
}

/** The fast path's answer must be yargs' own; returns whether the fast path took it. */
async function agree(argv: string[]): Promise<boolean> {
  const fast = fastArgs(argv);
  const slow = await viaYargs(argv);
  if (fast) assert.deepEqual(fast, slow, `fast path and yargs differ on ${JSON.stringify(argv)}`);
  return fast !== null;
}

// [argv, taken by the fast path]
const TABLE: [string[], boolean][] = [
  [['compare'], true],
  [['compare', 'a', 'b'], true],
  [['compare', 't0', 'latest~1'], true],
  [['compare', 'true', '0x10'], true],
  [['compare', '1e3', '007'], true],
  [['--store', '/tmp/s', 'compare', 'a', 'b'], true],
  [['--store=/tmp/s', '--no-color', 'compare'], true],
  [['compare', 'a', 'b', '--store', '/tmp/s', '--color'], true],
  [['compare', 'a', 'b', '--min-delta', '64K', '--sort', 'address', '--json'], true],
  [['compare', '--min-delta=64K', 'a', 'b'], true],
  [['compare', '--min-delta=-5'], true],
  [['compare', 'a', 'b', '--pid', '1', '--pid', '2', '--process', 'httpd'], true],
  [['compare', 'a', 'b', '--pid=1', '--pid=22'], true],
  [['compare', '--pid', '1', '--all', 'a', 'b'], true],
  [['compare', 'a', 'b', '--process=a=b'], true],
  [['compare', '--no-all', '--no-raw', '--force', '--by', 'rss', '--fail-over', '1M'], true],
  [['compare', '--target', 'board1', 'latest~2'], true],
  [['compare', '--ceiling', '0x80000000', '--by', 'uss'], true],
  [['show'], true],
  [['show', 't3', '--pid', '412', '--map'], true],
  [['show', 'latest', '--csv'], true],
  [['show', '--sort', 'rss', '--json'], true],
  [['list', '--json'], true],
  [['list', '--target', 'b1'], true],
  [['rm', 't0', 't1'], true],
  [['rm', '--target', 'board1', 'latest'], true],
  [['import', '-', '--pid', '3'], true],
  [['import', '--pid', '3', '-'], true],
  [['import', 'maps.txt', '--pid', '412', '--target', 'board1', '--name', 'n1', '--ulimit-s', '8192', '--lenient', '--json'], true],
  [['import', 'a.maps', '--meminfo', 'm.txt', '--ceiling', 'bf000000'], true],
  [['trend'], true],
  [['trend', 'board1'], true],
  [['trend', 'a', 'b', 'c', '--pid', '1', '--process', 'x', '--fail-on-leak', '--noise', '8K', '--warmup', '5m'], true],
  [['trend', '--since', 't3', '--json', '--target', 'b'], true],
  [['report', 't0', 't1', '-o', 'r.html'], true],
  [['report', '-o', '-', 't0'], true],
  [['report', 't0', '--svg', '-'], true],
  [['report', 't0', '--output', 'x.html', '--pid', '5'], true],
  [['report', '--output', 'x.html', '--pid', '5', 't0'], false],
  [['capture', 'local', '--pid', '12'], true],
  [['capture', 'local', 'b1', '--all', '--smaps', '--concurrency', '8', '--name', 'x'], true],
  [['capture', '--no-accept-new', 'local'], true],
  [['capture', '--accept-new', 'b1', '--ssh-client', 'openssh', '--allow-strict-host-key-checking-no', '--cmdline', '--lenient'], true],
  [['watch', 'local', '--every', '1s', '--count', '3', '--process', 'sshd'], true],
  [['watch', 'local', '--every', '1s', '--smaps', 'auto', '--smaps-every', '5', '--retries', '0', '--noise', '8K'], true],
  [['watch', 'b1', '--every', '30s', '--for', '2h', '--json'], true],
  [['script', '--pid', '1', '--all', '--smaps', '--cmdline'], true],
  [['serve'], true],
  [['serve', '--listen', '127.0.0.1:0', '--per-target', '2', '--concurrency', '4', '--trend-window', '0', '--token-file', 't'], true],
  [['export', '--format', 'csv', '-o', 'x.csv', '--since', 't1'], true],
  [['demo'], true],
  [['demo', '--wait', '5'], true],
  [['compare', '--target', '-'], true],
  [['list', '--target', '-'], true],
  [['compare', ''], true],
  [['rm', 'a b'], true],
  [['capture', 'local', '--name', ''], true],
  [['compare', '--process', ''], true],
  [['trend', '1', '2'], true],
  [['compare', 'a', '--json', 'b'], true],
  [['import', '-', '--name', 'x', '--pid', '0'], true],
  // left to yargs: its errors, and its own readings of odd forms
  [[], false],
  [['bogus'], false],
  [['compar'], false],
  [['compare', '--help'], false],
  [['compare', '-h'], false],
  [['compare', '--version'], false],
  [['compare', 'a', 'b', 'c'], false],
  [['compare', '--min-detla', '1K'], false],
  [['compare', '--minDelta', '1K'], false],
  [['compare', '--sort', 'bogus'], false],
  [['compare', '--sort', 'delta', '--sort', 'address'], false],
  [['compare', '--target'], false],
  [['compare', '--target', '--all'], false],
  [['compare', '--min-delta'], false],
  [['compare', '--min-delta', '--all'], false],
  [['compare', '--min-delta', '-'], false],
  [['compare', '--store='], false],
  [['compare', '-'], false],
  [['compare', 'a', '-'], false],
  [['compare', '--', 'a'], false],
  [['compare', '--pid', 'abc'], false],
  [['compare', '--pid', '-1'], false],
  [['compare', '--pid', '0x10'], false],
  [['compare', '--pid', '1.5'], false],
  [['compare', '--pid', '007'], false],
  [['compare', '--pid'], false],
  [['compare', '--pid', '1', 'a', 'b'], false],
  [['compare', '--pid=1', 'a'], false],
  [['compare', '--process', 'x', 'a', 'b'], false],
  [['compare', '--all', 'false'], false],
  [['compare', '--all', 'true', 'a'], false],
  [['compare', '--json=false'], false],
  [['compare', '--json=1'], false],
  [['compare', '--json', '--json'], false],
  [['compare', '--no-color', '--color'], false],
  [['--store', 'a', 'compare', '--store', 'b'], false],
  [['compare', '--no-sort'], false],
  [['compare', '--no-force', '--no-accept-new'], false],
  [['compare', '-x'], false],
  [['--json', 'list'], false],
  [['a', 'compare'], false],
  [['show', '--csv', '--json'], false],
  [['show', '--map', '--json'], false],
  [['show', 'a', 'b'], false],
  [['list', '--target', 'a', '--target', 'b'], false],
  [['rm'], false],
  [['rm', 'a', '-'], false],
  [['import'], false],
  [['import', '-', 'x'], false],
  [['import', 'a.maps', '--name', '-'], false],
  [['import', 'a.maps', '--pid', 'x'], false],
  [['capture'], false],
  [['capture', 'local', '--concurrency', 'x'], false],
  [['capture', 'local', '--concurrency', '-1'], false],
  [['capture', 'local', '--ssh-client', 'putty'], false],
  [['watch', 'local'], false],
  [['watch', 'local', '--every', '1s', '--smaps'], false],
  [['watch', 'local', '--every', '1s', '--count', '3', '--for', '1m'], false],
  [['serve', '--no-store'], false],
  [['serve', '--concurrency', 'many'], false],
  [['demo', '--wait', '0.5'], false],
  [['demo', '--wait'], false],
  [['export', '--format', 'xml'], false],
  [['report', '-o'], false],
  [['report', '-ox.html', 't0'], false],
];

test('the fast path and yargs give the same arguments on a table of command lines; the odd and the wrong ones are left to yargs', async () => {
  for (const [argv, taken] of TABLE) {
    assert.equal(await agree(argv), taken, `${JSON.stringify(argv)} ${taken ? 'should' : 'should not'} take the fast path`);
  }
});

test('every option of every command, in each form the fast path takes, parses as yargs parses it', async () => {
  let checked = 0;
  for (const spec of commandSpecs()) {
    // the positionals a command cannot go without
    const required = spec.usage.split(' ').slice(1).filter((w) => w.startsWith('<')).map(() => 'x1');
    const demanded: string[] = spec.name === 'watch' ? ['--every', '1s'] : [];
    for (const o of spec.options) {
      if (spec.name === 'watch' && o.name === 'every') continue;
      const value = o.choices ? String(o.choices[o.choices.length - 1]) : o.type === 'string' ? 'v-1' : '7';
      const forms: string[][] = o.type === 'boolean' ? [[`--${o.name}`], [`--no-${o.name}`]]
        : [[`--${o.name}`, value], [`--${o.name}=${value}`], ...(o.alias ?? []).map((a) => [`-${a}`, value])];
      for (const form of forms) {
        const argv = [spec.name, ...required, ...demanded, ...form];
        assert.ok(await agree(argv), `${JSON.stringify(argv)} should take the fast path`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} forms checked`);
});

test('on 1,500 random command lines (seeded) from the words the commands know, the fast path never differs from yargs', async () => {
  const rand = mulberry32(15);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const specs = commandSpecs();
  const values = ['a', 't0', 'latest~1', '-', '--', '', '0', '7', '007', '-1', '1.5', '0x10', 'true', 'false', 'x=y', 'delta', 'address', 'rss', 'csv', '64K', '1s', 'auto'];
  let taken = 0;
  for (let n = 0; n < 1500; n++) {
    const spec = pick(specs);
    const flags = [...spec.options.map((o) => `--${o.name}`), ...spec.options.filter((o) => o.type === 'boolean').map((o) => `--no-${o.name}`),
      ...spec.options.flatMap((o) => (o.alias ?? []).map((a) => `-${a}`)), '--store', '--color', '--no-color', '--help', '-x'];
    const argv: string[] = rand() < 0.1 ? ['--store', 's'] : [];
    argv.push(spec.name);
    for (let k = Math.floor(rand() * 6); k > 0; k--) {
      const r = rand();
      if (r < 0.45) argv.push(pick(flags));
      else if (r < 0.6) argv.push(`${pick(flags)}=${pick(values)}`);
      else argv.push(pick(values));
    }
    if (await agree(argv)) taken++;
  }
  assert.ok(taken > 150, `only ${taken} of the random lines took the fast path`);
});
