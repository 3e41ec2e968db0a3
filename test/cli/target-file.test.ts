/*! Regressions of the target file (docs/targets.md) through the built CLI against a real
 * sshd on 127.0.0.1: keys every object has (`__proto__`, `constructor`, `toString`) gave an
 * internal error; a timeout past 2^31 ms fired at once (Node's timer overflow) and failed
 * the capture as "took longer than the capture timeout"; `capture TARGET --smaps` dropped
 * --smaps when the target file named the processes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotStore } from '../../src/store/store.js';
import { KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';
import { mapsdiff, tempStore } from './run.js';

let S: Servers;
let dir: string;
let victim: { pid: number } & import('node:child_process').ChildProcess;
const env = (): NodeJS.ProcessEnv => ({ HOME: dir, SSH_AUTH_SOCK: '', MAPSDIFF_PASSWORD: '' });

before(async () => {
  S = await startServers();
  victim = await runAs(S, KEY_USER, 'md-target');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-tfile-'));
});
after(async () => {
  await stopProcess(victim);
  await S.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A target file for the test sshd, with `extra` JSON text added to the object. */
function targetFile(name: string, extra: string): string {
  const base = { host: '127.0.0.1', port: S.sshd.port, user: KEY_USER, identityFile: S.key, knownHosts: S.knownHosts };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(base).replace(/}$/, `, ${extra}}`));
  return file;
}

test('target file keys every object has (__proto__, constructor, toString, hasOwnProperty) are unknown fields, not an internal error', async () => {
  const store = tempStore();
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const r = await mapsdiff(['capture', targetFile('proto', `"${key}": {}`), '--pid', '1'], { store, env: env() });
    assert.equal(r.code, 2, `${key}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`proto\\.json: unknown field "${key}"; the fields are host, port, `));
    assert.doesNotMatch(r.stderr, /internal error/);
  }
});

test('a connect or capture timeout past 2^31 ms (24.8 days) is refused up front, not fired at once', async () => {
  const store = tempStore();
  for (const field of ['captureTimeout', 'connectTimeout']) {
    const r = await mapsdiff(['capture', targetFile('slow', `"${field}": 3000000`), '--process', 'md-target'], { store, env: env() });
    assert.equal(r.code, 2, `${field}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`slow\\.json: "${field}" must be seconds, e\\.g\\. \\d+, at most 2147483 \\(24 days\\); got 3000000`));
  }
  const ok = await mapsdiff(['capture', targetFile('long', '"captureTimeout": 2147483, "connectTimeout": 2147483'), '--process', 'md-target'], { store, env: env() });
  assert.equal(ok.code, 0, `the largest timeout works: ${ok.stderr}`);
});

test('capture TARGET --smaps reads smaps when the target file names the processes', async () => {
  const store = tempStore();
  const file = targetFile('withprocs', '"processes": ["md-target"]');
  const r = await mapsdiff(['capture', file, '--smaps'], { store, env: env() });
  assert.equal(r.code, 0, r.stderr);
  const smaps = new SnapshotStore(store).load(r.stdout.trim()).sections.filter((s) => s.name === 'smaps');
  assert.deepEqual(smaps.map((s) => [s.pid, s.status]), [[victim.pid, 'ok']], '--smaps was asked for');
  const without = await mapsdiff(['capture', file], { store, env: env() });
  assert.equal(new SnapshotStore(store).load(without.stdout.trim()).sections.filter((s) => s.name === 'smaps').length, 0);
});
