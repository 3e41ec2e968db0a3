/*! Every error mapsdiff raises on purpose, each with its exit code. Only cli/main.ts
 * turns them into process exits; everything else throws. */

/** 0 ok, 1 threshold exceeded, 2 bad input or usage, 3 capture failed / target unreachable. */
export const EXIT = { OK: 0, THRESHOLD: 1, USAGE: 2, CAPTURE: 3 } as const;

export class MapsdiffError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage or an unknown name: exit 2. */
export class UsageError extends MapsdiffError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** A capture could not be made (unreachable, timeout, no process matched): exit 3. */
export class CaptureError extends MapsdiffError {
  constructor(message: string) {
    super(message, EXIT.CAPTURE);
  }
}

/** The store could not be written (disk full, read-only, permission): nothing was stored.
 * Exit 2 for an import; a capture reports it as a CaptureError (exit 3). */
export class StoreWriteError extends MapsdiffError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** A --fail-over style threshold was exceeded: exit 1. */
export class ThresholdError extends MapsdiffError {
  constructor(message: string) {
    super(message, EXIT.THRESHOLD);
  }
}

/** Text that is not what it should be: names the source, the line, the text, and a valid example. Exit 2. */
export class ParseError extends MapsdiffError {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly text: string,
    readonly problem: string,
    readonly example: string,
  ) {
    super(`${source}:${line}: ${problem}\n  got:      ${quote(text)}\n  expected: ${example}`, EXIT.USAGE);
  }
}

/** Cap and escape text from a board for an error message. */
function quote(text: string): string {
  const capped = text.length > 120 ? text.slice(0, 120) + '…' : text;
  return JSON.stringify(capped);
}
