/*! Child process for the killed-writers test: saves COUNT (0 = forever) snapshots of SIZE
 * bytes each into a store, printing `saved NAME` after each, so the test can kill it mid-write. */
import { SnapshotStore } from '../../src/store/store.js';

const [dir, size, count] = process.argv.slice(2);
if (dir && size && count) {
  const store = new SnapshotStore(dir);
  const text = '00008000-00009000 r-xp 00000000 b3:01 12 /bin/big\n'.repeat(Math.ceil(Number(size) / 50));
  for (let i = 0; Number(count) === 0 || i < Number(count); i++) {
    const name = store.save(
      { target: 'big', capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false },
      [{ name: 'maps', pid: 1, status: 'ok', text }],
    );
    process.stdout.write(`saved ${name}\n`);
  }
}
