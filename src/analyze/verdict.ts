/*! One curve (a value per capture, at board-uptime seconds) -> a verdict with its evidence:
 * leak, plateau, sawtooth or stable. Pure arithmetic; warm-up and noise come in as
 * arguments, and nothing here knows what the values measure. */
import type { Confidence, CurveVerdict, Evidence } from '../model/trend.js';
import { Float64Scratch } from './runs.js';

/** Memory a series' judging reuses from curve to curve (analyze/runs Float64Scratch): each
 * curve's values, its life's times, its steps and their sorted copy (growthSpacing's median). */
export interface JudgeScratch {
  values: Float64Scratch;
  times: Float64Scratch;
  steps: Float64Scratch;
  sorted: Float64Scratch;
}

export const judgeScratch = (): JudgeScratch =>
  ({ values: new Float64Scratch(), times: new Float64Scratch(), steps: new Float64Scratch(), sorted: new Float64Scratch() });

/** Where the steady state starts: `seconds` after the process started (or after its first
 * capture when its start is unknown), or a `fraction` of the span observed. */
export type Warmup = { seconds: number } | { fraction: number };

/**
 * Index of the first steady-state point. `age0`: the process's age (s) at t[0], when known.
 * The steady state keeps at least two intervals (all there are, when fewer).
 */
export function steadyStart(t: ArrayLike<number>, warmup: Warmup, age0: number | null): number {
  const n = t.length;
  if (n < 2) return 0;
  const from = 'seconds' in warmup ? warmup.seconds - (age0 ?? 0) : warmup.fraction * (t[n - 1]! - t[0]!);
  let w = 0;
  while (w < n - 1 && t[w]! - t[0]! < from) w++;
  return Math.min(w, Math.max(0, n - 3));
}

/**
 * The verdict of a curve whose steady state starts at index w. Changes of at most `noise`
 * are noise. In the steady state:
 * - sawtooth: it grew and gave back at least half of what it grew (both beyond noise); its
 *   rate is how fast its lows rise; when four or more lows each rise beyond noise above the
 *   one before, it is a leak at that rate;
 * - leak: it grew beyond noise and has not stayed flat since for at least three intervals
 *   and twice the usual spacing of its growth steps (else plateau);
 * - plateau: also when it grew in warm-up only; stable: none of these.
 */
export function judge(t: ArrayLike<number>, v: ArrayLike<number>, w: number, noise: number, scratch?: JudgeScratch): CurveVerdict {
  const n = v.length;
  if (n < 2) return { verdict: 'stable', confidence: 'low', rate: 0, evidence: evidence(t, v, 0, 0, 0, 0, 0, 0) };
  let up = 0, down = 0, grew = 0, shrank = 0, hi = -Infinity, lo = Infinity;
  for (let i = w; i < n; i++) {
    hi = Math.max(hi, v[i]!);
    lo = Math.min(lo, v[i]!);
    if (i === n - 1) break;
    const d = v[i + 1]! - v[i]!;
    if (d > 0) up += d;
    else down -= d;
    if (d > noise) grew++;
    else if (d < -noise) shrank++;
  }
  let k = n - 1; // the flat tail: from k on the value stays within noise of the last one
  while (k > 0 && Math.abs(v[k - 1]! - v[n - 1]!) <= noise) k--;
  const flatSteps = n - 1 - k;
  const steadyRate = slope(t, v, w) * 3600;
  const ev = evidence(t, v, w, n - 1 - w, grew, shrank, steadyRate, t[n - 1]! - t[k]!);
  const intervals = n - 1 - w;
  if (hi - lo > noise && up > noise && down > noise && down >= 0.5 * up) {
    const confidence: Confidence = intervals < 3 ? 'low' : grew >= 2 && shrank >= 2 ? 'high' : 'medium';
    const lows = troughs(t, v, w);
    const rate = slope(lows.t, lows.v, 0) * 3600;
    // a leak under the sawtooth: its lows keep rising, each no lower than the last (within
    // noise), beyond noise in all; what it keeps grows at the rate of the lows
    // (four lows at least, each above the one before by more than noise: fewer, or lows that
    // only wander, are what sampling a cycle out of phase shows)
    if (lows.v.length >= 4 && lows.v.every((x, i) => i === 0 || x > lows.v[i - 1]! + noise)) {
      return { verdict: 'leak', confidence: lows.v.length >= 5 ? confidence : 'low', rate, evidence: ev };
    }
    return { verdict: 'sawtooth', confidence, rate, evidence: ev };
  }
  if (v[n - 1]! - v[w]! > noise) {
    const stoppedFor = 2 * growthSpacing(t, v, noise, scratch);
    if (flatSteps >= 3 && ev.flatFor >= stoppedFor) return plateau(t, v, k, flatSteps, ev);
    let confidence: Confidence = intervals >= 5 && grew >= 3 ? 'high' : intervals >= 3 && grew !== 1 ? 'medium' : 'low';
    if (down > 0.2 * up) confidence = confidence === 'high' ? 'medium' : 'low';
    return { verdict: 'leak', confidence, rate: steadyRate, evidence: ev };
  }
  if (v[n - 1]! - v[0]! > noise && flatSteps >= 1) return plateau(t, v, k, flatSteps, ev);
  const confidence: Confidence = intervals >= 5 ? 'high' : intervals >= 2 ? 'medium' : 'low';
  return { verdict: 'stable', confidence, rate: steadyRate, evidence: ev };
}

