// The CLI as one bundle with lazy chunks (dist/bundle/), built from tsc's output (dist/src/)
// by esbuild: `npm run build`, `npm test` and `npm install` (prepare) run it after tsc. A node
// process loads a handful of files instead of ~80 modules one by one (ESM loading took longer
// than the commands' own work at start-up: issue 15). Each command stays its own chunk,
// loaded only when it runs; the dependencies (yargs, ssh2, diff, kleur, serialport) are not
// bundled, they load from node_modules as before. bin/mapsdiff.js uses the bundle only when
// it is at least as new as dist/src (else a tsc-only build would run stale code).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');

// A module's import.meta.url is where its unbundled twin lives (dist/src/...), so what it
// reads beside itself (../../../package.json) is found from the bundle's chunks as well.
const metaUrlAsUnbundled = {
  name: 'import-meta-url-as-unbundled',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const rel = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: path.join(root, 'dist', 'src', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  plugins: [metaUrlAsUnbundled],
  logLevel: 'warning',
});
