/*! Issue 9, privacy: a process's command line can hold secrets (`--db-password=...`). capture
 * and watch keep only argv[0], the program, unless --cmdline is given; the snapshot says which. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mapsdiff, tempStore } from './run.js';

const SECRET = '--db-password=hunter2-secret';
let proc: ChildProcess;
let cwd: string;

before(async () => {
  proc = spawn('/bin/sh', ['-c', 'sleep 600; :', 'dbtool', SECRET], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').includes(SECRET); i++) await new Promise((r) => setTimeout(r, 10));
  cwd = tempStore();
});
after(() => {
  proc.kill('SIGKILL');
  fs.rmSync(cwd, { recursive: true, force: true });
});

const stored = (store: string) => fs.readdirSync(path.join(store, 'snapshots')).map((f) => fs.readFileSync(path.join(store, 'snapshots', f), 'utf8'));

test('a password in a command line is not stored: capture and watch keep only the program unless --cmdline', async () => {
  for (const [name, args] of [['capture', ['capture', 'local']], ['watch', ['watch', 'local', '--every', '100ms', '--count', '1']]] as const) {
    const store = path.join(cwd, `${name}-default`);
    const r = await mapsdiff([...args, '--pid', String(proc.pid)], { store, cwd });
    assert.equal(r.code, 0, r.stderr);
    const [file] = stored(store);
    assert.equal(file!.includes('hunter2'), false, `${name}: the argument was stored`);
    assert.ok(file!.includes('/bin/sh\\u0000'), `${name}: argv[0] is kept`);
    assert.equal(JSON.parse(file!.split('\n')[0]!).meta.cmdline, 'program');

    const full = path.join(cwd, `${name}-full`);
    const f = await mapsdiff([...args, '--pid', String(proc.pid), '--cmdline'], { store: full, cwd });
    assert.equal(f.code, 0, f.stderr);
    const [kept] = stored(full);
    assert.ok(kept!.includes(SECRET), `${name} --cmdline keeps every argument`);
    assert.equal(JSON.parse(kept!.split('\n')[0]!).meta.cmdline, 'full');
  }
});
