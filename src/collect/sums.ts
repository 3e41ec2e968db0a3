/*! The sums a console capture's closing lines carry (parse/capture-checked.ts): md5 as
 * `md5sum` prints it, and POSIX `cksum` (CRC-32 of the bytes then of their length, as
 * `cksum` prints `CRC LENGTH`), computed here over the bytes as received. */
import { createHash } from 'node:crypto';
import type { Digest } from '../parse/capture-checked.js';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** POSIX cksum of `bytes`: `CRC LENGTH`. */
export function cksum(bytes: Buffer): string {
  let crc = 0;
  const step = (b: number) => { crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0; };
  for (const b of bytes) step(b);
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return `${(~crc) >>> 0} ${bytes.length}`;
}

/** The Digest for stream text held one byte per latin1 character. */
export const latin1Digest: Digest = (kind, body) => {
  const bytes = Buffer.from(body, 'latin1');
  return kind === 'md5' ? createHash('md5').update(bytes).digest('hex') : cksum(bytes);
};
