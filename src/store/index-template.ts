/*! Reading an index line without JSON.parse when it is, byte for byte, a line seen before with
 * only the snapshot's own fields changed (its file and name, capturedAt, startedAt): the lines one
 * target's captures leave in the index. A template is made of a record JSON.parse read whose meta
 * passed the checks: the text JSON.stringify writes of it, kept in pieces around those fields. A
 * later line that is those pieces with new values between them, each value one that JSON writes
 * without an escape (a name of the store's letters, a time of digits and `-:.TZ`), is the line
 * JSON.stringify would write of the template's meta with those values: JSON.parse would give just
 * that meta, so it is made without parsing (an index of 10,000 lines, read in a fresh process:
 * 61 -> 30 ms, with the blocks decoded once). Anything else is parsed as before. Pure. */
import type { SnapshotMeta } from '../model/snapshot.js';
import { NAME } from './names.js';

/** The fields a template leaves open, as they appear (escaped) in the template's text. */
const SLOT = { f: '\u0000f', name: '\u0000n', capturedAt: '\u0000c', startedAt: '\u0000s' } as const;
type Slot = keyof typeof SLOT;
const SLOTS = Object.keys(SLOT) as Slot[];
/** How each open field's value, between its quotes, must read for the line to be taken whole: a
 * name of the store's letters (names.ts), and a time as below. */
/** A time as JSON writes it unescaped and Date.parse reads as a number (metaProblem's test):
 * every date it matches parses (V8 takes a 31st in any month; test/store/index-template.test.ts
 * walks every month, day and bound), so Date.parse is not called a line. */
export const TIME = /^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?Z$/;
const JSON_EXT = '.json';

export interface Template {
  /** The text between the open fields: pieces[0], a value, pieces[1], ... pieces[slots.length]. */
  pieces: string[];
  slots: Slot[];
  meta: SnapshotMeta;
}

/** The template of a record `{f, meta}` read from a line (meta already checked), or null when its
 * file is not NAME.json of its name. What the line looked like does not matter: a line is only ever
 * read through a template when it is the template's text with other values in its open fields. */
export function templateOf(r: { f: string; meta: SnapshotMeta }): Template | null {
  const { meta } = r;
  if (r.f !== meta.name + JSON_EXT || !NAME.test(meta.name)) return null;
  const open: Record<string, unknown> = { ...meta, name: SLOT.name, capturedAt: SLOT.capturedAt };
  if (meta.startedAt !== undefined) open.startedAt = SLOT.startedAt;
  const text = JSON.stringify({ f: SLOT.f, meta: open });
  // the open fields in the order they appear; each must appear once, as a whole string value
  const at: { slot: Slot; i: number }[] = [];
  for (const slot of SLOTS) {
    if (slot === 'startedAt' && meta.startedAt === undefined) continue;
    const mark = JSON.stringify(SLOT[slot]);
    const i = text.indexOf(mark);
    // a key spelled as a mark (a planted meta's) would be taken for the field: no template then
    if (i < 0 || text.indexOf(mark, i + 1) >= 0 || text[i + mark.length] === ':') return null;
    at.push({ slot, i });
  }
  at.sort((a, b) => a.i - b.i);
  const pieces: string[] = [];
  let from = 0;
  for (const { slot, i } of at) {
    pieces.push(text.slice(from, i + 1)); // through the value's opening quote
    from = i + JSON.stringify(SLOT[slot]).length - 1; // from its closing quote
  }
  pieces.push(text.slice(from));
  return { pieces, slots: at.map((a) => a.slot), meta };
}

/** The meta the line text[start, end) holds when it is `t`'s text with other values in its open
 * fields (its file then NAME.json of the name it holds), else null. `cut(a, b)` gives text[a, b) as
 * a string of its own (not a slice that keeps the whole of `text` alive as long as the meta lives). */
export function fromTemplate(text: string, start: number, end: number, t: Template, cut: (a: number, b: number) => string): SnapshotMeta | null {
  const { pieces, slots } = t;
  let pos = start;
  let fAt = -1;
  let fEnd = -1;
  let name: string | undefined;
  let capturedAt: string | undefined;
  let startedAt: string | undefined;
  for (let k = 0; k < slots.length; k++) {
    const piece = pieces[k]!;
    if (!text.startsWith(piece, pos)) return null;
    pos += piece.length;
    const close = text.indexOf('"', pos);
    if (close < 0 || close >= end) return null;
    const slot = slots[k];
    if (slot === 'f') { fAt = pos; fEnd = close; } // checked against the name below, never cut
    else {
      const value = cut(pos, close);
      if (slot === 'name') name = value;
      else if (slot === 'capturedAt') capturedAt = value;
      else startedAt = value;
    }
    pos = close;
  }
  const last = pieces[slots.length]!;
  if (end !== pos + last.length || !text.startsWith(last, pos)) return null;
  if (name === undefined || capturedAt === undefined || !NAME.test(name) || !TIME.test(capturedAt) || (startedAt !== undefined && !TIME.test(startedAt))) return null;
  // the file: NAME.json of that name
  if (fEnd - fAt !== name.length + JSON_EXT.length || !text.startsWith(name, fAt) || !text.startsWith(JSON_EXT, fAt + name.length)) return null;
  const meta = { ...t.meta, name, capturedAt };
  if (startedAt !== undefined) meta.startedAt = startedAt;
  return meta;
}
