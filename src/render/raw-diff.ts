/*! `compare --raw`: a unified diff of two maps texts as the board printed them, each line
 * escaped (the text is the board's). The kernel prints VMAs in address order (show_map walks
 * the VMA tree from the lowest address), so when both texts are in strictly increasing start
 * order a line can only ever match the one line of the other text with the same start: one
 * merge walk finds the longest common subsequence in linear time, where a general diff of
 * two 200k-line captures took six minutes. Other texts (hand-made, --lenient) go through
 * jsdiff, bounded. Pure. jsdiff (19 modules) is loaded on the first raw diff, not with compare. */
import { createRequire } from 'node:module';
import type { StructuredPatch, StructuredPatchHunk } from 'diff';
import { escapeForTerminal } from './escape.js';

let jsdiffModule: typeof import('diff') | undefined;
const jsdiff = (): typeof import('diff') => (jsdiffModule ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

const CONTEXT = 4; // jsdiff's default, kept from before
/** The general diff gives up past this many differing lines (its cost is lines x edits). */
const MAX_EDITS = 2000;
const NO_NEWLINE = '\\ No newline at end of file';

interface Line {
  text: string;
  /** The last line of a text that does not end in a newline. */
  open: boolean;
}
type Op = { t: ' ' | '-' | '+'; line: Line };

export function rawMapsDiff(oldName: string, newName: string, oldText: string, newText: string): string {
  const a = linesOf(oldText);
  const b = linesOf(newText);
  const sa = startsInOrder(a);
  const sb = sa && startsInOrder(b);
  let patch: StructuredPatch;
  if (sa && sb) {
    patch = { oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks: hunksOf(mergeWalk(a, b, sa, sb)) };
  } else {
    const p = jsdiff().structuredPatch(oldName, newName, oldText, newText, undefined, undefined, { maxEditLength: MAX_EDITS });
    if (!p) {
      return `--- ${oldName}\n+++ ${newName}\n(not in address order and more than ${MAX_EDITS} lines differ: ` +
        `${a.length} and ${b.length} lines; no line diff)\n`;
    }
    patch = p;
  }
  for (const h of patch.hunks) h.lines = h.lines.map((l) => (l === NO_NEWLINE ? l : l[0] + escapeForTerminal(l.slice(1))));
  return jsdiff().formatPatch(patch);
}

function linesOf(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const open = parts[parts.length - 1] !== '';
  if (!open) parts.pop();
  return parts.map((t, i) => ({ text: t, open: open && i === parts.length - 1 }));
}

/** Each line's start address (hex, leading zeros dropped, lower case), or null unless strictly increasing. */
function startsInOrder(lines: Line[]): string[] | null {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^([0-9a-fA-F]+)-/.exec(l.text);
    if (!m) return null;
    const s = m[1]!.replace(/^0+(?=.)/, '').toLowerCase();
    if (out.length && cmpHex(out[out.length - 1]!, s) >= 0) return null;
    out.push(s);
  }
  return out;
}

const cmpHex = (x: string, y: string): number => x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
const same = (x: Line, y: Line) => x.text === y.text && x.open === y.open;

/** Equal lines are kept, the lower start is removed or added, two different lines at one start
 * are both changed; in a run of changes the removed lines come first, as diff prints them. */
function mergeWalk(a: Line[], b: Line[], sa: string[], sb: string[]): Op[] {
  const ops: Op[] = [];
  let added: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i]!, b[j]!)) {
      for (const op of added) ops.push(op);
      added = [];
      ops.push({ t: ' ', line: a[i++]! });
      j++;
      continue;
    }
    const c = i >= a.length ? 1 : j >= b.length ? -1 : cmpHex(sa[i]!, sb[j]!);
    if (c <= 0) ops.push({ t: '-', line: a[i++]! });
    if (c >= 0) added.push({ t: '+', line: b[j++]! });
  }
  for (const op of added) ops.push(op);
  return ops;
}

/** Unified-diff hunks: each change with CONTEXT lines around it, changes closer than 2*CONTEXT in one hunk. */
function hunksOf(ops: Op[]): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      oldLine++;
      newLine++;
      k++;
      continue;
    }
    const from = Math.max(0, k - CONTEXT);
    const back = k - from;
    let end = k; // one past the last change of this hunk
    for (let m = k; m < ops.length; m++) {
      if (ops[m]!.t !== ' ') end = m + 1;
      else if (m - end >= 2 * CONTEXT) break;
    }
    const to = Math.min(ops.length, end + CONTEXT);
    const hunk: StructuredPatchHunk = { oldStart: oldLine - back, oldLines: 0, newStart: newLine - back, newLines: 0, lines: [] };
    for (let m = from; m < to; m++) {
      const op = ops[m]!;
      hunk.lines.push(op.t + op.line.text);
      if (op.line.open) hunk.lines.push(NO_NEWLINE);
      if (op.t !== '+') hunk.oldLines++;
      if (op.t !== '-') hunk.newLines++;
    }
    for (let m = k; m < to; m++) {
      if (ops[m]!.t !== '+') oldLine++;
      if (ops[m]!.t !== '-') newLine++;
    }
    hunks.push(hunk);
    k = to;
  }
  return hunks;
}
