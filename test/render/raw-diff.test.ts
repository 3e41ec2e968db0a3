/*! `compare --raw` diffs maps texts in address order with one merge walk (a general diff of
 * two 200k-line captures took six minutes). Checked against jsdiff on random texts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, createTwoFilesPatch } from 'diff';
import { rawMapsDiff } from '../../src/render/raw-diff.js';
import { mulberry32 } from '../helpers.js';

const rnd = mulberry32(7);
function mapsText(): string {
  const lines: string[] = [];
  for (let i = 0, a = 0, n = Math.floor(rnd() * 40); i < n; i++) {
    a += 1 + Math.floor(rnd() * 3);
    lines.push(`${a.toString(16).padStart(8, '0')}-${(a + 1).toString(16).padStart(8, '0')} rw-p 00000000 00:00 0 ${rnd() < 0.2 ? 'b' : 'a'}`);
  }
  return lines.join('\n') + (lines.length && rnd() < 0.8 ? '\n' : '');
}

test('compare --raw of address-ordered maps: the merge walk gives exactly the patch of a general diff, and it applies', () => {
  for (let n = 0; n < 3000; n++) {
    const a = mapsText();
    const b = mapsText();
    const patch = rawMapsDiff('a', 'b', a, b);
    assert.equal(patch, createTwoFilesPatch('a', 'b', a, b), JSON.stringify({ a, b }));
    assert.equal(applyPatch(a, patch), b);
  }
});

test('compare --raw of texts out of address order falls back to a general diff, and says so past its bound', () => {
  const a = '00002000-00003000 r-xp 0 0 0 /x\n00001000-00002000 rw-p 0 0 0 /y\n';
  const b = '00002000-00003000 r-xp 0 0 0 /x\n00001000-00004000 rw-p 0 0 0 /y\n';
  assert.equal(rawMapsDiff('a', 'b', a, b), createTwoFilesPatch('a', 'b', a, b));
  const many = (k: number) => Array.from({ length: 5000 }, (_, i) => `junk ${i * k}`).join('\n') + '\n';
  assert.match(rawMapsDiff('a', 'b', many(1), many(7)), /^\(not in address order and more than 2000 lines differ: 5000 and 5000 lines; no line diff\)$/m);
});

test('compare --raw escapes control characters in the board\'s lines', () => {
  const a = '00001000-00002000 rw-p 0 0 0 /x\n';
  const b = '00001000-00002000 rw-p 0 0 0 /x\x1b[2J\x07\r\u009b\u202e\n';
  const patch = rawMapsDiff('a', 'b', a, b);
  assert.match(patch, /^\+00001000-00002000 rw-p 0 0 0 \/x\\x1b\[2J\\x07\\x0d\\x9b\\u202e$/m);
});
