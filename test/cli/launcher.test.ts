/*! bin/mapsdiff.js runs the bundle (dist/bundle/main.js, scripts/bundle.mjs) only when it is
 * at least as new as the tsc output it was made from (dist/src/cli/main.js): after a tsc-only
 * build the bundle is stale and dist/src runs. Checked on a copy of the launcher beside two
 * stand-in builds that say which one ran; a packed package (every mtime the same) runs the bundle. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binPath, tempDir } from '../helpers.js';

/** A launcher copy beside two stand-in builds (the temp dir goes when the test process exits). */
function layout(): { bin: string; bundle: string; src: string } {
  const dir = tempDir('mapsdiff-launcher-');
  const bin = path.join(dir, 'bin', 'mapsdiff.js');
  const bundle = path.join(dir, 'dist', 'bundle', 'main.js');
  const src = path.join(dir, 'dist', 'src', 'cli', 'main.js');
  for (const f of [bin, bundle, src]) fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.copyFileSync(binPath, bin);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  for (const [f, which] of [[bundle, 'bundle'], [src, 'src']] as const) {
    fs.writeFileSync(f, `export async function main(argv, io) { io.stdout.write(${JSON.stringify(which)} + '\\n'); return 0; }\n`);
  }
  return { bin, bundle, src };
}

const ran = (bin: string) => execFileSync(process.execPath, [bin, 'list'], { encoding: 'utf8' }).trim();
const setMtime = (f: string, seconds: number) => fs.utimesSync(f, seconds, seconds);

test('the launcher runs the bundle when it is newer than dist/src, or as new (a packed package)', () => {
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

test('no bundle at all (built by tsc alone): the launcher runs dist/src', () => {
  const { bin, bundle } = layout();
  fs.rmSync(bundle);
  assert.equal(ran(bin), 'src');
});
