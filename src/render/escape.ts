/*! Text from a board or a server is untrusted: control characters, escape sequences and
 * bidi overrides in a path, a process name or a prompt must not reach the terminal, a
 * spreadsheet or a JSON reader unescaped. Every printer goes through here: text, CSV, the
 * raw diff, prompts and error messages through escapeForTerminal, CSV cells through csvCell,
 * JSON through toJson. */

// C0 controls, DEL, C1 controls (ESC, CSI U+009B...), the line/paragraph separators, and the
// bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069: "Trojan Source" reordering)
// plus the marks that steer them (U+200E/200F, U+061C)
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** Each unsafe character as \xNN (up to U+00FF) or \uNNNN; everything else as is. Idempotent. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) <= 0xff ? '\\x' + hex(c, 2) : '\\u' + hex(c, 4)));
}

/** For HTML and SVG text and attribute values: control characters as \xNN (invalid in XML), then the five markup characters. */
export function escapeXml(text: string): string {
  return escapeForTerminal(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One CSV cell: controls escaped; text that a spreadsheet would run as a formula (starting
 * with = + - @, tab or CR: OWASP's CSV injection rule) gets a leading '; RFC 4180 quoting. */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  let s = /^[=+\-@\t\r]/.test(v) ? "'" + v : v;
  s = escapeForTerminal(s);
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// what JSON.stringify leaves raw that a terminal or a viewer acts on: DEL, C1, separators, bidi
const UNSAFE_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify, then the characters above as \u escapes (they occur only inside strings, so the value read back is the same). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_JSON, (c) => '\\u' + hex(c, 4));
}
