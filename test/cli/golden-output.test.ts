/*! Golden outputs: `compare` (text, --all --sort address, --json, --raw) and `show` (text,
 * --json, --csv) of real fixtures and of generated captures (bench/gen-maps.ts), byte for byte
 * against test/golden/, so that making these commands faster cannot change what they print.
 * The golden files are written by this same test: MAPSDIFF_UPDATE_GOLDEN=1 rewrites them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generate, grow, render } from '../../bench/gen-maps.js';
import { fixturePath, repoRoot } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

const goldenDir = path.join(repoRoot, 'test', 'golden');
const update = process.env.MAPSDIFF_UPDATE_GOLDEN === '1';

/** The store directory and import times differ from run to run: replaced by fixed words. */
const stable = (text: string, store: string): string =>
  text.split(store).join('STORE').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, 'TIME');

async function imported(store: string, file: string, name: string, target: string, pid: number): Promise<void> {
  const r = await mapsdiff(['import', file, '--pid', String(pid), '--target', target, '--name', name], { store });
  assert.equal(r.code, 0, `import ${file}: ${r.stderr}`);
}

/** Runs one command and checks (or, when updating, writes) its stdout and exit code. */
async function golden(store: string, file: string, args: string[]): Promise<void> {
  const r = await mapsdiff(args, { store });
  assert.doesNotMatch(r.stderr, /internal error|RangeError/, `${args.join(' ')}: ${r.stderr}`);
  const got = `exit ${r.code}\n${stable(r.stdout, store)}`;
  const where = path.join(goldenDir, file);
  if (update) {
    fs.mkdirSync(goldenDir, { recursive: true });
    fs.writeFileSync(where, got);
    return;
  }
  assert.ok(fs.existsSync(where), `${where} is missing: run this test with MAPSDIFF_UPDATE_GOLDEN=1 on the code whose output is right`);
  assert.ok(got === fs.readFileSync(where, 'utf8'), `mapsdiff ${args.join(' ')} printed something else than ${where}`);
}

const SHOWS: [string, string[]][] = [['text', []], ['json', ['--json']], ['csv', ['--csv']]];
const COMPARES: [string, string[]][] = [['text', []], ['all-address', ['--all', '--sort', 'address']], ['json', ['--json']], ['raw', ['--raw']]];

test('golden: show and compare of real fixtures print what they printed before (x86-64 [vsyscall] at 0xffffffffff600000 included)', async () => {
  const store = tempStore();
  try {
    const maps = (f: string) => fixturePath(path.join('maps', f));
    await imported(store, maps('x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps'), 'fish', 'pc', 5);
    await imported(store, maps('armv7-glibc-remarkable2-xochitl-qt.maps'), 'rm2', 'rm2', 9);
    await imported(store, maps('arm-uclibc-tenda-ac15-httpd-noaslr.maps'), 'tenda0', 'tenda', 3);
    await imported(store, maps('arm-uclibc-tenda-ac15-httpd-emux-qemu-emulated.maps'), 'tenda1', 'tenda', 3);
    for (const name of ['fish', 'rm2', 'tenda0']) {
      for (const [fmt, extra] of SHOWS) await golden(store, `show-${name}.${fmt}`, ['show', name, ...extra]);
    }
    for (const [fmt, extra] of COMPARES) await golden(store, `compare-tenda.${fmt}`, ['compare', 'tenda0', 'tenda1', ...extra]);
    for (const cap of ['qemu-armhf-virt-leaker-steady', 'qemu-mipsel-malta-leaker-steady']) {
      const r = await mapsdiff(['import', fixturePath(path.join('captures', `${cap}.capture`)), '--target', 'qemu', '--name', cap], { store });
      assert.equal(r.code, 0, r.stderr);
    }
    for (const [fmt, extra] of SHOWS) await golden(store, `show-qemu-armhf.${fmt}`, ['show', 'qemu-armhf-virt-leaker-steady', ...extra]);
    for (const [fmt, extra] of COMPARES) {
      await golden(store, `compare-qemu.${fmt}`, ['compare', 'qemu-armhf-virt-leaker-steady', 'qemu-mipsel-malta-leaker-steady', '--force', ...extra]);
    }
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('golden: compare of x86-64 fish (its [vsyscall] at 0xffffffffff600000, above 2^53, left out as the kernel page it is) with its heap grown prints what it printed before', async () => {
  const store = tempStore();
  try {
    const file = fixturePath(path.join('maps', 'x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps'));
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^ffffffffff600000-ffffffffff601000 .*\[vsyscall\]$/m);
    // the same dump with its [heap] 132 KiB higher (the next mapping is far above it)
    const grown = text.replace(/^([0-9a-f]+)-([0-9a-f]+)( .*\[heap\])$/m, (_, s: string, e: string, rest: string) =>
      `${s}-${(BigInt('0x' + e) + 0x21000n).toString(16)}${rest}`);
    assert.notEqual(grown, text);
    const after = path.join(store, 'fish-grown.maps');
    fs.writeFileSync(after, grown);
    await imported(store, file, 'fish0', 'pc', 5);
    await imported(store, after, 'fish1', 'pc', 5);
    for (const [fmt, extra] of COMPARES) await golden(store, `compare-fish.${fmt}`, ['compare', 'fish0', 'fish1', ...extra]);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('golden: show and compare of generated 1500-VMA captures print what they printed before', async () => {
  const store = tempStore();
  try {
    const a = generate(1500, 1);
    const b = grow(a, 2);
    for (const [i, v] of [a, b].entries()) {
      const f = path.join(store, `gen${i}.maps`);
      fs.writeFileSync(f, render(v));
      await imported(store, f, `gen${i}`, 'gen', 42);
    }
    for (const [fmt, extra] of SHOWS) await golden(store, `show-gen.${fmt}`, ['show', 'gen0', ...extra]);
    for (const [fmt, extra] of COMPARES) await golden(store, `compare-gen.${fmt}`, ['compare', 'gen0', 'gen1', ...extra]);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});
