/*! Runs the built launcher (bin/mapsdiff.js) as a user would, in a temp store. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binPath, nodeFlags, tempDir } from '../helpers.js';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempStore(): string {
  return tempDir('mapsdiff-cli-');
}

export function mapsdiff(args: string[], opts: { store?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number; input?: string | Buffer } = {}): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...opts.env };
  delete env.MAPSDIFF_STORE;
  const full = opts.store ? ['--store', opts.store, ...args] : args;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [...nodeFlags, binPath, ...full], { cwd: opts.cwd ?? os.tmpdir(), env, maxBuffer: 256 << 20, timeout: opts.timeout ?? 0 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input); // what a pipe into mapsdiff gives it
  });
}
