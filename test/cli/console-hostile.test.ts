/*! Regressions: a console that never stops talking. The bytes a console sends are held until
 * the capture ends, so they are capped like an SSH capture's output (the target's "maxOutput",
 * 64 MiB by default): past it the capture fails (exit 3, nothing stored), never a heap that
 * grows until the string limit throws. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mapsdiff } from './run.js';

const made: string[] = [];
const servers: net.Server[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); for (const s of servers) s.close(); });

test('a console that sends without end past "maxOutput" fails the capture with exit 3 and stores nothing', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'x\n');
  // a shell that answers mapsdiff's probes (printf '%s.%s\n' mdTOKEN ""), then answers the
  // capture script with bytes that never end
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    let got = '';
    let spewing = false;
    const pump = () => { while (!sock.destroyed && sock.write(chunk)); };
    sock.on('data', (b) => {
      if (spewing) return;
      got += b.toString('latin1');
      if (got.includes('sh -s <<')) { spewing = true; sock.on('drain', pump); pump(); return; }
      for (const m of got.matchAll(/printf '%s\.%s\\n' (md[0-9a-f]{12}) "[^"]*"/g)) sock.write(`${m[1]}.\n`);
      got = got.slice(got.lastIndexOf('\n') + 1);
    });
  });
  servers.push(server);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-console-hostile-'));
  made.push(dir);
  fs.mkdirSync(path.join(dir, 'targets'));
  fs.writeFileSync(path.join(dir, 'targets', 'spew.json'), JSON.stringify({ console: `serial+tcp://127.0.0.1:${port}`, maxOutput: '1MiB', processes: 'all' }));
  const store = path.join(dir, 's');
  const r = await mapsdiff(['capture', 'spew'], { store, cwd: dir, timeout: 120_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /more than 1 MiB.*maxOutput/, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|RangeError|\n\s+at /);
  assert.ok(!fs.existsSync(path.join(store, 'snapshots')) || fs.readdirSync(path.join(store, 'snapshots')).length === 0, 'nothing stored');
});
