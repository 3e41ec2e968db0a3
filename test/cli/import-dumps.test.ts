/*! Importing real dumps as a user would (issue 10, sections 2 and 4): the process is named
 * after its main executable, an unknown pid is never shown as 0, commentary glued onto a
 * path is refused and skipped with --lenient, an empty file stores nothing, and a dump that
 * was visibly cut or filtered says so. One regression test per case. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, fixturePath } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

const PIXEL3 = fixturePath('maps/arm32-android-pixel3-app-process32-PARTIAL.maps');

/** A file in a fresh temp dir, removed with the dir after the test. */
function tempFile(t: { after: (fn: () => void) => void }, name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-dump-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('regression: a bare Android app dump is named app_process32, not the first .oat with code; show prints no pid 0', async (t) => {
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  assert.equal((await mapsdiff(['import', PIXEL3], { store })).code, 0);
  const json = await mapsdiff(['show', 't0', '--json'], { store });
  assert.equal(json.code, 0, json.stderr);
  const p = JSON.parse(json.stdout).processes[0];
  assert.equal(p.name, 'app_process32', 'boot.oat is mapped first with r-xp, but it is ART code, not the program');
  assert.equal(p.pid, null, 'the pid is unknown, not 0');
  const text = await mapsdiff(['show', 't0'], { store });
  assert.match(text.stdout, /^pid \?  app_process32 /m);
  assert.doesNotMatch(text.stdout, /pid 0/);
  const csv = (await mapsdiff(['show', 't0', '--csv'], { store })).stdout.trim().split('\n');
  assert.ok(csv[1]!.startsWith(',app_process32,'), csv[1]);
});

test('every real dump is named after its program, not the loader or a library', async (t) => {
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  const want: Record<string, string> = {
    'arm-uclibc-tenda-ac15-httpd-noaslr.maps': 'httpd',
    'armv7-glibc-remarkable2-xochitl-qt.maps': 'xochitl',
    'x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps': 'fish', // its first line is r--p: the first r-x is fish's too
    'or1k-musl-openrisc-busybox-init-8k-pages.maps': 'busybox',
    'hppa-debian-clzdi2-zero-padded-32bit.maps': 'cat',
  };
  for (const [file, name] of Object.entries(want)) {
    const imp = await mapsdiff(['import', fixturePath(`maps/${file}`), '--json'], { store });
    assert.equal(imp.code, 0, imp.stderr);
    const snap = JSON.parse(imp.stdout).snapshot;
    const shown = JSON.parse((await mapsdiff(['show', snap, '--json'], { store })).stdout);
    assert.equal(shown.processes[0].name, name, file);
  }
});

test('regression: commentary glued onto a path (the seed, line 4) is refused; --lenient skips it and lists it', async (t) => {
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  const line4 = fixture('maps/seed-section3-glued.maps.txt').split('\n')[3]!;
  const only = tempFile(t, 'ld-line.maps', line4 + '\n');
  const strict = await mapsdiff(['import', only], { store });
  assert.equal(strict.code, 2);
  assert.match(strict.stderr, /ld-line\.maps, maps:1: commentary is glued onto the path/);
  const lenient = await mapsdiff(['import', fixturePath('maps/seed-section3-glued.maps.txt'), '--lenient', '--json'], { store });
  assert.equal(lenient.code, 0, lenient.stderr);
  const skipped: string[] = JSON.parse(lenient.stdout).skipped;
  assert.ok(skipped.some((s) => s.includes('maps:4: 2aaa8000-2aac5000 r-xp 00000000 b3:01 786621 /lib/ld-2.28.9000.so---')), skipped.join('\n'));
  assert.match(lenient.stderr, /maps:4: 2aaa8000-2aac5000/);
});

test('regression: an empty maps file is refused and stores nothing (exit 2)', async (t) => {
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  for (const [name, text] of [['empty.maps', ''], ['blank.maps', '\n\n  \n']] as const) {
    const r = await mapsdiff(['import', tempFile(t, name, text)], { store });
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')}.*no maps line`), r.stderr);
  }
  // --lenient that skips every line leaves nothing either
  const r = await mapsdiff(['import', tempFile(t, 'notes.maps', 'see the attached dump\n'), '--lenient'], { store });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no maps line/);
  assert.match((await mapsdiff(['list', '--json'], { store })).stdout, /"snapshots": \[\]/);
});

test('regression: a dump visibly cut (Kindle PARTIAL: no [stack]) or filtered (only r-xp lines) is flagged partial', async (t) => {
  const store = tempStore();
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  const tenda = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
  const grepped = tenda.split('\n').filter((l) => l.includes(' r-xp ')).join('\n') + '\n';
  const cases: Array<[string, string, string]> = [
    [fixturePath('maps/arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps'), 'no-stack', 'no \\[stack\\] line'],
    [tempFile(t, 'grepped.maps', grepped), 'one-perms', 'every line is r-xp'],
  ];
  for (const [file, reason, sentence] of cases) {
    const imp = await mapsdiff(['import', file, '--json'], { store });
    assert.equal(imp.code, 0, imp.stderr);
    const snap = JSON.parse(imp.stdout).snapshot;
    const p = JSON.parse((await mapsdiff(['show', snap, '--json'], { store })).stdout).processes[0];
    assert.deepEqual(p.findings.filter((f: { code: string }) => f.code === 'partial').map((f: { reason: string }) => f.reason), [reason], file);
    assert.match((await mapsdiff(['show', snap], { store })).stdout, new RegExp(`warning: .*${sentence}`));
  }
  // a whole dump is not flagged
  assert.equal((await mapsdiff(['import', fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps'), '--name', 'whole'], { store })).code, 0);
  const whole = JSON.parse((await mapsdiff(['show', 'whole', '--json'], { store })).stdout).processes[0];
  assert.deepEqual(whole.findings.filter((f: { code: string }) => f.code === 'partial'), []);
});
