/*! Runs the CLI launcher given as its first argument with the rest as arguments, and on exit
 * writes this process's peak RSS (KiB) to the file named by MAPSDIFF_BENCH_RSS: the bench
 * reads a child's peak memory without a `time` binary. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const out = process.env.MAPSDIFF_BENCH_RSS;
const [bin, ...rest] = process.argv.slice(2);
process.on('exit', () => { if (out) fs.writeFileSync(out, String(process.resourceUsage().maxRSS)); });
process.argv = [process.argv[0]!, bin!, ...rest];
await import(pathToFileURL(path.resolve(bin!)).href);
