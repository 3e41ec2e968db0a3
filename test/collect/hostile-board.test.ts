/*! A hostile board: a real Dropbear on 127.0.0.1 whose forced command (`dropbear -c`) is not
 * mapsdiff's script but a program that answers it. Such a board knows the boundary (the script
 * reaches its shell), so it can frame anything; what it must not do is crash the tool, hang it,
 * or have a stream stored that does not add up. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CaptureError } from '../../src/errors.js';
import { SshSource } from '../../src/collect/ssh.js';
import type { Selection } from '../../src/collect/source.js';
import { freePort, KEY_USER, startServers, stopProcess, waitForPort, type Servers } from '../servers/harness.js';

let S: Servers;
const boards: ChildProcess[] = [];

before(async () => { S = await startServers(); });
after(async () => {
  for (const b of boards) await stopProcess(b);
  await S?.stop();
});

/** A Dropbear on a free port that runs `script` (a sh script; the boundary is in $B) for every
 * session, instead of the command asked for; known to S.knownHosts. */
async function hostileBoard(name: string, script: string): Promise<number> {
  const dir = path.join(S.dir, name);
  fs.mkdirSync(dir, { mode: 0o755 });
  const file = path.join(dir, 'board.sh');
  // the script's first line is B=BOUNDARY (remote-script.ts): the board reads it, as any shell would
  fs.writeFileSync(file, `IFS= read -r l\nB=\${l#B=}\n${script}\n`, { mode: 0o755 });
  execFileSync('dropbearkey', ['-t', 'ed25519', '-f', path.join(dir, 'host')], { stdio: 'ignore' });
  const line = execFileSync('dropbearkey', ['-y', '-f', path.join(dir, 'host')], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('ssh-'))!;
  const port = await freePort();
  const log = path.join(dir, 'log');
  const out = fs.openSync(log, 'a');
  const p = spawn('dropbear', ['-F', '-E', '-p', `127.0.0.1:${port}`, '-r', path.join(dir, 'host'), '-P', path.join(dir, 'pid'), '-c', `sh ${file}`],
    { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  boards.push(p);
  await waitForPort(port, p, log);
  fs.appendFileSync(S.knownHosts, `[127.0.0.1]:${port} ${line.split(' ').slice(0, 2).join(' ')}\n`);
  return port;
}

const sel = (s: Partial<Selection>): Selection => ({ pids: [], names: [], all: false, smaps: false, ...s });
const collect = (port: number) => new SshSource('board', { host: '127.0.0.1', port, user: KEY_USER, identityFiles: [S.key] },
  { knownHostsFiles: [S.knownHosts], env: { HOME: S.dir }, connectTimeoutMs: 60_000 }).collect(sel({ all: true }));

async function refused(p: Promise<unknown>, re: RegExp): Promise<void> {
  const err = await p.then(() => assert.fail('expected a CaptureError'), (e: unknown) => e);
  assert.ok(err instanceof CaptureError, `not a CaptureError: ${String(err)}`);
  assert.equal(err.exitCode, 3);
  assert.match(err.message, re);
}

test('regression: a cat section naming a million processes, and a million gone, is refused at once (each name was checked against every one before it: hours)', { timeout: 300_000 }, async () => {
  // 16 MB, under the 64 MiB output cap: one `cat` line of 1,000,000 PID:s words, no files, and
  // a closing line naming every one of them gone (format 4: the session line first, as --all sends it)
  const port = await hostileBoard('million', `awk -v B="$B" 'BEGIN {
    n = 1000000
    printf "mapsdiff-capture 4 %s\\n%s session 1 1\\n%s cat", B, B, B
    for (i = 1; i <= n; i++) printf " %d:s", i
    printf "\\n\\n%s cat gone", B
    for (i = 1; i <= n; i++) printf " %d", i
    printf "\\n%s end\\n", B
  }'`);
  await refused(collect(port), /malformed capture.*pid 1's files is not followed by the \/proc\/uptime line/);
});
