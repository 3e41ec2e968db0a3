/*! Issue 9, done when: mutated snapshot FILES (wrong types, truncation, huge numbers, wrong
 * nesting, malformed section texts) through load, show, compare and trend give only
 * MapsdiffErrors, never an internal error. The suite runs a few thousand cases; `npm run
 * fuzz` runs 100,000 (test/store/snapshot-fuzz.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzSnapshots } from './snapshot-fuzz.js';

test('mutated snapshot files through load, show, compare and trend throw only typed errors', () => {
  const count = Number(process.env.MAPSDIFF_FUZZ_CASES ?? 2000);
  const r = fuzzSnapshots(count, 1);
  assert.equal(r.cases, count);
  assert.ok(r.analysed > count / 5, `a fair share reaches the analysis: ${JSON.stringify(r)}`);
  assert.ok(r.typedErrors > count / 5, `and a fair share is refused: ${JSON.stringify(r)}`);
});
