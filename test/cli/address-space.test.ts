/*! Issue 10 §1 and §3 through the CLI, on imported dumps: every command says which ceiling
 * it used and why (ceilingSource in show, compare and trend JSON), trend takes --ceiling,
 * a replaced library is listed at the same size, --fail-over looks at the measure that grew. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixturePath } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

const dirs: string[] = [];
const temp = () => { const d = tempStore(); dirs.push(d); return d; };
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const line = (s: number, e: number, perms: string, path = '', inode = 0, dev = '00:00') =>
  `${s.toString(16).padStart(8, '0')}-${e.toString(16).padStart(8, '0')} ${perms} 00000000 ${dev} ${inode} ${path}`;
const app = (libInode: number, arenaRw: number) => [
  line(0x10000, 0x11000, 'r-xp', '/bin/app', 7, 'b3:01'),
  line(0x20000, 0x21000, 'rw-p', '/bin/app', 7, 'b3:01'),
  line(0xb5e00000, 0xb5e00000 + arenaRw, 'rw-p'), line(0xb5e00000 + arenaRw, 0xb5f00000, '---p'),
  line(0xb6f00000, 0xb6f40000, 'r-xp', '/lib/libz.so.1', libInode, 'b3:01'),
  line(0xbec00000, 0xbec21000, 'rw-p', '[stack]'),
  line(0xbed00000, 0xbed01000, 'r-xp', '[sigpage]'),
  line(0xffff0000, 0xffff1000, 'r-xp', '[vectors]'),
].join('\n') + '\n';

async function importPair(a: string, b: string): Promise<string> {
  const store = temp();
  const dir = temp();
  fs.writeFileSync(path.join(dir, 'a.maps'), a);
  fs.writeFileSync(path.join(dir, 'b.maps'), b);
  for (const f of ['a.maps', 'b.maps']) {
    const r = await mapsdiff(['import', path.join(dir, f), '--target', 'board', '--pid', '5'], { store });
    assert.equal(r.code, 0, r.stderr);
  }
  return store;
}

test('a library replaced under the same path at the same size (new inode) is listed by compare by default', async () => {
  const store = await importPair(app(100, 0x21000), app(200, 0x21000));
  const text = await mapsdiff(['compare'], { store });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /same \(replaced\)\s+code\s.*\/lib\/libz\.so\.1/);
  const j = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
  assert.deepEqual(j.processes[0].regions.map((r: { note?: string; path: string }) => `${r.note} ${r.path}`), ['replaced /lib/libz.so.1']);
});

test('--fail-over trips on a malloc arena growing into its own reserve: +768 KiB of usable memory, VSZ +0 B', async () => {
  const store = await importPair(app(100, 0x21000), app(100, 0xe1000));
  const r = await mapsdiff(['compare', '--fail-over', '512K'], { store });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /app \(pid 5\) grew by 768 KiB, over --fail-over 512 KiB \(in usable memory; VSZ 0 B: it grew into its own reserve\)/);
  assert.equal((await mapsdiff(['compare', '--fail-over', '1M'], { store })).code, 0);
});

test('show, compare and trend say which ceiling they used and why; trend takes --ceiling', async () => {
  const store = await importPair(app(100, 0x21000), app(100, 0x41000));
  const show = JSON.parse((await mapsdiff(['show', '--json'], { store })).stdout);
  assert.equal(show.processes[0].ceiling, '0xbf000000');
  assert.equal(show.processes[0].ceilingSource, 'ARM 3G/1G: stack at 0xbec00000');
  const text = (await mapsdiff(['show'], { store })).stdout;
  assert.match(text, /user space up to 0xbf000000 \(ARM 3G\/1G: stack at 0xbec00000\)/);
  // /bin/app, the arena heap, libz, [stack] and [sigpage]; not the [vectors] gate area
  assert.equal(show.processes[0].totals.vsz, 0x2000 + 0x100000 + 0x40000 + 0x21000 + 0x1000);
  assert.equal(show.processes[0].totals.kernel, 0x1000);
  assert.match(text, /^user memory 1\.4 MiB \(the kernel's pages, 4 KiB, left out\) by kind: /m);
  const cmp = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
  assert.equal(cmp.processes[0].ceilingSource, 'ARM 3G/1G: stack at 0xbec00000');
  const trend = JSON.parse((await mapsdiff(['trend', 'board', '--json'], { store })).stdout);
  assert.equal(trend.processes[0].ceiling, '0xbf000000');
  assert.equal(trend.processes[0].ceilingSource, 'ARM 3G/1G: stack at 0xbec00000');
  const set = JSON.parse((await mapsdiff(['trend', 'board', '--json', '--ceiling', '0xc0000000'], { store })).stdout);
  assert.equal(set.processes[0].ceiling, '0xc0000000');
  assert.equal(set.processes[0].ceilingSource, '--ceiling');
  assert.equal(set.processes[0].headroom.largestGap, 0xc0000000 - 0xbed01000 > 0xb5e00000 - 0x21000 ? 0xc0000000 - 0xbed01000 : 0xb5e00000 - 0x21000);
});

test('a bare dump with no evidence keeps the 0x80000000 default and says so', async () => {
  const store = temp();
  assert.equal((await mapsdiff(['import', fixturePath('maps/arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps')], { store })).code, 0);
  const show = JSON.parse((await mapsdiff(['show', '--json'], { store })).stdout);
  assert.equal(show.processes[0].ceiling, '0x80000000');
  assert.match(show.processes[0].ceilingSource, /^default: /);
});

// Regression tests for issue 15: addresses are exact numbers; a value a double cannot hold is refused.

test('regression: --ceiling 0xffffffffffffffff (above 2^53, not page-aligned: a double cannot hold it) is refused with exit 2; 0xfffffffffffff000 is taken', async () => {
  const store = await importPair(app(100, 0x21000), app(100, 0x21000));
  for (const args of [['show'], ['compare'], ['trend', 'board']]) {
    const r = await mapsdiff([...args, '--ceiling', '0xffffffffffffffff'], { store });
    assert.equal(r.code, 2, `${args[0]}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /--ceiling 0xffffffffffffffff is above 2\^53 and not page-aligned, so mapsdiff cannot hold it exactly; give a page-aligned address/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
  const ok = JSON.parse((await mapsdiff(['show', '--json', '--ceiling', '0xfffffffffffff000'], { store })).stdout);
  assert.equal(ok.processes[0].ceiling, '0xfffffffffffff000');
});

test('regression: import of a hand-edited maps line whose address a double cannot hold (ffffffffff600001) fails with exit 2 naming the line; --lenient skips and reports it', async () => {
  const dir = temp();
  const file = path.join(dir, 'edited.maps');
  fs.writeFileSync(file, app(100, 0x21000) + 'ffffffffff600001-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n');
  const store = temp();
  const r = await mapsdiff(['import', file, '--target', 'board', '--pid', '5'], { store });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /:9: .*the start address 0xffffffffff600001 is above 2\^53 and not page-aligned, so mapsdiff cannot hold it exactly; the kernel prints every address and offset page-aligned/);
  const lenient = await mapsdiff(['import', file, '--target', 'board', '--pid', '5', '--lenient'], { store });
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(lenient.stderr, /--lenient: skipped 1 malformed line\(s\):\n  .*edited\.maps, pid 5 maps:9: ffffffffff600001-ffffffffff601000 /);
});
