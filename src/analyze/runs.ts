/*! Curves kept as runs of equal values (model/series Runs): appended one value per capture,
 * read back whole only while judged or drawn. Pure. */
import type { Runs } from '../model/series.js';

export const emptyRuns = <T>(): Runs<T> => ({ values: [], counts: [], length: 0 });

export function pushRun<T>(r: Runs<T>, v: T): void {
  const k = r.values.length - 1;
  if (k >= 0 && r.values[k] === v) r.counts[k]!++;
  else { r.values.push(v); r.counts.push(1); }
  r.length++;
}

/** `n` pushRun(r, v) at once. */
export function repeatRun<T>(r: Runs<T>, v: T, n: number): void {
  if (n <= 0) return;
  const k = r.values.length - 1;
  if (k >= 0 && r.values[k] === v) r.counts[k]! += n;
  else { r.values.push(v); r.counts.push(n); }
  r.length += n;
}

export function lastRun<T>(r: Runs<T>): T | undefined {
  return r.values[r.values.length - 1];
}

/** Doubles reused from one curve to the next while a series is judged: each curve read back
 * as its own Float64Array left its 160 KB (20,000 captures) outside V8's heap until a collection
 * found the array dead, which the judging of one series, allocating little else, never made
 * (a trend of 20,000 captures peaked 73-75 MiB of RSS with an array each, 70-73 with the scratch). */
export class Float64Scratch {
  private buf = new Float64Array(0);
  /** `n` doubles: the memory of the last call's, overwritten (whatever it held is gone). */
  take(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf.subarray(0, n);
  }
}

/** Every value, in order, as a Float64Array (for judging: a long curve read back is then
 * memory outside V8's heap, given back once the curve is judged, where a 20,000-value array was
 * a large object that stayed until the next full collection; the values are the same doubles).
 * `sign` -1: each value negated (consumption of a room that shrinks). Nulls must be checked for first.
 * `into`: written into that scratch's memory (valid until its next take); `zeros`: that many 0s
 * after the values (a region gone before its life's last capture ends at 0 bytes). */
export function runsAsFloat64(r: Runs<number | null>, sign: 1 | -1 = 1, into?: Float64Scratch, zeros = 0): Float64Array {
  const out = into ? into.take(r.length + zeros) : new Float64Array(r.length + zeros);
  if (zeros) out.fill(0, r.length);
  let i = 0;
  for (let k = 0; k < r.values.length; k++) {
    const v = sign * r.values[k]!;
    out.fill(v, i, i + r.counts[k]!);
    i += r.counts[k]!;
  }
  return out;
}

/** Every value, in order. */
export function expandRuns<T>(r: Runs<T>): T[] {
  const out = new Array<T>(r.length);
  let i = 0;
  for (let k = 0; k < r.values.length; k++) for (let n = r.counts[k]!, v = r.values[k]!; n > 0; n--) out[i++] = v;
  return out;
}

export const someRun = <T>(r: Runs<T>, test: (v: T) => boolean): boolean => r.values.some(test);

export const firstRun = <T>(r: Runs<T>): T | undefined => r.values[0];
