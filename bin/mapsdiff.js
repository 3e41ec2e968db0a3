#!/usr/bin/env node
// Thin launcher: everything lives in dist/src/cli/main.js (built by `npm install` / `npm run build`).
import { main } from '../dist/src/cli/main.js';

const controller = new AbortController();
let interrupted = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (++interrupted > 1) process.exit(130);
    process.stderr.write(`\nmapsdiff: ${sig}: stopping; nothing half-made is stored\n`);
    controller.abort(new Error(sig));
  });
}
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0); // `mapsdiff show t0 | head` is fine
    throw err;
  });
}
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal };
process.exitCode = await main(process.argv.slice(2), io);
