/*! A development board whose root has no password at all: the collector logs in with
 * SSH's `none` method, with no key, no agent, no password and no prompt. Real Dropbear -B. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { SshSource } from '../../src/collect/ssh.js';
import { NOPW_USER, startBlankPasswordDropbear } from '../servers/harness.js';
import { execd } from '../helpers.js';

test('no password at all: logs in with the none method and captures', async () => {
  const server = await startBlankPasswordDropbear();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-home-'));
  const id = (flag: string) => Number(execFileSync('id', [flag, NOPW_USER], { encoding: 'utf8' }).trim());
  const sleeper = spawn('/bin/sleep', ['30'], { uid: id('-u'), gid: id('-g'), stdio: 'ignore' }); // the user's own process
  try {
    await execd(sleeper.pid!, 'sleep');
    const kh = path.join(home, 'known_hosts');
    fs.writeFileSync(kh, `[127.0.0.1]:${server.port} ${server.hostKeyLine}\n`);
    const source = new SshSource('devboard', { host: '127.0.0.1', port: server.port, user: NOPW_USER, identityFiles: [] },
      { knownHostsFiles: [kh], env: { HOME: home } }); // no SSH_AUTH_SOCK, no MAPSDIFF_PASSWORD, no prompter
    const raw = await source.collect({ pids: [sleeper.pid!], names: [], all: false, smaps: false });
    const maps = raw.sections.find((s) => s.name === 'maps' && s.pid === sleeper.pid);
    assert.ok(maps, 'the maps of a process on the "board" (this machine)');
    assert.equal(maps.status, 'ok');
    assert.equal(maps.text, fs.readFileSync(`/proc/${sleeper.pid}/maps`, 'utf8'), 'the maps text arrives verbatim');
    assert.match(fs.readFileSync(server.log, 'utf8'), /blank password/i, "Dropbear logged a blank-password login");
  } finally {
    sleeper.kill();
    await server.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
