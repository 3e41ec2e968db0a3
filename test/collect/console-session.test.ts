/*! The console conversation reads a long stream in linear time: each chunk that arrives is
 * looked at once (the answer a probe waits for is found by a scanner that carries across chunk
 * boundaries what can span them), not the whole buffer again on every chunk. Pinned by what
 * the conversation's scanners examine (an injected counter), never by a timing: a real `sh -i`
 * on a pty (socat) behind a TCP console on 127.0.0.1 sends 4 MiB; and the scanner against the
 * pattern it replaces, on every split of a stream into pieces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { openLink } from '../../src/collect/console-link.js';
import { answerScanner, Conversation, reachShell, runScript } from '../../src/collect/console-session.js';
import { tempDir } from '../helpers.js';

/** A TCP console on 127.0.0.1 whose each connection is a real interactive sh on a pty. */
async function shellConsole(): Promise<{ port: number; close(): Promise<void> }> {
  const shells: ChildProcess[] = [];
  const home = tempDir('mapsdiff-console-sh-'); // the shell's working directory: nothing it does lands in the repository
  const server = net.createServer((sock) => {
    const sh = spawn('socat', ['STDIO', 'EXEC:sh -i,pty,stderr,setsid,ctty'], { cwd: home, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, PS1: '$ ', ENV: '' } });
    shells.push(sh);
    sock.pipe(sh.stdin!);
    sh.stdout!.pipe(sock);
    sock.on('error', () => undefined);
    sock.on('close', () => sh.kill());
    sh.on('exit', () => sock.destroy());
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((res) => {
      for (const s of shells) s.kill();
      fs.rmSync(home, { recursive: true, force: true });
      server.close(() => res());
    }),
  };
}

test('regression: a 4 MiB capture read over a console is scanned once, not again on every chunk', async () => {
  const con = await shellConsole();
  const link = await openLink({ kind: 'tcp', host: '127.0.0.1', port: con.port }, 'console', 10_000);
  try {
    let examined = 0;
    const c = new Conversation(link, 'console', undefined, undefined, (n) => { examined += n; });
    await reachShell(c, { password: async () => null }, 'console', 30_000);
    const size = 4 << 20;
    examined = 0;
    const run = await runScript(c, `head -c ${size} /dev/zero | tr '\\0' x | fold -w 127\n`, 'console', 120_000);
    assert.equal(run.status, '0');
    const line = 'x'.repeat(127) + '\n';
    const want = line.repeat(Math.floor(size / 127)) + 'x'.repeat(size % 127); // fold ends no line it was not given
    assert.ok(run.text.includes(want), `the whole output came through (${run.text.length} chars)`);
    assert.ok(run.text.length < want.length + 4096, 'and little else (prompts)');
    // each chunk once, plus what a marker cut by a chunk boundary carries over; the old rescan looked at ~chunks/2 times as much
    assert.ok(examined >= want.length, `the output was looked at (${examined})`);
    assert.ok(examined <= 2 * want.length, `examined ${examined} chars for a ${want.length}-char stream: once each, not again per chunk`);
  } finally {
    link.close();
    await con.close();
  }
});

test('the answer scanner finds what /TOKEN\\.([^\\r\\n]*)\\r?\\n/ finds, wherever the stream is split into pieces', () => {
  const t = 'md0123456789ab';
  const streams = [
    `noise ${t} echoed\r\nout${t}.0\r\nafter`,
    `${t}.\n`,
    `a ${t}.x\ry\r\n${t}.17\n`, // a bare CR ends no answer: the next one is it
    `${t.slice(0, 5)} ${t}${t}.v\r`, // no line end yet: nothing
    `${t}.${t}.2\n`,
    `plain text, no token\n`,
  ];
  const re = new RegExp(`${t}\\.([^\\r\\n]*)\\r?\\n`);
  for (const s of streams) {
    const m = re.exec(s);
    const want = m ? { before: s.slice(0, m.index), value: m[1]!, end: m.index + m[0].length } : null;
    for (let i = 0; i <= s.length; i++) {
      for (let j = i; j <= s.length; j++) {
        const pieces = [s.slice(0, i), s.slice(i, j), s.slice(j)];
        let examined = 0;
        const scan = answerScanner(t, (n) => { examined += n; });
        let got: { start: number; value: string; end: number } | null = null;
        let at = 0;
        for (const p of pieces) {
          got = scan(p, at, () => s.slice(0, at + p.length));
          at += p.length;
          if (got) break;
        }
        const seen = got && { before: s.slice(0, got.start), value: got.value, end: got.end };
        assert.deepEqual(seen, want, `${JSON.stringify(s)} split at ${i}, ${j}`);
        assert.ok(examined <= s.length + 2 * (t.length + 1), `${JSON.stringify(s)} split at ${i}, ${j}: ${examined} chars looked at`);
      }
    }
  }
});

test('regression: after the password the probe goes as soon as the shell prompt shows, not after the 1.5 s settle', async (t) => {
  // a console on the board's pattern (BusyBox login, then `~ # `), answered at once; the clock is
  // mocked, so the only waits are the ones reachShell asks for, counted in `waited`
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const data: ((b: Buffer) => void)[] = [];
  const sent: string[] = [];
  const emit = (s: string) => setImmediate(() => { for (const f of data) f(Buffer.from(s, 'latin1')); });
  const link = {
    eol: '\r',
    write(b: Buffer) {
      const s = b.toString('latin1');
      sent.push(s);
      const tok = /printf '%s\.%s\\n' (md[0-9a-f]+) ""/.exec(s)?.[1];
      if (tok) emit(`${s.replaceAll('\r', '\r\n')}${tok}.\r\n~ # `);
      else if (s === 'root\r') emit('root\r\nPassword: ');
      else if (s === 'board\r') emit('\r\n\r\nBusyBox v1.35.0 built-in shell (ash)\r\n\r\n~ # ');
      else emit('\r\nboard login: ');
    },
    onData(f: (b: Buffer) => void) { data.push(f); },
    onClose() { /* never closes */ },
    close() { /* nothing to close */ },
  };
  const c = new Conversation(link, 'console');
  let done: boolean | null = null;
  void reachShell(c, { user: 'root', password: async () => 'board' }, 'console', 30_000).then((v) => { done = v; });
  let waited = 0;
  while (done === null && waited < 5000) {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    if (done !== null) break;
    t.mock.timers.tick(10);
    waited += 10;
  }
  assert.equal(done, true, `logged in and at the shell (sent: ${JSON.stringify(sent)})`);
  // the 400 ms login is given to turn echo off before the password, and nothing more
  assert.ok(waited >= 400 && waited < 1000, `waited ${waited} ms of the console's clock`);
});
