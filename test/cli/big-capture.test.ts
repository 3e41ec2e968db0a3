/*! Regression: one huge capture must go through every command. `show` of a 120k-VMA
 * snapshot died with "Maximum call stack size exceeded" (a spread Math.max over every row),
 * and `import --lenient` of 200k bad lines exited 70 (push(...skipped)). The captures are
 * generated here (bench/gen-maps.ts), 200k VMAs each, and run through the built CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generate, grow, render } from '../../bench/gen-maps.js';
import { mapsdiff, tempStore, type Result } from './run.js';

const VMAS = 200_000;

function ok(r: Result, what: string): void {
  assert.doesNotMatch(r.stderr, /internal error|RangeError|Maximum call stack/, what);
  assert.equal(r.code, 0, `${what}: exit ${r.code}: ${r.stderr.slice(0, 2000)}`);
}

test('200k VMAs: import, show (text, csv, json, --map), compare (text, --raw, json), trend and report all succeed', async () => {
  const store = tempStore();
  const dir = fs.mkdtempSync(path.join(store, 'maps-'));
  try {
    const a = generate(VMAS, 1);
    const b = grow(a, 2);
    const c = grow(b, 3);
    const files = [a, b, c].map((v, i) => {
      const f = path.join(dir, `big${i}.maps`);
      fs.writeFileSync(f, render(v));
      return f;
    });
    for (const [i, f] of files.entries()) ok(await mapsdiff(['import', f, '--pid', '7', '--target', 'big', '--name', `b${i}`], { store }), `import ${f}`);

    const text = await mapsdiff(['show', 'b0'], { store });
    ok(text, 'show');
    assert.ok(text.stdout.split('\n').length > VMAS, 'one row per VMA');
    const csv = await mapsdiff(['show', 'b0', '--csv'], { store });
    ok(csv, 'show --csv');
    assert.ok(csv.stdout.split('\n').length > VMAS);
    const json = await mapsdiff(['show', 'b0', '--json'], { store });
    ok(json, 'show --json');
    assert.equal(JSON.parse(json.stdout).processes[0].vmas.length, a.length);
    ok(await mapsdiff(['show', 'b0', '--map'], { store }), 'show --map');

    const cmp = await mapsdiff(['compare', 'b0', 'b1'], { store });
    ok(cmp, 'compare');
    assert.match(cmp.stdout, /grown\s+heap/);
    const raw = await mapsdiff(['compare', 'b0', 'b1', '--raw'], { store });
    ok(raw, 'compare --raw');
    assert.match(raw.stdout, /^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    ok(await mapsdiff(['compare', 'b0', 'b1', '--json'], { store }), 'compare --json');

    ok(await mapsdiff(['trend', 'big'], { store }), 'trend');
    const tj = await mapsdiff(['trend', 'big', '--json'], { store });
    ok(tj, 'trend --json');
    assert.equal(JSON.parse(tj.stdout).series.length, 3);

    ok(await mapsdiff(['report', 'b0', '-o', path.join(dir, 'one.html')], { store }), 'report of one');
    ok(await mapsdiff(['report', 'b0', 'b1', '-o', path.join(dir, 'two.html')], { store }), 'report of two');
    ok(await mapsdiff(['report', 'big', '-o', path.join(dir, 'series.html')], { store }), 'report of a series');
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('import --lenient of 200k malformed lines stores the good ones and lists every skipped line', async () => {
  const store = tempStore();
  try {
    const file = path.join(store, 'bad.maps');
    const good = '00008000-0000b000 r-xp 00000000 b3:01 1023       /root/pidmax\n';
    fs.writeFileSync(file, good + 'this is not a maps line\n'.repeat(VMAS));
    const r = await mapsdiff(['import', file, '--lenient'], { store });
    ok(r, 'import --lenient');
    assert.match(r.stderr, new RegExp(`skipped ${VMAS} malformed line\\(s\\)`));
    const j = await mapsdiff(['show', '--json'], { store });
    ok(j, 'show of the lenient import');
    assert.equal(JSON.parse(j.stdout).processes[0].vmas.length, 1);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});
