/*! V8's young generation kept at its size for one piece of work (issue 15): the commands whose
 * working set survives scavenges (a series, a compare of big captures) grew it to its cap. */
import v8 from 'node:v8';

/** The factor a process started with these was given, else V8's default, 2: node applies
 * NODE_OPTIONS first and its command line after, so a factor on the command line wins. */
export function factorStartedWith(nodeOptions: string | undefined, execArgv: readonly string[]): number {
  return growthFactorSet([...(nodeOptions ?? '').split(/\s+/), ...execArgv]) ?? 2;
}

/** This process's, read once. */
const STARTED_WITH = factorStartedWith(process.env.NODE_OPTIONS, process.execArgv);

/** Runs `fn` with V8's young generation kept at the size it has (issue 15). V8 doubles the young
 * generation (up to 2 x 16 MiB) each time the bytes that survived its scavenges since it last grew
 * add up to its size: a series has one capture's working set (~150 KB) live at every scavenge, so a
 * long one grew it to its cap (10,000 captures: +24 MiB of peak RSS over 1,000), though what it keeps
 * of each capture is ~200 B. `--semi-space-growth-factor` is read at each growth (V8's
 * heap/new-spaces.cc SemiSpaceNewSpace::Grow: the new size is factor x the old), so 1 keeps the size
 * from here on; the factor node was started with (else V8's default, 2) is put back after (for a process that goes on: the tests, `serve`).
 * `compare` of two 100k-VMA captures runs under it too: its young generation grew to 2 x 16 MiB
 * while the two reports were built (most of what survives a scavenge there lives on), ~16 MiB of
 * its peak RSS for no fewer collections of the old generation. Node's docs call changing a V8 flag
 * at run time unsupported; this works on Node 20 (V8 11.3), and a flag V8 no longer reads is inert. */
export function withYoungGenerationKept<T>(fn: () => T): T {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return fn();
  } finally {
    v8.setFlagsFromString(`--semi-space-growth-factor=${STARTED_WITH}`);
  }
}

/** The `--semi-space-growth-factor` node was started with (V8 reads the last one given; `-` and
 * `_` alike), if any: the value to put back, as V8 has no call to read a flag's value. */
export function growthFactorSet(args: readonly string[]): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--semi[-_]space[-_]growth[-_]factor(?:=(.*))?$/.exec(args[i]!);
    if (!m) continue;
    const v = Number(m[1] ?? args[i + 1]);
    if (Number.isSafeInteger(v) && v >= 1) found = v;
  }
  return found;
}
