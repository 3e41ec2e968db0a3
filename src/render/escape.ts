/*! Text from a board is untrusted: control characters and escape sequences in a path
 * or process name must not reach the terminal. Every board string shown on screen goes
 * through here. */

// C0 controls, DEL, C1 controls (includes ESC, CSI), and the line/paragraph separators
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** For HTML and SVG text and attribute values: control characters as \xNN (invalid in XML), then the five markup characters. */
export function escapeXml(text: string): string {
  return escapeForTerminal(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
