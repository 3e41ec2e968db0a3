/*! What a command may touch of the outside world, passed in so tests can run the CLI
 * in-process and commands never reach for globals. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM): collectors stop and nothing half-made is stored. */
  signal: AbortSignal;
}
