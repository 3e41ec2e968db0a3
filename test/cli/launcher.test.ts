/*! bin/mapsdiff.js runs the bundle (dist/bundle/main.js, scripts/bundle.mjs) when there is one,
 * except in a checkout (tsconfig.json beside bin/) where it is older than the tsc output it was
 * made from (dist/src/cli/main.js): a tsc-only build since, so dist/src runs. An installed
 * package (no tsconfig.json; npm unpacks dist/bundle before dist/src) runs the bundle. Checked
 * on a copy of the launcher beside two stand-in builds that say which one ran. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binPath, nodeFlags, tempDir } from '../helpers.js';

/** A launcher copy beside two stand-in builds (the temp dir goes when the test process exits). */
function layout(checkout = true): { bin: string; bundle: string; src: string } {
  const dir = tempDir('mapsdiff-launcher-');
  const bin = path.join(dir, 'bin', 'mapsdiff.js');
  const bundle = path.join(dir, 'dist', 'bundle', 'main.js');
  const src = path.join(dir, 'dist', 'src', 'cli', 'main.js');
  for (const f of [bin, bundle, src]) fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.copyFileSync(binPath, bin);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  if (checkout) fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{}\n');
  for (const [f, which] of [[bundle, 'bundle'], [src, 'src']] as const) {
    fs.writeFileSync(f, `export async function main(argv, io) { io.stdout.write(${JSON.stringify(which)} + '\\n'); return 0; }\n`);
  }
  return { bin, bundle, src };
}

const ran = (bin: string) => execFileSync(process.execPath, [...nodeFlags, bin, 'list'], { encoding: 'utf8' }).trim();
const setMtime = (f: string, seconds: number) => fs.utimesSync(f, seconds, seconds);

test('in a checkout the launcher runs the bundle when it is newer than dist/src, or as new', () => {
  const { bin, bundle, src } = layout();
  setMtime(src, 1_000_000);
  setMtime(bundle, 1_000_100);
  assert.equal(ran(bin), 'bundle');
  setMtime(bundle, 1_000_000);
  assert.equal(ran(bin), 'bundle');
});

test('a bundle older than dist/src (a tsc-only build since) is stale: the launcher runs dist/src', () => {
  const { bin, bundle, src } = layout();
  setMtime(bundle, 1_000_000);
  setMtime(src, 1_000_100);
  assert.equal(ran(bin), 'src');
});

test('no bundle at all (built by tsc alone): the launcher runs dist/src, in a checkout or not', () => {
  for (const checkout of [true, false]) {
    const { bin, bundle } = layout(checkout);
    fs.rmSync(bundle);
    assert.equal(ran(bin), 'src');
  }
});

test('regression: an installed package runs its bundle even though npm unpacked dist/src after it', () => {
  const { bin, bundle, src } = layout(false);
  setMtime(bundle, 1_000_000);
  setMtime(src, 1_000_001);
  assert.equal(ran(bin), 'bundle');
});
