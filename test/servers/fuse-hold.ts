/*! A FUSE file system of one empty file, served by this process over /dev/fuse (the kernel's
 * protocol, include/uapi/linux/fuse.h, minor 31), that holds every FLUSH until told: a process
 * with that file open, killed, stops in do_exit's exit_files (filp_close -> fuse_flush, a forced
 * request waited for uninterruptibly) after exit_mm has dropped its address space and before
 * exit_fs drops its cwd. That is the moment a capture can read a process half gone, held as
 * long as a test needs. Root only (mount). */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const LOOKUP = 1, GETATTR = 3, OPEN = 14, READ = 15, RELEASE = 18, FLUSH = 25, INIT = 26, OPENDIR = 27, RELEASEDIR = 29, INTERRUPT = 36, DESTROY = 38;
const FORGETS = new Set([2, 42]); // FORGET, BATCH_FORGET: no reply
const ENOENT = 2, ENOSYS = 38;
const FILE = 2; // the file's node id; the root is 1

export interface FlushHold {
  /** The one file: open it in the process to hold. */
  file: string;
  /** Resolves once a FLUSH is held (the process is in exit_files). */
  held(): Promise<void>;
  /** Answers every FLUSH held so far (a later one is held again). */
  release(): void;
  /** Releases, then unmounts (answering what the kernel asks meanwhile: never a synchronous
   * call while the mount is there, which would wait on this very process). */
  stop(): Promise<void>;
}

export function mountFlushHold(dir: string): FlushHold {
  fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync('/dev/fuse', 'r+');
  const r = spawnSync('mount', ['-t', 'fuse', '-o', 'fd=3,rootmode=40000,user_id=0,group_id=0,allow_other', 'mapsdiff-hold', dir],
    { stdio: ['ignore', 'ignore', 'pipe', fd], encoding: 'utf8' });
  if (r.status !== 0) { fs.closeSync(fd); throw new Error(`mount of a FUSE file system failed: ${r.stderr}`); }
  let holding: bigint[] = [];
  let released = false;
  let stopped = false;
  const waiters: (() => void)[] = [];
  const reply = (unique: bigint, error: number, body: Buffer = Buffer.alloc(0)) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(16 + body.length, 0);
    h.writeInt32LE(-error, 4);
    h.writeBigUInt64LE(unique, 8);
    try { fs.writeSync(fd, Buffer.concat([h, body])); } catch { /* the request was interrupted or the mount is gone */ }
  };
  const attr = (node: number) => {
    const a = Buffer.alloc(88);
    a.writeBigUInt64LE(BigInt(node), 0); // ino
    a.writeUInt32LE(node === 1 ? 0o40755 : 0o100644, 60); // mode
    a.writeUInt32LE(node === 1 ? 2 : 1, 64); // nlink
    a.writeUInt32LE(4096, 80); // blksize
    return a;
  };
  const buf = Buffer.alloc(1 << 17);
  const loop = () => {
    fs.read(fd, buf, 0, buf.length, null, (err, n) => {
      if (err || n < 40) return; // unmounted (ENODEV)
      const opcode = buf.readUInt32LE(4);
      const unique = buf.readBigUInt64LE(8);
      const node = Number(buf.readBigUInt64LE(16));
      if (opcode === INIT) {
        const o = Buffer.alloc(64);
        o.writeUInt32LE(7, 0); // major
        o.writeUInt32LE(31, 4); // minor
        o.writeUInt32LE(0, 8); // max_readahead
        o.writeUInt32LE(0, 12); // flags: none asked for
        o.writeUInt16LE(1, 16); // max_background
        o.writeUInt16LE(1, 18); // congestion_threshold
        o.writeUInt32LE(4096, 20); // max_write
        o.writeUInt32LE(1, 24); // time_gran
        reply(unique, 0, o);
      } else if (opcode === LOOKUP) {
        const name = buf.toString('utf8', 40, buf.indexOf(0, 40));
        if (node !== 1 || name !== 'f') reply(unique, ENOENT);
        else {
          const e = Buffer.alloc(40);
          e.writeBigUInt64LE(BigInt(FILE), 0);
          reply(unique, 0, Buffer.concat([e, attr(FILE)]));
        }
      } else if (opcode === GETATTR) {
        reply(unique, 0, Buffer.concat([Buffer.alloc(16), attr(node)]));
      } else if (opcode === OPEN || opcode === OPENDIR) {
        reply(unique, 0, Buffer.alloc(16));
      } else if (opcode === READ) {
        reply(unique, 0); // an empty file
      } else if (opcode === RELEASE || opcode === RELEASEDIR) {
        reply(unique, 0);
      } else if (opcode === FLUSH) {
        if (released) reply(unique, 0);
        else { holding.push(unique); for (const w of waiters.splice(0)) w(); }
      } else if (opcode === INTERRUPT || opcode === DESTROY || FORGETS.has(opcode)) {
        // no reply: an interrupt of a held flush is answered when the flush is
      } else {
        reply(unique, ENOSYS);
      }
      if (!stopped) loop();
    });
  };
  loop();
  const release = () => {
    for (const u of holding) reply(u, 0);
    holding = [];
  };
  return {
    file: path.join(dir, 'f'),
    held: () => (holding.length ? Promise.resolve() : new Promise<void>((res) => waiters.push(res))),
    release,
    async stop() {
      released = true;
      release();
      await new Promise<void>((res) => spawn('umount', ['-l', dir], { stdio: 'ignore' }).on('close', () => res()));
      stopped = true;
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
