/*! Opens a file of the store only when it is a regular file: never through a
 * symbolic link (O_NOFOLLOW), never waiting on a FIFO (O_NONBLOCK), checked with fstat on
 * the opened descriptor so nothing can be swapped in between. Reads are bounded. Problems
 * come back as UsageErrors naming the file. */
import fs from 'node:fs';
import { UsageError } from '../errors.js';

/** The longest first line (the header) read before giving up on a file. */
export const MAX_HEADER = 1 << 20;
/** The largest snapshot file read whole (a JavaScript string holds at most ~512 MiB). */
export const MAX_SNAPSHOT = 480 << 20;

const FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

function typeOf(st: fs.Stats | fs.BigIntStats): string {
  return st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO'
    : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
}

/** Opens `file` if it is a regular file; runs `use` on it, then closes it. */
export function withRegularFile<T>(file: string, use: (fd: number, st: fs.BigIntStats) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(file, FLAGS);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ELOOP' || e.code === 'EMLINK') throw new UsageError(`${file} is a symbolic link, not a snapshot: mapsdiff reads only regular files; remove it`);
    if (e.code === 'ENOENT') throw new UsageError(`${file} is gone (removed while mapsdiff read the store?)`);
    throw new UsageError(`${file} cannot be read (${e.code ?? e.message}); check its permissions, or remove it`);
  }
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile()) throw new UsageError(`${file} is ${typeOf(st)}, not a snapshot: mapsdiff reads only regular files; remove it`);
    return use(fd, st);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof UsageError || !e.syscall) throw err;
    throw new UsageError(`${file} cannot be read (${e.code ?? e.message}); check the disk, or remove it`);
  } finally {
    fs.closeSync(fd);
  }
}

const headBuffer = Buffer.allocUnsafe(8 * 1024); // reused: a header is a few hundred bytes, and list reads thousands

/** The first line of an open file, without its newline; at most MAX_HEADER bytes are read. */
export function readFirstLine(fd: number, file: string): string {
  const chunks: Buffer[] = [];
  const buf = headBuffer;
  for (let total = 0; ; ) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const nl = buf.subarray(0, n).indexOf(10);
    chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
    if (nl >= 0) break;
    total += n;
    if (total > MAX_HEADER) throw new UsageError(`${file} is not a mapsdiff snapshot (its first line is longer than ${MAX_HEADER >> 20} MiB); remove it`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// 16 MiB: a 100k-VMA snapshot (6 MB) is read into it too; a fresh buffer per such file cost a
// compare of two of them ~4 MB of peak RSS (malloc keeps what it freed; issue 15)
const SCRATCH_MAX = 16 << 20;
let scratch = Buffer.allocUnsafe(0);
function scratchOf(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, Math.min(SCRATCH_MAX, 2 * scratch.length), 64 * 1024));
  return scratch;
}

/** The whole of an open regular file of `size` bytes, as UTF-8. */
export function readWhole(fd: number, size: bigint, file: string): string {
  return readWholeBytes(fd, size, file).toString('utf8');
}

/** The whole of an open regular file of `size` bytes: a view of a scratch buffer that the next read reuses. */
export function readWholeBytes(fd: number, size: bigint, file: string): Buffer {
  if (size > BigInt(MAX_SNAPSHOT)) throw new UsageError(`${file} is ${size >> 20n} MiB, larger than any snapshot mapsdiff writes (${MAX_SNAPSHOT >> 20} MiB at most); remove it`);
  // a series reads thousands of files in a row: one scratch buffer (grown as needed, up to
  // SCRATCH_MAX) instead of a zero-filled allocation per file; the text is copied out of it
  const n = Number(size);
  const buf = n <= SCRATCH_MAX ? scratchOf(n) : Buffer.allocUnsafe(n);
  let off = 0;
  while (off < n) {
    const got = fs.readSync(fd, buf, off, n - off, off);
    if (got === 0) break; // cut while we read: what is there is decoded, and says so if damaged
    off += got;
  }
  return buf.subarray(0, off);
}

const APPEND = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/** Appends `text` to `file` in one write (O_APPEND), created if need be, only if it is a regular
 * file (a FIFO or a link in its place is refused, never waited on). Throws the errno error. */
export function appendRegular(file: string, text: string): void {
  const fd = fs.openSync(file, APPEND, 0o644);
  try {
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EINVAL', syscall: 'open' });
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
  } finally {
    fs.closeSync(fd);
  }
}
