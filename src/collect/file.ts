/*! Files a user already has: a bare maps dump (plus optional meminfo and `ulimit -s`),
 * or one file in the collector's own capture format. Text is kept verbatim. */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { RawCapture, RawSection } from '../model/capture.js';
import { parseCaptureText } from '../parse/capture.js';

export interface ImportOptions {
  meminfo?: string;
  ulimitS?: string;
  pid: number;
  cwd: string;
}

export const CAPTURE_HEADER = 'mapsdiff-capture ';

export function readImport(file: string, opts: ImportOptions): RawCapture {
  const text = readText(file, 'maps file', opts.cwd);
  if (text.startsWith(CAPTURE_HEADER)) {
    if (opts.meminfo || opts.ulimitS) {
      throw new UsageError(`${file} is a whole capture (it starts with '${CAPTURE_HEADER.trim()}'); it carries its own meminfo and ulimit -s, so drop --meminfo and --ulimit-s`);
    }
    return parseCaptureText(text, file);
  }
  const sections: RawSection[] = [{ name: 'maps', pid: opts.pid, status: 'ok', text }];
  if (opts.meminfo) sections.push({ name: 'meminfo', status: 'ok', text: readText(opts.meminfo, '--meminfo file', opts.cwd) });
  if (opts.ulimitS !== undefined) sections.push({ name: 'ulimit-s', status: 'ok', text: opts.ulimitS.trim() + '\n' });
  return { sections };
}

function readText(file: string, what: string, cwd: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new UsageError(`cannot read the ${what} ${JSON.stringify(file)}: ${why}`);
  }
}
