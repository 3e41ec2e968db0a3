/*! The types a stored snapshot must have before anything uses it: every field of the meta
 * and of each raw section that mapsdiff reads is checked, and the first that is wrong is
 * named (`meta.target is a number, not a string`). Fields it does not know pass untouched,
 * so a newer mapsdiff can add some. Pure: values in, a sentence or nothing out. */

const STATUSES = ['ok', 'missing', 'gone', 'denied'];
const VIAS = ['local', 'ssh', 'import', 'console'];
const ORIGINS = ['file', 'ssh-config', 'address'];
const SMAPS_MODES = ['rollup', 'full', 'auto'];

/** `a number`, `a list`, `null`... for "X is <what>, not Y". */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return typeof v === 'undefined' ? 'missing' : `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: string) => JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);

/** What is wrong with a header's meta, or null when every field mapsdiff reads has its type. */
export function metaProblem(meta: unknown): string | null {
  if (!isObject(meta)) return `meta is ${kindOf(meta)}, not an object`;
  for (const key of ['name', 'target', 'capturedAt'] as const) {
    if (typeof meta[key] !== 'string') return `meta.${key} is ${kindOf(meta[key])}, not a string`;
  }
  const at = meta.capturedAt as string;
  if (!Number.isFinite(Date.parse(at))) return `meta.capturedAt ${shown(at)} is not a date (ISO 8601, e.g. 2026-01-31T12:00:00.000Z)`;
  if (typeof meta.via !== 'string' || !VIAS.includes(meta.via)) return `meta.via is ${typeof meta.via === 'string' ? shown(meta.via) : kindOf(meta.via)}, not one of ${VIAS.join(', ')}`;
  if (typeof meta.lenient !== 'boolean') return `meta.lenient is ${kindOf(meta.lenient)}, not true or false`;
  if (meta.from !== undefined && typeof meta.from !== 'string') return `meta.from is ${kindOf(meta.from)}, not a string`;
  if (meta.ceiling !== undefined && (typeof meta.ceiling !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(meta.ceiling))) {
    return `meta.ceiling is ${typeof meta.ceiling === 'string' ? shown(meta.ceiling) : kindOf(meta.ceiling)}, not a hex address like 0xc0000000`;
  }
  if (!isObject(meta.tool) || typeof meta.tool.version !== 'string') return `meta.tool is ${kindOf(meta.tool)}, not {"name": "mapsdiff", "version": "..."}`;
  return optionalMetaProblem(meta);
}

const isPid = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isString = (v: unknown) => typeof v === 'string';
const oneOf = (key: string, v: unknown, all: string[]) =>
  typeof v === 'string' && all.includes(v) ? null : `meta.${key} is ${typeof v === 'string' ? shown(v) : kindOf(v)}, not one of ${all.join(', ')}`;
/** `meta.KEY is ..., not a list of WHAT` when v is not a list whose every item passes `ok`. */
function listProblem(key: string, v: unknown, ok: (x: unknown) => boolean, what: string): string | null {
  if (!Array.isArray(v)) return `meta.${key} is ${kindOf(v)}, not a list of ${what}`;
  const i = v.findIndex((x) => !ok(x));
  if (i < 0) return null;
  const bad: unknown = v[i];
  return `meta.${key} is a list holding ${typeof bad === 'number' ? bad : typeof bad === 'string' ? shown(bad) : kindOf(bad)}, not a list of ${what}`;
}

/** The fields older snapshots lack (absent passes; present, each must have its type). */
function optionalMetaProblem(meta: Record<string, unknown>): string | null {
  if (meta.startedAt !== undefined) {
    if (typeof meta.startedAt !== 'string') return `meta.startedAt is ${kindOf(meta.startedAt)}, not a string`;
    if (!Number.isFinite(Date.parse(meta.startedAt))) return `meta.startedAt ${shown(meta.startedAt)} is not a date (ISO 8601, e.g. 2026-01-31T12:00:00.000Z)`;
  }
  if (meta.cmdline !== undefined) { const why = oneOf('cmdline', meta.cmdline, ['program', 'full']); if (why) return why; }
  const sel = meta.selection;
  if (sel !== undefined) {
    if (!isObject(sel)) return `meta.selection is ${kindOf(sel)}, not an object`;
    const why = listProblem('selection.pids', sel.pids, isPid, 'pids') ?? listProblem('selection.names', sel.names, isString, 'strings');
    if (why) return why;
    if (typeof sel.all !== 'boolean') return `meta.selection.all is ${kindOf(sel.all)}, not true or false`;
  }
  if (meta.unmatched !== undefined) { const why = listProblem('unmatched', meta.unmatched, isString, 'strings'); if (why) return why; }
  const exit = meta.remoteExit;
  if (exit !== undefined) {
    if (!isObject(exit)) return `meta.remoteExit is ${kindOf(exit)}, not an object`;
    if (exit.code !== null && !Number.isSafeInteger(exit.code)) return `meta.remoteExit.code is ${kindOf(exit.code)}, not a whole number or null`;
    if (exit.signal !== undefined && exit.signal !== null && typeof exit.signal !== 'string') return `meta.remoteExit.signal is ${kindOf(exit.signal)}, not a string`;
  }
  const o = meta.targetOrigin;
  if (o !== undefined) {
    if (!isObject(o)) return `meta.targetOrigin is ${kindOf(o)}, not an object`;
    const why = oneOf('targetOrigin.kind', o.kind, ORIGINS);
    if (why) return why;
    for (const k of ['file', 'defaults'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') return `meta.targetOrigin.${k} is ${kindOf(o[k])}, not a string`;
    if (o.line !== undefined && !isPid(o.line)) return `meta.targetOrigin.line is ${kindOf(o.line)}, not a whole number`;
    if (o.shadowed !== undefined) { const w = listProblem('targetOrigin.shadowed', o.shadowed, isString, 'strings'); if (w) return w; }
  }
  const sm = meta.smaps;
  if (sm !== undefined) {
    if (!isObject(sm)) return `meta.smaps is ${kindOf(sm)}, not an object`;
    const why = oneOf('smaps.mode', sm.mode, SMAPS_MODES) ?? listProblem('smaps.read', sm.read, isPid, 'pids');
    if (why) return why;
  }
  return null;
}

/** What is wrong with the sections line, or null when it is a list of well-typed sections. */
export function sectionsProblem(sections: unknown): string | null {
  if (!Array.isArray(sections)) return `the sections (line 2) are ${kindOf(sections)}, not a list`;
  for (let i = 0; i < sections.length; i++) {
    const why = sectionProblem(sections[i] as unknown);
    if (why) return `section ${i + 1} ${why}`;
  }
  return null;
}

function sectionProblem(s: unknown): string | null {
  if (!isObject(s)) return `is ${kindOf(s)}, not an object`;
  if (typeof s.name !== 'string') return `name is ${kindOf(s.name)}, not a string`;
  if (s.pid !== undefined) {
    if (typeof s.pid !== 'number') return `pid is ${kindOf(s.pid)}, not a whole number`;
    if (!Number.isSafeInteger(s.pid) || s.pid < 0) return `pid ${s.pid} is not a whole number from 0 up`;
  }
  if (typeof s.status !== 'string' || !STATUSES.includes(s.status)) {
    return `status is ${typeof s.status === 'string' ? shown(s.status) : kindOf(s.status)}, not one of ${STATUSES.join(', ')}`;
  }
  if (typeof s.text !== 'string') return `text is ${kindOf(s.text)}, not a string`;
  if (s.bytes !== undefined && typeof s.bytes !== 'string') return `bytes is ${kindOf(s.bytes)}, not a base64 string`;
  return null;
}
