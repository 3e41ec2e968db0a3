/*! `mapsdiff report` (one, two, three snapshots) and `show --map` run as a user would: the files written and what is
 * said about them, the refusals (exit 2), and the map bar with and without colors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixturePath } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

const TENDA = fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');

test('report: one snapshot to HTML and SVG, sizes said', async () => {
  const store = tempStore();
  assert.equal((await mapsdiff(['import', TENDA, '--name', 'ac15', '--pid', '4388'], { store })).code, 0);
  const r = await mapsdiff(['report', 'ac15', '-o', 'r.html', '--svg', 'r.svg'], { store, cwd: store });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wrote report r\.html \(\d+(\.\d)? KiB\)\nwrote picture r\.svg \(\d+(\.\d)? KiB\)\n$/);
  const html = fs.readFileSync(path.join(store, 'r.html'), 'utf8');
  assert.ok(html.startsWith('<!doctype html>'));
  assert.match(html, /<h2>pid 4388 httpd /);
  assert.equal(html.match(/<rect [^>]*data-kind=/g)!.length, 66, '60 VMAs and 6 gaps');
  assert.ok(fs.readFileSync(path.join(store, 'r.svg'), 'utf8').startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
});

test('report: two snapshots compared, three as a series (not as one --svg); an output is required', async () => {
  const store = tempStore();
  await mapsdiff(['import', TENDA, '--name', 'a'], { store });
  await mapsdiff(['import', TENDA, '--name', 'b'], { store });
  const two = await mapsdiff(['report', 'a', 'b', '-o', 'c.html', '--svg', 'c.svg'], { store, cwd: store });
  assert.equal(two.code, 0, two.stderr);
  const html = fs.readFileSync(path.join(store, 'c.html'), 'utf8');
  assert.match(html, /0 grown, 0 new, 0 gone, 0 shrunk, 60 unchanged/);
  assert.match(fs.readFileSync(path.join(store, 'c.svg'), 'utf8'), />a -&#62; b  imported  pid 0 httpd</);
  await mapsdiff(['import', TENDA, '--name', 'c'], { store });
  const three = await mapsdiff(['report', 'a', 'b', 'c', '-o', 's.html'], { store, cwd: store });
  assert.equal(three.code, 0, three.stderr);
  assert.match(fs.readFileSync(path.join(store, 's.html'), 'utf8'), /<h1>mapsdiff: imported, 3 captures<\/h1>/);
  const byTarget = await mapsdiff(['report', 'imported', '-o', 't.html'], { store, cwd: store }); // a target: all its captures
  assert.equal(byTarget.code, 0, byTarget.stderr);
  assert.match(fs.readFileSync(path.join(store, 't.html'), 'utf8'), /<h1>mapsdiff: imported, 3 captures<\/h1>/);
  const svg3 = await mapsdiff(['report', 'a', 'b', 'c', '--svg', 'x.svg'], { store, cwd: store });
  assert.equal(svg3.code, 2);
  assert.match(svg3.stderr, /--svg draws one snapshot or two compared; for a series write the HTML report \(-o\)/);
  const none = await mapsdiff(['report', 'a'], { store, cwd: store });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /say where to write: -o report.html and\/or --svg picture.svg/);
  const pid = await mapsdiff(['report', 'a', '--pid', '99', '-o', 'x.html'], { store, cwd: store });
  assert.equal(pid.code, 2);
  assert.match(pid.stderr, /snapshot a has no pid 99/);
  assert.equal(fs.existsSync(path.join(store, 'x.html')), false);
});

test('show --map: plain letters with NO_COLOR, kleur colors with --color; not with --json', async () => {
  const store = tempStore();
  await mapsdiff(['import', TENDA, '--name', 'ac15'], { store });
  const plain = await mapsdiff(['show', 'ac15', '--map'], { store });
  assert.equal(plain.code, 0, plain.stderr);
  // the stack at 0xbefdf000 is inside the (raised) ceiling: the 3 GiB of gaps take their cells
  assert.match(plain.stdout, /^00000000 \.\.\.\.CCCCCCCC\.\.\.\.\.dddHHHHH\.+CCCmm\.\.m/m);
  assert.match(plain.stdout, /user space up to 0xbf000000 \(raised from the default 0x80000000: stack at 0xbefdf000\)/);
  assert.match(plain.stdout, /^legend: C code 2.4 MiB {3}r rodata 20 KiB/m);
  assert.doesNotMatch(plain.stdout, /\u001b/);
  const color = await mapsdiff(['show', 'ac15', '--map', '--color'], { store });
  assert.match(color.stdout, /\u001b\[34mCCCCCCCC\u001b\[39m/);
  const both = await mapsdiff(['show', 'ac15', '--map', '--json'], { store });
  assert.equal(both.code, 2);
});
