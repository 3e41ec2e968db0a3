/*! Child process for the concurrent-writers test: saves N snapshots into a store. */
import { SnapshotStore } from '../../src/store/store.js';

const [dir, count, tag] = process.argv.slice(2);
if (dir && count) {
  const store = new SnapshotStore(dir);
  for (let i = 0; i < Number(count); i++) {
    const text = `00008000-00009000 r-xp 00000000 b3:01 ${i} /bin/${tag}\n`;
    store.save(
      { target: String(tag), capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false },
      [{ name: 'maps', pid: i, status: 'ok', text }],
    );
  }
}
