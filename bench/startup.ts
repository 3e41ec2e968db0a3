/*! `npm run bench`, start-up part: what a user waits for before mapsdiff does any work.
 * `mapsdiff --version`, `mapsdiff help` and `compare` of two 500-VMA captures (the real
 * launcher, a fresh process each run) against `node -e ''` in the same rounds, interleaved so
 * the machine's load weighs on each alike; best of the rounds, in wall time and in CPU time
 * (user + system, from bash's `times`: less swayed when other work shares the cores). Compare's
 * start-up share is its time less the same load + compare + render done in this process (warm). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generate, grow, render } from './gen-maps.js';
import { ms, ratio, timeFn } from './measure.js';
import { repoRootDir } from './paths.js';
import { runCompare } from '../src/cli/commands/compare.js';
import { SnapshotStore } from '../src/store/store.js';
import { makePaint } from '../src/render/paint.js';

const bin = path.join(repoRootDir, 'bin', 'mapsdiff.js');

export function startupBench(rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 15)): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-startup-'));
  try {
    const store = path.join(dir, 'store');
    const before = generate(500);
    fs.writeFileSync(path.join(dir, 'a.maps'), render(before));
    fs.writeFileSync(path.join(dir, 'b.maps'), render(grow(before)));
    const env = { ...process.env, NO_COLOR: '1', MAPSDIFF_STORE: store };
    for (const f of ['a', 'b']) {
      const r = spawnSync(process.execPath, [bin, 'import', path.join(dir, `${f}.maps`), '--pid', '1', '--target', 'bench', '--name', f], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`bench start-up: import failed: ${r.stderr}`);
    }
    const cases: [string, string[]][] = [
      ["node -e ''", ['-e', '']],
      ['mapsdiff --version', [bin, '--version']],
      ['mapsdiff help', [bin, 'help']],
      ['mapsdiff compare a b (500 VMAs)', [bin, 'compare', 'a', 'b']],
    ];
    const best = cases.map(() => Infinity);
    const cpu = cases.map(() => Infinity);
    for (let i = 0; i < rounds; i++) {
      cases.forEach(([label, args], k) => {
        const t = performance.now();
        const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
        if (r.status !== 0) throw new Error(`bench start-up: ${label} exited ${r.status}: ${r.stderr}`);
        best[k] = Math.min(best[k]!, performance.now() - t);
        cpu[k] = Math.min(cpu[k]!, cpuOf(process.execPath, args, env));
      });
    }
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const io = { stdout: sink, stderr: sink, env, cwd: dir, signal: new AbortController().signal };
    const work = timeFn(() => runCompare(new SnapshotStore(store), io, makePaint(false), { a: 'a', b: 'b' }), 10);
    const node = best[0]!;
    const line = cases.slice(1).map(([label], k) => `${label} ${ms(best[k + 1]!)} (${ratio(best[k + 1]!, node)}; CPU ${ms(cpu[k + 1]!)}, ${ratio(cpu[k + 1]!, cpu[0]!)})`).join('; ');
    console.log(`start-up vs node -e '' ${ms(node)} (CPU ${ms(cpu[0]!)}), best of ${rounds}: ${line}`);
    console.log(`start-up share of compare a b: ${ms(best[3]! - work)} (${ratio(best[3]! - work, node)} of node -e ''; CPU ${ratio(cpu[3]! - work, cpu[0]!)}); the compare itself, warm in-process: ${ms(work)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** User + system CPU time (ms) of one run of a command, as bash's `times` reports its children's. */
function cpuOf(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; times', 'bash', cmd, ...args], { env, encoding: 'utf8' });
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/m.exec(r.stdout.split('\n')[1] ?? '');
  if (!m) throw new Error(`bench start-up: no times from bash: ${r.stdout}${r.stderr}`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(repoRootDir, 'dist', 'bench', 'startup.js')) startupBench();
