#!/usr/bin/env node
// Thin launcher: everything lives in dist/src/cli/main.js (built by `npm install` / `npm run build`),
// and in its bundle dist/bundle/main.js (scripts/bundle.mjs: one file to load instead of ~80
// modules), which runs when there is one, except in a checkout (tsconfig.json beside bin/) where
// it is older than the tsc output: a tsc-only build (`npx tsc -p tsconfig.json`) since, never
// stale code. An installed package has no tsconfig.json, and its files' times are when npm
// unpacked them, which tell nothing.
import fs from 'node:fs';

const mtime = (rel) => { try { return fs.statSync(new URL(rel, import.meta.url)).mtimeMs; } catch { return NaN; } };
const bundle = mtime('../dist/bundle/main.js');
const bundled = Number.isNaN(mtime('../tsconfig.json')) ? !Number.isNaN(bundle) : bundle >= mtime('../dist/src/cli/main.js');
// `mapsdiff --version` alone is answered here, with nothing else loaded (main.ts answers it alike in-process)
const argv = process.argv.slice(2);
const printVersion = async (_argv, io) => {
  io.stdout.write(`${JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  return 0;
};
const { main } = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V') ? { main: printVersion }
  : await import(bundled ? '../dist/bundle/main.js' : '../dist/src/cli/main.js');

// Ctrl-C. Until a command takes io.signal (capture, watch, demo: they stop at their next await,
// keep every finished capture and store nothing half-made), SIGINT and SIGTERM keep their
// default action: the process ends at once, even in the middle of long synchronous work such
// as a slow trend, and the shell reports 130 (128 + SIGINT). A command that took the signal
// ends with 128 + the signal's number too; a second Ctrl-C ends it at once.
const controller = new AbortController();
const EXIT_BY = { SIGINT: 130, SIGTERM: 143 };
let interrupted = null;
let handling = false;
function takeSignal() {
  if (!handling) {
    handling = true;
    for (const sig of Object.keys(EXIT_BY)) {
      process.on(sig, () => {
        if (interrupted) process.exit(EXIT_BY[sig]);
        interrupted = sig;
        process.stderr.write(`\nmapsdiff: ${sig}: stopping; nothing half-made is stored\n`);
        controller.abort(new Error(sig));
      });
    }
  }
  return controller.signal;
}
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0); // `mapsdiff show t0 | head` is fine
    throw err;
  });
}
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), get signal() { return takeSignal(); } };
const code = await main(argv, io);
process.exitCode = interrupted ? EXIT_BY[interrupted] : code;
