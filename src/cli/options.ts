/*! Checks what the user typed, with no I/O: sizes, hex addresses, pids, selections.
 * Every refusal names the option and shows the expected form. */
import { UsageError } from '../errors.js';
import type { Selection } from '../collect/source.js';
import { hexExact } from '../parse/maps-scan.js';

/** The one help text of every --ceiling (show, compare, trend, report, capture, watch, import). */
export const CEILING_HELP = 'top of user space for the free gaps (default: inferred per process from the capture: ' +
  'ARM 3G/1G 0xbf000000, 2G/2G 0x7f000000, 1G/3G 0x3f000000, MIPS32 0x80000000, x86-32 0xc0000000; docs/address-space.md)';

/** A hex address as an exact number (model/vma): one a double cannot hold is refused, never rounded. */
export function parseHexAddress(value: string, option: string): number {
  if (!/^(0x)?[0-9a-fA-F]{1,16}$/.test(value)) {
    throw new UsageError(`${option} ${JSON.stringify(value)} is not a hex address; write it like 0x80000000`);
  }
  const digits = value.startsWith('0x') ? value.slice(2) : value;
  const n = hexExact(digits, 0, digits.length);
  if (Number.isNaN(n)) {
    throw new UsageError(`${option} ${value} is above 2^53 and not page-aligned, so mapsdiff cannot hold it exactly; ` +
      'give a page-aligned address (a multiple of 0x1000, as the kernel prints them), e.g. 0xfffffffffffff000');
  }
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** 4096, 64K, 1.5M, 2GiB -> bytes */
export function parseSize(value: string | number, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(String(value));
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${option} ${JSON.stringify(String(value))} is not a size; write it like 4096, 64K, 1.5M or 1G`);
  return Math.round(Number(m[1]) * unit);
}

export function parsePid(value: unknown, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 4194304) {
    // yargs turns a word given to a number option into NaN: the word itself is gone by now
    const given = typeof value === 'number' && Number.isNaN(value) ? 'a value that is not a number' : JSON.stringify(value);
    throw new UsageError(`${option} takes a process id, and got ${given}; write a whole number such as 412`);
  }
  return n;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function selectionFrom(args: { pid?: unknown; process?: unknown; all?: boolean; smaps?: boolean; cmdline?: boolean }, required: boolean): Selection {
  const pids = asList(args.pid).map((p) => parsePid(p, '--pid'));
  const names = asList(args.process as string | string[] | undefined).map(String);
  for (const n of names) if (n === '' || n.includes('\n') || n.includes('\0')) throw new UsageError(`--process ${JSON.stringify(n)}: a process name is one line of text`);
  const sel: Selection = { pids, names, all: Boolean(args.all), smaps: Boolean(args.smaps) };
  if (args.cmdline) sel.cmdline = true;
  if (required && !sel.all && pids.length === 0 && names.length === 0) {
    throw new UsageError('say which processes to capture: --pid PID, --process NAME (both repeatable), or --all');
  }
  return sel;
}

/** A count the user typed (--count, --concurrency, --retries): a whole number from `min` up.
 * The option is declared without a yargs type, so a word reaches here as typed, not as NaN. */
export function parseCount(value: unknown, option: string, min: number, what: string): number {
  const text = String(value).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (Array.isArray(value) || !Number.isSafeInteger(n) || n < min) {
    const given = Array.isArray(value) ? `${value.length} values` : JSON.stringify(text);
    throw new UsageError(`${option} takes a whole number of ${what} (${min} or more), and got ${given}; write it like ${option} ${Math.max(min, 1) * 4}`);
  }
  return n;
}

/** A non-negative number of seconds (demo --wait), fractions allowed. */
export function parseSeconds(value: unknown, option: string): number {
  const text = String(value).trim();
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`${option} takes a number of seconds (0 or more), and got ${JSON.stringify(text)}; write it like ${option} 2 or ${option} 0.5`);
  return n;
}
