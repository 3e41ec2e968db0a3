/*! /proc/PID/smaps and smaps_rollup -> SmapsEntry[] in bytes. Pure: no I/O.
 * Each block opens with a maps line (checked by parse/maps.ts's line format) followed by
 * `Key:  N kB` fields; fields mapsdiff does not use are checked for shape and ignored. */
import { ParseError } from '../errors.js';
import type { SmapsEntry } from '../model/capture.js';
import { checkMapsLine, MAPS_EXAMPLE } from './maps.js';

const FIELD_EXAMPLE = 'Rss:                   8 kB';
const HEADER = /^[0-9a-fA-F]+-/;
const FIELD = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/;
const SIZE = /^[ \t]+([0-9]{1,15}) kB$/;
/** smaps key -> SmapsEntry field */
const USED: Readonly<Record<string, keyof SmapsEntry>> = {
  Rss: 'rss', Pss: 'pss', Private_Clean: 'privateClean', Private_Dirty: 'privateDirty',
  Shared_Clean: 'sharedClean', Shared_Dirty: 'sharedDirty', Swap: 'swap', SwapPss: 'swapPss',
};

export function parseSmaps(text: string, source: string): SmapsEntry[] {
  const out: SmapsEntry[] = [];
  const lines = text.split('\n');
  let cur: SmapsEntry | null = null;
  let prevEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') continue;
    if (HEADER.test(raw)) {
      const vma = checkMapsLine(raw, prevEnd);
      if (typeof vma === 'string') throw new ParseError(source, i + 1, raw, vma, MAPS_EXAMPLE);
      prevEnd = vma.end;
      cur = { start: vma.start, end: vma.end, rss: 0, pss: 0, privateClean: 0, privateDirty: 0, sharedClean: 0, sharedDirty: 0, swap: 0 };
      out.push(cur);
      continue;
    }
    const m = FIELD.exec(raw);
    if (!m) throw new ParseError(source, i + 1, raw, 'not an smaps line (a maps line or Key: N kB)', FIELD_EXAMPLE);
    if (!cur) throw new ParseError(source, i + 1, raw, 'a field before the first mapping line', MAPS_EXAMPLE);
    const key = USED[m[1]!];
    if (key === undefined) continue; // VmFlags, THPeligible, KernelPageSize, ...: not used
    const size = SIZE.exec(m[2]!);
    if (!size) throw new ParseError(source, i + 1, raw, `${m[1]} should be a size in kB`, FIELD_EXAMPLE);
    (cur[key] as number) = Number(size[1]) * 1024;
  }
  return out;
}

/** smaps_rollup: one block whose sizes are the process's totals. */
export function parseSmapsRollup(text: string, source: string): SmapsEntry {
  const entries = parseSmaps(text, source);
  if (entries.length !== 1) {
    throw new ParseError(source, 1, text.split('\n', 1)[0]!.replace(/\r$/, ''),
      `smaps_rollup should hold one block, found ${entries.length}`,
      '00400000-7fff3b9fe000 ---p 00000000 00:00 0        [rollup]');
  }
  return entries[0]!;
}