function plateau(t: ArrayLike<number>, v: ArrayLike<number>, k: number, flatSteps: number, ev: Evidence): CurveVerdict {
  const confidence: Confidence = flatSteps >= 5 ? 'high' : flatSteps >= 3 ? 'medium' : 'low';
  return { verdict: 'plateau', confidence, rate: slope(t, v, k) * 3600, evidence: ev };
}

/** The lows of the steady state: points no higher than their neighbours. */
function troughs(t: ArrayLike<number>, v: ArrayLike<number>, w: number): { t: number[]; v: number[] } {
  const tt: number[] = [];
  const vv: number[] = [];
  for (let i = w; i < v.length; i++) {
    if ((i === w || v[i]! <= v[i - 1]!) && (i === v.length - 1 || v[i]! <= v[i + 1]!)) {
      tt.push(t[i]!);
      vv.push(v[i]!);
    }
  }
  return { t: tt, v: vv };
}

/** Median seconds between growth steps (beyond noise); one median interval when fewer than two. */
function growthSpacing(t: ArrayLike<number>, v: ArrayLike<number>, noise: number, scratch?: JudgeScratch): number {
  const at: number[] = [];
  const n = Math.max(0, v.length - 1);
  const steps = scratch ? scratch.steps.take(n) : new Float64Array(n); // off the heap: one per capture
  for (let i = 0; i + 1 < v.length; i++) {
    steps[i] = t[i + 1]! - t[i]!;
    if (v[i + 1]! - v[i]! > noise) at.push(t[i + 1]!);
  }
  const gaps = at.length >= 2 ? at.slice(1).map((x, i) => x - at[i]!) : steps;
  return median(gaps, scratch?.sorted);
}

function median(xs: ArrayLike<number>, into?: Float64Scratch): number {
  if (xs.length === 0) return 0;
  let s: Float64Array;
  if (into) { s = into.take(xs.length); s.set(xs); } else s = Float64Array.from(xs);
  s.sort(); // a typed array sorts by value
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Least-squares slope (per second) of the points from index `from`; 0 with fewer than two. */
export function slope(t: ArrayLike<number>, v: ArrayLike<number>, from: number): number {
  const n = v.length - from;
  if (n < 2) return 0;
  let st = 0, sv = 0;
  for (let i = from; i < v.length; i++) {
    st += t[i]!;
    sv += v[i]!;
  }
  const mt = st / n, mv = sv / n;
  let num = 0, den = 0;
  for (let i = from; i < v.length; i++) {
    num += (t[i]! - mt) * (v[i]! - mv);
    den += (t[i]! - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function evidence(t: ArrayLike<number>, v: ArrayLike<number>, w: number, intervals: number, grew: number, shrank: number, steadyRate: number, flatFor: number): Evidence {
  const n = v.length;
  return {
    intervals, grew, shrank,
    warmup: n ? t[w]! - t[0]! : 0,
    first: n ? v[0]! : 0,
    steadyStart: n ? v[w]! : 0,
    last: n ? v[n - 1]! : 0,
    steadyRate,
    flatFor,
  };
}
