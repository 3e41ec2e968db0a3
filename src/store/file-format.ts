/*! The on-disk form of one snapshot: three JSON lines (header with meta, raw sections,
 * parsed data), so `list` reads only the first line. bigint values are written as
 * 0x-prefixed hex strings. Pure: string in, string out. */
import { UsageError } from '../errors.js';
import { SNAPSHOT_FORMAT, type SnapshotMeta } from '../model/snapshot.js';
import type { ParsedCapture, RawSection } from '../model/capture.js';

export interface StoredSnapshot {
  meta: SnapshotMeta;
  sections: RawSection[];
}

const hexBigints = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? '0x' + value.toString(16) : value;

export function encodeSnapshot(meta: SnapshotMeta, sections: RawSection[], parsed: ParsedCapture): string {
  return (
    JSON.stringify({ format: SNAPSHOT_FORMAT, meta }) + '\n' +
    JSON.stringify(sections) + '\n' +
    JSON.stringify(parsed, hexBigints) + '\n'
  );
}

export function decodeHeader(firstLine: string, file: string): SnapshotMeta {
  let head: { format?: unknown; meta?: SnapshotMeta };
  try {
    head = JSON.parse(firstLine);
  } catch {
    throw new UsageError(`${file} is not a mapsdiff snapshot (its first line is not JSON); move it out of the store`);
  }
  if (head.format !== SNAPSHOT_FORMAT || !head.meta || typeof head.meta.name !== 'string') {
    throw new UsageError(
      `${file} is not a ${SNAPSHOT_FORMAT} snapshot (format ${JSON.stringify(head.format)}); ` +
        `it may come from a newer mapsdiff: upgrade, or move it out of the store`,
    );
  }
  return head.meta;
}

export function decodeSnapshot(text: string, file: string): StoredSnapshot {
  const nl = text.indexOf('\n');
  const meta = decodeHeader(nl < 0 ? text : text.slice(0, nl), file);
  const nl2 = text.indexOf('\n', nl + 1);
  try {
    const sections = JSON.parse(text.slice(nl + 1, nl2 < 0 ? undefined : nl2)) as RawSection[];
    if (!Array.isArray(sections)) throw new Error('not an array');
    return { meta, sections };
  } catch {
    throw new UsageError(`${file}: the snapshot's sections are damaged (line 2 is not a JSON list); the file was edited or cut`);
  }
}
