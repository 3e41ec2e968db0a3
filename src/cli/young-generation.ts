/*! V8's young generation kept at its size for one piece of work (issue 15): the commands whose
 * working set survives scavenges (a series, a compare of big captures) grew it to its cap. */
import v8 from 'node:v8';

/** Runs `fn` with V8's young generation kept at the size it has (issue 15). V8 doubles the young
 * generation (up to 2 x 16 MiB) each time the bytes that survived its scavenges since it last grew
 * add up to its size: a series has one capture's working set (~150 KB) live at every scavenge, so a
 * long one grew it to its cap (10,000 captures: +24 MiB of peak RSS over 1,000), though what it keeps
 * of each capture is ~200 B. `--semi-space-growth-factor` is read at each growth (V8's
 * heap/new-spaces.cc SemiSpaceNewSpace::Grow: the new size is factor x the old), so 1 keeps the size
 * from here on; V8's default, 2, is put back after (for a process that goes on: the tests, `serve`).
 * `compare` of two 100k-VMA captures runs under it too: its young generation grew to 2 x 16 MiB
 * while the two reports were built (most of what survives a scavenge there lives on), ~16 MiB of
 * its peak RSS for no fewer collections of the old generation. Node's docs call changing a V8 flag
 * at run time unsupported; this works on Node 20 (V8 11.3), and a flag V8 no longer reads is inert. */
export function withYoungGenerationKept<T>(fn: () => T): T {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return fn();
  } finally {
    v8.setFlagsFromString('--semi-space-growth-factor=2');
  }
}
