/*! Numbers for people: sizes in K like pmap, human sizes in KiB/MiB/GiB, addresses as
 * fixed-width hex, signed deltas. Pure. */

/** 0x-prefixed lower-case hex, as in the JSON contract. */
export const hex = (v: number): string => '0x' + v.toString(16);

/** Zero-padded hex without prefix, 8 digits on 32-bit, 16 on 64-bit (like the kernel). */
export const addr = (v: number, bits: 32 | 64): string => v.toString(16).padStart(bits === 64 ? 12 : 8, '0');

/** pmap-style size column: whole KiB with a K. */
export const kib = (bytes: number): string => `${Math.round(bytes / 1024)}K`;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1.5 MiB, 120 KiB, 4 KiB, 0 B. */
export function human(bytes: number): string {
  const neg = bytes < 0;
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const num = u === 0 || v >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v.toFixed(1).replace(/\.0$/, '');
  return `${neg ? '-' : ''}${num} ${UNITS[u]}`;
}

/** +1024K / -4K / 0K: a signed pmap-style column. */
export const signedKib = (bytes: number): string => (bytes > 0 ? '+' : '') + kib(bytes);

/** +1.5 MiB / -4 KiB / 0 B */
export const signed = (bytes: number): string => (bytes > 0 ? '+' : '') + human(bytes);

export function percent(part: number, whole: number): string {
  if (whole <= 0) return '-';
  const p = (100 * part) / whole;
  return p >= 10 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

/** 3d 4h 5m, 12m 30s, 45s: for uptimes and intervals. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${r}s`;
  return `${r}s`;
}
