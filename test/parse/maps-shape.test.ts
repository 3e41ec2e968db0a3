/*! The VMAs of a parse share one hidden class (parse/maps.ts primes each shape at load): the
 * first parse in a process included, whose first bounds are small integers and whose later ones
 * pass 2^31. In a file of its own, so that no parse before it has shaped the VMAs already.
 * (It fails with both the priming and the scanner's double-valued scratch object taken out.) */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';

test('every VMA of a parse has one hidden class, a bound past 2^31 after small ones included (the report meets one shape)', async () => {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--allow-natives-syntax');
  const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
  const text = '00008000-0000b000 r-xp 00000000 b3:01 1023       /root/pidmax\n'
    + '00010000-00011000 rw-p 00000000 00:00 0\n'
    + '7f000000-80001000 rw-p 00000000 00:00 0\n'
    + 'be800000-be821000 rw-p 00000000 00:00 0          [stack]\n';
  for (const room of [true, false]) {
    const v = parseMaps(text, { source: 'inline', room }).vmas;
    assert.equal(v.length, 4);
    for (const x of v) assert.ok(sameMap(v[0]!, x), `line ${x.line} (room ${room}) has another hidden class than line 1`);
  }
});
