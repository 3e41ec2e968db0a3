/*! The bench's second remote script: buildRemoteScript as src/collect/remote-script.ts was at a
 * git revision (BENCH_SCRIPT_B=REV), built here with esbuild against this tree's errors.ts, so
 * the board bench can run an old and a new script in the same rounds, paired. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { buildRemoteScript } from '../src/collect/remote-script.js';
import { repoRootDir } from './paths.js';

export async function scriptBuilderAt(rev: string): Promise<typeof buildRemoteScript> {
  let source: string;
  try {
    source = execFileSync('git', ['show', `${rev}:src/collect/remote-script.ts`], { cwd: repoRootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`BENCH_SCRIPT_B=${rev}: git has no src/collect/remote-script.ts at that revision (${String((err as { stderr?: string }).stderr ?? err).trim()})`);
  }
  const out = await esbuild.build({
    stdin: { contents: source, resolveDir: path.join(repoRootDir, 'src', 'collect'), loader: 'ts', sourcefile: `${rev}:remote-script.ts` },
    bundle: true, format: 'esm', platform: 'node', write: false,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-script-'));
  try {
    const file = path.join(dir, 'remote-script.mjs');
    fs.writeFileSync(file, out.outputFiles[0]!.contents);
    const mod = (await import(pathToFileURL(file).href)) as { buildRemoteScript: typeof buildRemoteScript };
    return mod.buildRemoteScript;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
