/*! `npm run bench`, store part: `compare latest~1 latest` (the real CLI, a fresh process each
 * run) on a store of 10,000 snapshots against the same on a store of 2, and a snapshot file's
 * size against its raw text. The stores are written beforehand (not timed) the way an older
 * mapsdiff left them, without an index; one untimed `list` builds it, as a user's first command would.
 * Timed with the index's stamp (a store whose times have settled) and without it (the full listing). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotStore } from '../src/store/store.js';
import { encodeSnapshot } from '../src/store/file-format.js';
import { RACY_MS, STAMP } from '../src/store/index-stamp.js';
import type { RawSection } from '../src/model/capture.js';
import { generate, render } from './gen-maps.js';
import { median, ms, timeCmd } from './measure.js';
import { repoRootDir } from './paths.js';

const bin = path.join(repoRootDir, 'bin', 'mapsdiff.js');

function writeStore(dir: string, count: number, sections: RawSection[]): void {
  const snaps = path.join(dir, 'snapshots');
  fs.mkdirSync(snaps, { recursive: true });
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const meta = { name: `t${i}`, target: 'bench', capturedAt: new Date(t0 + i * 60_000).toISOString(), tool: { name: 'mapsdiff' as const, version: 'bench' }, via: 'import' as const, lenient: false };
    fs.writeFileSync(path.join(snaps, `t${i}.json`), encodeSnapshot(meta, sections));
  }
}

export function storeBench(): void {
  const sections: RawSection[] = [
    { name: 'uptime', status: 'ok', text: '1000.00 10.00\n' },
    { name: 'maps', pid: 1, status: 'ok', text: render(generate(300)) },
  ];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bench-store-'));
  try {
    const size = new SnapshotStore(path.join(root, 'size'));
    const name = size.save({ target: 'bench', capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff', version: 'bench' }, via: 'import', lenient: false }, sections);
    const raw = sections.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
    const stored = fs.statSync(path.join(size.snapDir, `${name}.json`)).size;
    console.log(`snapshot file of a 300-VMA capture: ${stored} B for ${raw} B of raw text: ${(stored / raw).toFixed(2)}x`);

    // the two stores are timed in turn, pair by pair, and the median of the pairs' ratios taken: the
    // best of 5 runs each moved 1.18x-1.71x between three runs of the bench on an idle machine
    const dirs = [2, 10_000].map((count) => {
      const dir = path.join(root, `s${count}`);
      writeStore(dir, count, sections);
      const first = timeCmd(process.execPath, [bin, '--store', dir, 'list'], 1, true); // builds the index
      console.log(`store of ${count} snapshots: first list, building the index: ${ms(first)}`);
      return dir;
    });
    // a store's times settle (index-stamp.ts: RACY_MS after its last change) before a listing stamps
    // it, as a user's store has by the time they compare; the full listing is measured too, its stamp
    // removed before each run
    const wait = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(wait, 0, 0, RACY_MS + 500);
    for (const dir of dirs) timeCmd(process.execPath, [bin, '--store', dir, 'list'], 1, true); // stamps it
    const rounds = Number(process.env.BENCH_STORE_ROUNDS ?? 15);
    for (const stamped of [true, false]) {
      const small: number[] = [];
      const large: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const [a, b] = dirs.map((dir) => {
          if (!stamped) fs.rmSync(path.join(dir, STAMP), { force: true });
          return timeCmd(process.execPath, [bin, '--store', dir, 'compare', 'latest~1', 'latest'], 1, true);
        });
        if (a === null || b === null) {
          console.log('compare latest~1 latest: the command failed');
          return;
        }
        small.push(a!);
        large.push(b!);
      }
      const ratios = large.map((t, i) => t / small[i]!);
      const how = stamped ? 'stamped index' : 'full listing (no stamp)';
      console.log(`compare latest~1 latest, ${how}: 2 snapshots  ${ms(median(small))}; 10,000 snapshots  ${ms(median(large))} (medians of ${rounds} paired runs)`);
      console.log(`compare latest~1 latest with 10,000 snapshots vs with 2, ${how}: ${median(ratios).toFixed(2)}x (median of the pairs' ratios; ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
