/*! Files a user already has: a bare maps dump (plus optional meminfo and `ulimit -s`),
 * or one file in the collector's own capture format. Text is kept verbatim. */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { RawCapture, RawSection } from '../model/capture.js';
import { parseCaptureText } from '../parse/capture.js';
import { fromLatin1, textOf } from './bytes.js';
import { hasSums, parseCheckedText } from '../parse/capture-checked.js';
import { latin1Digest } from './sums.js';

export interface ImportOptions {
  meminfo?: string;
  ulimitS?: string;
  pid: number;
  cwd: string;
}

export const CAPTURE_HEADER = 'mapsdiff-capture ';

export function readImport(file: string, opts: ImportOptions): RawCapture {
  const read = readBytes(file, 'maps file', opts.cwd);
  const bytes = read[0] === 0xef && read[1] === 0xbb && read[2] === 0xbf ? read.subarray(3) : read; // an editor's BOM
  if (bytes.subarray(0, CAPTURE_HEADER.length).toString('latin1') === CAPTURE_HEADER) {
    if (opts.meminfo || opts.ulimitS) {
      throw new UsageError(`${file} is a whole capture (it starts with '${CAPTURE_HEADER.trim()}'); it carries its own meminfo and ulimit -s, so drop --meminfo and --ulimit-s`);
    }
    return consoleLog(bytes.toString('latin1'), file) ?? fromLatin1(parseCaptureText(bytes.toString('latin1'), file)); // byte for byte, then decoded
  }
  const log = consoleLog(bytes.toString('latin1'), file);
  if (log) return log;
  const sections: RawSection[] = [{ name: 'maps', pid: opts.pid, status: 'ok', ...textOf(bytes) }];
  if (opts.meminfo) sections.push({ name: 'meminfo', status: 'ok', ...textOf(readBytes(opts.meminfo, '--meminfo file', opts.cwd)) });
  if (opts.ulimitS !== undefined) sections.push({ name: 'ulimit-s', status: 'ok', text: opts.ulimitS.trim() + '\n' });
  return { sections };
}

/** A terminal log of `mapsdiff script` (prompts, echo, kernel messages, CRLF around it): the
 * checked capture in it, every section's sum verified; null when the file holds none. */
function consoleLog(text: string, file: string): RawCapture | null {
  const m = /(?:^|\n)(?:> )*mapsdiff-capture 2 ([A-Za-z0-9_.@=+-]{6,64})\r?\n/.exec(text);
  if (!m) return null;
  // a terminal turns every newline into CR LF (onlcr): taking one CR before each LF away undoes it exactly
  const body = text.slice(m.index + m[0].indexOf('mapsdiff-capture')).replaceAll('\r\n', '\n');
  if (!hasSums(body, m[1]!)) return null;
  return fromLatin1(parseCheckedText(body, m[1]!, file, latin1Digest, { requireEnd: true }).raw);
}

function readBytes(file: string, what: string, cwd: string): Buffer {
  try {
    return file === '-' ? fs.readFileSync(0) : fs.readFileSync(path.resolve(cwd, file)); // `-` is stdin, as for cat
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new UsageError(`cannot read the ${what} ${JSON.stringify(file)}: ${why}`);
  }
}
