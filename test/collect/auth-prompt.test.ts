/*! Regression: a keyboard-interactive prompt is written by the server, and reached the
 * terminal raw (ESC[2J cleared the screen, BEL, CR, C1 CSI, bidi overrides). A real SSH
 * server (ssh2's, on 127.0.0.1) sends such a prompt; the question shown to the user must
 * carry none of those bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { makeAuthHandler } from '../../src/collect/auth.js';

const EVIL = 'Pass\x1b[2J\x07\rword\u009b31m\u202eesrever\u2066: ';

test('a keyboard-interactive prompt from the server reaches the terminal escaped (ESC, BEL, CR, CSI, bidi)', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-kbd-'));
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive']);
      ctx.prompt([{ prompt: EVIL, echo: false }], 'title\x1b]0;x\x07', 'instructions', (answers) => (answers[0] === 'right' ? ctx.accept() : ctx.reject()));
    });
    client.on('ready', () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const asked: string[] = [];
  try {
    const port = (server.address() as { port: number }).port;
    const conn = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      conn.on('ready', () => { conn.end(); resolve(); }).on('error', reject);
      conn.connect({
        host: '127.0.0.1', port, username: 'u', hostVerifier: () => true,
        authHandler: makeAuthHandler({ user: 'u', identityFiles: [], home, label: `u@127.0.0.1:${port}`, prompt: async (q) => { asked.push(q); return 'right'; } }, []),
      });
    });
  } finally {
    server.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  assert.equal(asked.length, 1);
  assert.doesNotMatch(asked[0]!, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(asked[0]));
  assert.match(asked[0]!, /\) Pass\\x1b\[2J\\x07\\x0dword\\x9b31m\\u202eesrever\\u2066: $/);
});
