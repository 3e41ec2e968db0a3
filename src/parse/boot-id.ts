/*! /proc/sys/kernel/random/boot_id -> the boot's id. Pure: no I/O.
 * The kernel draws a random UUID once per boot (drivers/char/random.c, proc_do_uuid with
 * a static table entry): the same id means the same boot, a new one a reboot. */
import { ParseError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseBootId(text: string, source: string): string {
  const line = text.replace(/\r?\n$/, '').replace(/\r$/, '');
  const id = line.trim().toLowerCase();
  if (!UUID.test(id)) {
    throw new ParseError(source, 1, line, '/proc/sys/kernel/random/boot_id should be one UUID (8-4-4-4-12 hex digits)',
      '3f5e0c2a-9b1d-4c7e-8a6f-1d2e3c4b5a69');
  }
  return id;
}
