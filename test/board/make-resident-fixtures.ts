/*! Makes fixtures/captures/qemu-ARCH-rsspool-smaps-N.capture (fixtures/README.md): boots each
 * qemu board with WORKLOADS=rsspool LEAK_INTERVAL=1, then sends mapsdiff's own remote script
 * (collect/remote-script.ts, --process rsspool steady --smaps) over SSH, as `capture` does, and
 * keeps what the board printed byte for byte. Run by hand (`node
 * dist/test/board/make-resident-fixtures.js [armhf|mipsel]...`), never by the test suite. */
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard } from './board.js';
import { buildRemoteScript, newBoundary, REMOTE_COMMAND } from '../../src/collect/remote-script.js';
import { repoRoot } from '../helpers.js';

const COUNT = 8;
const archs = (process.argv.slice(2).length ? process.argv.slice(2) : ['armhf', 'mipsel']) as ('armhf' | 'mipsel')[];
for (const arch of archs) {
  const board = await bootBoard(arch, { WORKLOADS: 'rsspool', LEAK_INTERVAL: '1' });
  try {
    for (let i = 0; i < COUNT; i++) {
      const script = buildRemoteScript({ pids: [], names: ['rsspool', 'steady'], all: false, smaps: true }, newBoundary());
      const out = await board.ssh(REMOTE_COMMAND, Buffer.from(script));
      const file = path.join(repoRoot, 'fixtures', 'captures', `qemu-${arch}-rsspool-smaps-${i}.capture`);
      fs.writeFileSync(file, out);
      console.log(`${file}: ${out.length} bytes`);
      await new Promise((r) => setTimeout(r, 2000)); // two ticks of rsspool between captures
    }
  } finally {
    await board.stop();
  }
}
