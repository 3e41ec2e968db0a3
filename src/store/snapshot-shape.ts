/*! The types a stored snapshot must have before anything uses it: every field of the meta
 * and of each raw section that mapsdiff reads is checked, and the first that is wrong is
 * named (`meta.target is a number, not a string`). Fields it does not know pass untouched,
 * so a newer mapsdiff can add some. Pure: values in, a sentence or nothing out. */

const STATUSES = ['ok', 'missing', 'gone', 'denied'];
const VIAS = ['local', 'ssh', 'import', 'console'];

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
