/*! The on-disk form of one snapshot: two JSON lines, the header with the meta (so `list`
 * reads only the first line) and the raw sections. Older versions wrote a third line of
 * parsed data that nothing read (commands parse the raw text again); it is no longer
 * written, and is ignored where present. Decoding checks the type of every field it hands
 * on and says which one is wrong. Pure: string in, string out. */
import { UsageError } from '../errors.js';
import { SNAPSHOT_FORMAT, type SnapshotMeta } from '../model/snapshot.js';
import type { RawSection } from '../model/capture.js';
import { kindOf, metaProblem, sectionsProblem } from './snapshot-shape.js';
import { scanSections, type TextReuse } from './sections-scan.js';

export interface StoredSnapshot {
  meta: SnapshotMeta;
  sections: RawSection[];
}

export function encodeSnapshot(meta: SnapshotMeta, sections: RawSection[]): string {
  return encodeHeader(meta) + '\n' + JSON.stringify(sections) + '\n';
}

/** The header line encodeSnapshot writes for `meta`. */
export const encodeHeader = (meta: SnapshotMeta): string => JSON.stringify({ format: SNAPSHOT_FORMAT, meta });

export function decodeHeader(firstLine: string, file: string): SnapshotMeta {
  if (firstLine === '') throw new UsageError(`${file} is empty, not a mapsdiff snapshot (a write that was cut short?); remove it`);
  let head: unknown;
  try {
    head = JSON.parse(firstLine);
  } catch {
    throw new UsageError(`${file} is not a mapsdiff snapshot (its first line is not JSON); remove it or move it out of the store`);
  }
  const format = typeof head === 'object' && head !== null ? (head as { format?: unknown }).format : undefined;
  if (format !== SNAPSHOT_FORMAT) {
    throw new UsageError(
      `${file} is not a ${SNAPSHOT_FORMAT} snapshot (format ${typeof format === 'string' ? JSON.stringify(format.slice(0, 40)) : kindOf(format)}); ` +
        `it may come from a newer mapsdiff: upgrade, or move it out of the store`,
    );
  }
  const meta = (head as { meta?: unknown }).meta;
  const why = metaProblem(meta);
  if (why) throw new UsageError(`${file} is a damaged snapshot: ${why}; the file was edited or cut: remove it`);
  return meta as SnapshotMeta;
}

export function decodeSnapshot(text: string, file: string): StoredSnapshot {
  const nl = text.indexOf('\n');
  const meta = decodeHeader(nl < 0 ? text : text.slice(0, nl), file);
  const nl2 = nl < 0 ? -1 : text.indexOf('\n', nl + 1);
  let sections: unknown;
  try {
    if (nl < 0) throw new Error('no line 2');
    sections = JSON.parse(text.slice(nl + 1, nl2 < 0 ? undefined : nl2));
  } catch {
    throw new UsageError(`${file}: the snapshot's sections are damaged (line 2 is not a JSON list); the file was edited or cut: remove it`);
  }
  const why = sectionsProblem(sections);
  if (why) throw new UsageError(`${file} is a damaged snapshot: ${why}; the file was edited or cut: remove it`);
  return { meta, sections: sections as RawSection[] };
}

export interface DecodeBytesOptions {
  /** The strings of the file read before (a series): a token with the same bytes is not decoded again. */
  reuse?: TextReuse;
  /** The header as the store's index knows it: a first line that is exactly its encoding is that meta (already checked). */
  known?: SnapshotMeta;
}

/** decodeSnapshot of the file's bytes (UTF-8), with the same result and the same errors; faster
 * in a series: the sections are read from the bytes (sections-scan), and only a file that is
 * not in the form mapsdiff writes is decoded whole and parsed by JSON.parse. */
export function decodeSnapshotBytes(buf: Buffer, file: string, opts: DecodeBytesOptions = {}): StoredSnapshot {
  const nl = buf.indexOf(10);
  if (nl < 0) return decodeSnapshot(buf.toString('utf8'), file);
  const line = buf.toString('utf8', 0, nl);
  const meta = opts.known && line === encodeHeader(opts.known) ? opts.known : decodeHeader(line, file);
  const nl2 = buf.indexOf(10, nl + 1);
  const sections = scanSections(buf, nl + 1, nl2 < 0 ? buf.length : nl2, opts.reuse);
  if (sections === null || sectionsProblem(sections) !== null) return decodeSnapshot(buf.toString('utf8'), file);
  return { meta, sections: sections as unknown as RawSection[] };
}
