/*! Durations the user types (--every 30s, --for 2h, --warmup 5m): checked with no I/O;
 * a refusal names the option and shows the expected form. */
import { UsageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `200ms`, `30s`, `1.5m`, `2h`, `1d`, `1h30m`, or a bare number of seconds -> milliseconds. */
export function parseDuration(value: string | number, option: string): number {
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`${option} ${JSON.stringify(text)} is not a duration; write it like 200ms, 30s, 5m, 2h or 1h30m`);
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0));
}
