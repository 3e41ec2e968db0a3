/*! cli/young-generation: the semi-space growth factor put back after a piece of work is the one node
 * was started with, not always V8's default (last session's review: a user's own
 * `--semi-space-growth-factor` was lost after the first compare or trend in a process that goes on). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factorStartedWith, growthFactorSet } from '../../src/cli/young-generation.js';

test('regression: the growth factor node was started with is the one put back (both spellings, last one wins, bad values ignored)', () => {
  assert.equal(growthFactorSet([]), undefined, 'none given: the caller puts back V8 default, 2');
  assert.equal(growthFactorSet(['--semi-space-growth-factor=4']), 4);
  assert.equal(growthFactorSet(['--semi_space_growth_factor', '3']), 3);
  assert.equal(growthFactorSet(['--semi-space-growth-factor=4', '--max-old-space-size=100', '--semi-space-growth-factor=1']), 1, 'V8 takes the last');
  assert.equal(growthFactorSet(['--semi-space-growth-factor=x', '--semi-space-growth-factor=0']), undefined, 'not a factor V8 would take');
  assert.equal(growthFactorSet(['--semi-space-growth-factor-other=4', '-semi-space-growth-factor=4']), undefined);
});

test('the command line wins over NODE_OPTIONS, as node applies them; neither gives V8 default', () => {
  assert.equal(factorStartedWith('--semi-space-growth-factor=3', ['--semi-space-growth-factor=5']), 5);
  assert.equal(factorStartedWith('--max-old-space-size=64  --semi-space-growth-factor=3', []), 3);
  assert.equal(factorStartedWith(undefined, []), 2);
});
