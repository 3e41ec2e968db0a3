/*! Reading an index line without JSON.parse when it is, byte for byte, a line seen before with
 * only the snapshot's own fields changed (its file and name, capturedAt, startedAt): the lines one
 * target's captures leave in the index. A template is made of a record JSON.parse read whose meta
 * passed the checks: the text JSON.stringify writes of it, kept in pieces around those fields. A
 * later line that is those pieces with new values between them, each value one that JSON writes
 * without an escape (a name of the store's letters, a time as `Date.toISOString` writes it), is the
 * line JSON.stringify would write of the template's meta with those values: JSON.parse would give
 * just that meta. The line is checked by one regular expression made of the template (no string
 * is cut to check it), its times are kept as numbers (`timeCode`, no string a time), and its meta is
 * made only when asked for (`metaOf`). Anything else is parsed as before. Pure. */
import type { SnapshotMeta } from '../model/snapshot.js';
import { NAME } from './names.js';

/** The fields a template leaves open, as they appear (escaped) in the template's text. */
const SLOT = { f: '\u0000f', name: '\u0000n', capturedAt: '\u0000c', startedAt: '\u0000s' } as const;
type Slot = keyof typeof SLOT;
const SLOTS = Object.keys(SLOT) as Slot[];
const JSON_EXT = '.json';

export interface Template {
  /** The text between the open fields: pieces[0], a value, pieces[1], ... pieces[slots.length]. */
  pieces: string[];
  slots: Slot[];
  meta: SnapshotMeta;
  /** Sticky: the template's text with a value of its kind in each open field, up to a newline. */
  line: RegExp;
  /** Where the pieces before each open field end, from the line's start, less the values before it. */
  before: number[];
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
  const slots = at.map((a) => a.slot);
  const before: number[] = [];
  let source = '';
  let len = 0;
  for (let k = 0; k < slots.length; k++) {
    len += pieces[k]!.length;
    before.push(len);
    source += escape(pieces[k]!) + VALUE[slots[k]!];
  }
  source += escape(pieces[slots.length]!) + '(?=\\n)';
  // f is the first field of every line (`{"f":...`): its group is the one the name repeats
  if (slots[0] !== 'f') return null;
  return { pieces, slots, meta, line: new RegExp(source, 'y'), before };
}

/** A time as `Date.toISOString` writes it (2026-01-31T12:00:00.000Z), JSON writes unescaped and
 * Date.parse reads as a number (metaProblem's test): every date it matches parses (V8 takes a 31st
 * in any month; test/store/index-template.test.ts walks every month, day and bound), so Date.parse
 * is not called a line. Other times (fewer or more digits of a second...) are parsed. */
const ISO = '[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z';
export const ISO_TIME = new RegExp(`^${ISO}$`);
/** The length of such a time. */
const TIME_LEN = 24;

/** Each open field's value in a template's expression: a name of NAME's letters (names.ts), its
 * file that name and `.json`, the name after it the same one; a time as above. */
const VALUE: Record<Slot, string> = {
  f: `(${NAME.source.slice(1, -1)})\\.json`,
  name: '\\1',
  capturedAt: ISO,
  startedAt: ISO,
};

const escape = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** Where a line read through a template holds its values: text[fAt, fEnd) its file (NAME.json),
 * cAt its capturedAt, sAt its startedAt (-1: the template has none), each TIME_LEN long. */
export interface Match { fAt: number; fEnd: number; cAt: number; sAt: number }

export const newMatch = (): Match => ({ fAt: -1, fEnd: -1, cAt: -1, sAt: -1 });

/** True when the line text[start, end) (text[end] a newline) is `t`'s text with other values in
 * its open fields, its file NAME.json of the name it holds and its times as `Date.toISOString`
 * writes them (ISO_TIME's): where they are is put in `m`. Nothing is cut here:
 * the caller keeps what it needs as values of their own, not slices that would keep the whole of
 * `text` alive. The line's meta is then metaOf(t, its file, its times). */
export function matchTemplate(text: string, start: number, end: number, t: Template, m: Match): boolean {
  t.line.lastIndex = start;
  if (!t.line.test(text) || t.line.lastIndex !== end) return false;
  // f is first, at before[0]; the name is its letters up to the `.json"` the expression matched
  const fAt = start + t.before[0]!;
  const fEnd = text.indexOf('"', fAt);
  const n = fEnd - fAt - JSON_EXT.length;
  m.fAt = fAt;
  m.fEnd = fEnd;
  m.sAt = -1;
  let values = 0;
  const { slots, before } = t;
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k];
    const at = start + before[k]! + values;
    if (slot === 'f') values += n + JSON_EXT.length;
    else if (slot === 'name') values += n;
    else {
      if (slot === 'capturedAt') m.cAt = at;
      else m.sAt = at;
      values += TIME_LEN;
    }
  }
  return true;
}

/** A time as `Date.toISOString` writes it, text[at, at + 24), as one number: its fields in mixed
 * radix (year, month, day, hour, minute, second, millisecond). Two such times are in the same
 * order as numbers as their texts are as strings (each field is fixed-width digits), and
 * timeText gives the text back. */
export function timeCode(text: string, at: number): number {
  const d = (i: number) => text.charCodeAt(at + i) - 48;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6) - 1;
  const day = d(8) * 10 + d(9) - 1;
  const hour = d(11) * 10 + d(12);
  const minute = d(14) * 10 + d(15);
  const second = d(17) * 10 + d(18);
  const ms = d(20) * 100 + d(21) * 10 + d(22);
  return ((((((year * 12 + month) * 31 + day) * 24 + hour) * 60 + minute) * 60 + second) * 1000) + ms;
}

/** The text of a timeCode, as one flat string: made of its 24 characters at once (a template
 * literal of its parts made a rope of ~10 strings, ~300 B of heap a time where the text is 40 B;
 * `trend` over 20,000 captures holds one a capture: issue 15, its peak RSS growing with the series). */
export function timeText(code: number): string {
  const take = (radix: number) => { const v = code % radix; code = (code - v) / radix; return v; };
  const ms = take(1000);
  const second = take(60);
  const minute = take(60);
  const hour = take(24);
  const day = take(31) + 1;
  const month = take(12) + 1;
  const y = code;
  const d = (v: number) => 48 + (v % 10);
  const t = (v: number) => 48 + Math.floor(v / 10);
  return String.fromCharCode(
    48 + Math.floor(y / 1000), d(Math.floor(y / 100)), d(Math.floor(y / 10)), d(y), 45,
    t(month), d(month), 45, t(day), d(day), 84,
    t(hour), d(hour), 58, t(minute), d(minute), 58, t(second), d(second), 46,
    48 + Math.floor(ms / 100), d(Math.floor(ms / 10)), d(ms), 90);
}

/** The meta of a line `t` matched, with its file `f`'s name and its times: what JSON.parse of the line gives. */
export function metaOf(t: Template, f: string, capturedAt: string, startedAt: string | undefined): SnapshotMeta {
  const meta = { ...t.meta, name: f.slice(0, -JSON_EXT.length), capturedAt };
  if (startedAt !== undefined) meta.startedAt = startedAt;
  return meta;
}
