/*! A generated soak test for the series report: N captures of one 32-bit process, one a
 * minute by the board's uptime, whose heap leaks 16 KiB and whose anon pool leaks 8 KiB a
 * capture while its code and stack stay put, and MemAvailable falls. Stored in-process. */
import { SnapshotStore } from '../../src/store/store.js';
import { saveCapture } from '../../src/cli/save.js';
import type { RawSection } from '../../src/model/capture.js';

const h8 = (n: number) => n.toString(16).padStart(8, '0');

export function soakMaps(i: number): string {
  const heapEnd = 0x00121000 + i * 0x4000;
  const poolEnd = 0x40011000 + i * 0x2000;
  return [
    '00010000-00011000 r-xp 00000000 b3:01 10 /usr/bin/leaker',
    '00011000-00012000 rw-p 00001000 b3:01 10 /usr/bin/leaker',
    `00100000-${h8(heapEnd)} rw-p 00000000 00:00 0 [heap]`,
    `40001000-${h8(poolEnd)} rw-p 00000000 00:00 0`,
    '7efdf000-7f000000 rw-p 00000000 00:00 0 [stack]',
  ].join('\n') + '\n';
}

/** Stores `n` captures named s0..s(n-1) of target `soak` in `dir`; returns their names. */
export function storeSoak(dir: string, n: number): string[] {
  const store = new SnapshotStore(dir);
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const sections: RawSection[] = [
      { name: 'uptime', status: 'ok', text: `${1000 + i * 60}.00 900.00\n` },
      { name: 'meminfo', status: 'ok', text: `MemTotal: 262144 kB\nMemFree: ${100000 - i * 100} kB\nMemAvailable: ${150000 - i * 100} kB\n` },
      { name: 'stat', pid: 412, status: 'ok', text: '412 (leaker) S 1 412 412 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 500 1234 100 4294967295\n' },
      { name: 'maps', pid: 412, status: 'ok', text: soakMaps(i) },
    ];
    names.push(saveCapture(store, { raw: { sections }, target: 'soak', via: 'import', source: `soak ${i}`, name: `s${i}` }).name);
  }
  return names;
}
