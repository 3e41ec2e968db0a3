/*! The read under a local serial port. serialport's own (bindings-cpp 13's unixRead, Linux and
 * macOS) reads again at once when read(2) returns 0 bytes; a tty opened O_NONBLOCK returns 0
 * only once it has been hung up (a pty whose other side closed, a USB adapter the kernel hung up
 * as it went), so that read spins for ever and the port never says it went away: a capture over
 * a cut line waited out its whole timeout (the kernel's pty_close sets TTY_OTHER_CLOSED, so a
 * read racing the hang-up gets EIO, which serialport does report; one after tty_vhangup gets 0).
 * This is the same nonblocking read with 0 bytes taken for the hang-up it is. */
import fs from 'node:fs';

/** The part of serialport's Linux/macOS binding this read uses. */
export interface PollingBinding {
  fd: number | null;
  poller?: { once(event: 'readable', f: (e: Error | null) => void): unknown };
  read?: unknown;
}

type Read = (buffer: Buffer, offset: number, length: number) => Promise<{ bytesRead: number; buffer: Buffer }>;

const again = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

const canceled = (): Error => Object.assign(new Error('Port is not open'), { canceled: true });

/** A read for `binding` that fails with a disconnect (`disconnect: true`, code EIO) at the
 * hang-up: serialport then closes the port with `disconnected` set. */
export function hangUpAwareRead(binding: PollingBinding): Read {
  return async (buffer, offset, length) => {
    for (;;) {
      const fd = binding.fd;
      if (fd === null) throw canceled();
      try {
        const bytesRead = await new Promise<number>((res, rej) => fs.read(fd, buffer, offset, length, null, (e, n) => (e ? rej(e) : res(n))));
        if (bytesRead > 0) return { bytesRead, buffer };
        throw Object.assign(new Error('the line was hung up (read returned end of file)'), { code: 'EIO', disconnect: true });
      } catch (e) {
        if (!again.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
        if (binding.fd === null || !binding.poller) throw canceled();
        await new Promise<void>((res, rej) => binding.poller!.once('readable', (err) => (err ? rej(err) : res())));
      }
    }
  };
}

/** Puts the hang-up-aware read in place of serialport's, where the port has the binding it
 * knows (an fd and a poller); any other binding is left as it is. */
export function readUntilHangUp(port: unknown): void {
  const b = (port as { port?: PollingBinding }).port;
  if (b && typeof b.fd === 'number' && b.poller && typeof b.read === 'function') b.read = hangUpAwareRead(b);
}
