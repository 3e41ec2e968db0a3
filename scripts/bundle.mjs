// The CLI as one file, dist/bundle/main.js, built from tsc's output (dist/src/) by esbuild:
// `npm run build`, `npm test`, `npm run bench` and `npm install` (prepare) run it after tsc.
// Node then loads one file instead of ~80 modules one by one (ESM loading took longer than
// the commands' own work at start-up: issue 15), and still runs only what a command needs:
// each module that is imported lazily (a command's handler, yargs-cli...) stays lazy, its body
// run on first import. bin/mapsdiff.js uses the bundle only when it is at least as new as
// dist/src (else a tsc-only build would run stale code).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
const requireHere = createRequire(path.join(root, 'package.json'));

/** Packages some module imports statically that are CommonJS: required where first used, not at start. */
const LAZY_PACKAGES = ['ssh2'];
/** The only packages the bundle may import at its start (an ESM import is hoisted to the top of the file). */
const EAGER_PACKAGES = ['kleur'];

// A module's import.meta.url is where its unbundled twin lives (dist/src/...), so what it
// reads beside itself (../../../package.json) is found from the bundle as well.
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

/** The names a module object exports as plain values (an accessor, such as fs.ReadStream, is read only when used). */
const plainNames = (mod) => Object.keys(mod).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k) &&
  'value' in Object.getOwnPropertyDescriptor(mod, k));

// Node's built-ins (process.getBuiltinModule) and the LAZY_PACKAGES (require) as bundled modules:
// a bundled module runs when first imported, so a built-in only one command uses (node:http,
// node:crypto, node:child_process...) is loaded by that command alone, and a static import of
// ssh2 no longer loads it at start. A name the build's node does not export fails the build.
const loadedWhereUsed = {
  name: 'loaded-where-used',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    build.onResolve({ filter: new RegExp(`^(${LAZY_PACKAGES.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'lazy-package' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `const m = process.getBuiltinModule(${JSON.stringify(args.path)});\nexport default m;\n` +
        `export const { ${plainNames(process.getBuiltinModule(args.path)).join(', ')} } = m;\n`,
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
      contents: `const m = process.getBuiltinModule('node:module').createRequire(import.meta.url)(${JSON.stringify(args.path)});\nexport default m;\n` +
        `export const { ${plainNames(requireHere(args.path)).join(', ')} } = m;\n`,
      loader: 'js',
    }));
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: path.join(root, 'dist', 'src', 'cli', 'main.js') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [metaUrlAsUnbundled, loadedWhereUsed],
  logLevel: 'warning',
});

// a package imported at the top of the bundle loads on every command, --version included
const out = fs.readFileSync(path.join(outdir, 'main.js'), 'utf8');
const eager = [...out.matchAll(/^import\s(?:[^;]*?from\s*)?"([^"]+)";/gm)].map((m) => m[1]).filter((p) => !EAGER_PACKAGES.includes(p));
if (eager.length) {
  fs.rmSync(outdir, { recursive: true, force: true });
  console.error(`scripts/bundle.mjs: the bundle would load ${eager.join(', ')} at every start: import it where it is used (await import), or add it to LAZY_PACKAGES`);
  process.exit(1);
}
