/*! A console section whose sum fails is asked for again alone: the resend script
 * (console-script.ts buildResendScript), run by this machine's sh (and BusyBox ash) on its own
 * /proc against a process the test starts, sends exactly the sections asked for, summed;
 * parse/capture-checked.ts marks only the changed section damaged, and the re-sent one takes
 * its place, giving the same capture as an undamaged stream. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { buildConsoleScript, buildResendScript } from '../../src/collect/console-script.js';
import { newBoundary } from '../../src/collect/remote-script.js';
import { latin1Digest } from '../../src/collect/sums.js';
import type { Selection } from '../../src/collect/source.js';
import { assembleChecked, damagedKeys, readChecked, replaceDamaged } from '../../src/parse/capture-checked.js';
import { GLOBAL } from '../../src/parse/capture-section.js';

function sh(shell: string[], script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // through a pipe, as a tty on a board: the script's tee opens /proc/self/fd/4, which a socket (node's own stdio) refuses
    const child = execFile('sh', ['-c', '"$@" | cat', 'sh', ...shell, '-s'], { encoding: 'latin1', maxBuffer: 64 << 20 }, (e, out, err) => (e ? reject(new Error(`${shell.join(' ')}: ${err || e.message}`)) : resolve(out)));
    child.stdin!.end(script, 'latin1');
  });
}

const sectionLines = (text: string, b: string) => text.split('\n').filter((l) => l.startsWith(b + ' ') && !/ (ok|gone) (md5|cksum) /.test(l) && l !== `${b} end`).map((l) => l.slice(b.length + 1));

for (const shell of [['sh'], ['busybox', 'sh']]) {
  describe(`console resend under ${shell.join(' ')}`, () => {
    let child: ChildProcess;
    let sel: Selection;
    before(async () => {
      child = spawn('sleep', ['600'], { stdio: 'ignore' });
      await new Promise<void>((res, rej) => { child.once('spawn', res); child.once('error', rej); });
      sel = { pids: [child.pid!], names: [], all: false, smaps: false };
    });
    after(() => { child.kill(); });

    test('the resend script sends exactly the sections asked for, in that order, each summed', async () => {
      const pid = child.pid!;
      const keys = [`pid ${pid} maps`, 'meminfo', 'uname', 'ulimit-s', 'df', `pid ${pid} cmdline`, `pid ${pid} fds`, `pid ${pid} stat`];
      const b = newBoundary();
      const out = await sh(shell, buildResendScript(sel, b, keys));
      assert.deepEqual(sectionLines(out, b), keys);
      const read = readChecked(out.slice(out.indexOf('mapsdiff-capture 2 ')), b, 'resend', latin1Digest);
      assert.equal(read.ended, true);
      assert.deepEqual(damagedKeys(read), []);
      assert.deepEqual(read.pieces.map((p) => p.key), keys);
    });

    test('every board-wide section the capture sends can be asked for again alone', async () => {
      const b = newBoundary();
      const full = await sh(shell, buildConsoleScript(sel, b));
      const board = sectionLines(full, b).map((w) => w.replace(/ (missing|denied)$/, '')).filter((w) => !w.startsWith('pid '));
      assert.ok(board.length >= 8, board.join(', '));
      for (const key of board) {
        assert.ok(GLOBAL.has(key), key);
        const r = newBoundary();
        assert.deepEqual(sectionLines(await sh(shell, buildResendScript(sel, r, [key])), r).map((w) => w.replace(/ (missing|denied)$/, '')), [key]);
      }
    });

    test('a byte changed in one section marks that section alone damaged; its resend makes the capture whole again', async () => {
      const pid = child.pid!;
      const b = newBoundary();
      const clean = await sh(shell, buildConsoleScript(sel, b));
      const at = clean.indexOf(`${b} pid ${pid} maps\n`) + `${b} pid ${pid} maps\n`.length + 3;
      const noisy = clean.slice(0, at) + String.fromCharCode(clean.charCodeAt(at) ^ 1) + clean.slice(at + 1);
      const start = clean.indexOf('mapsdiff-capture 2 ');
      const read = readChecked(noisy.slice(start), b, 'noisy', latin1Digest);
      assert.deepEqual(damagedKeys(read), [`pid ${pid} maps`]);
      assert.throws(() => assembleChecked(read, b, 'noisy', { requireEnd: true }), /pid \d+ maps does not match its checksum/);
      const r = newBoundary();
      const again = await sh(shell, buildResendScript(sel, r, damagedKeys(read)));
      assert.deepEqual(replaceDamaged(read, readChecked(again.slice(again.indexOf('mapsdiff-capture 2 ')), r, 'again', latin1Digest)), [`pid ${pid} maps`]);
      const whole = assembleChecked(read, b, 'noisy', { requireEnd: true }).raw;
      const want = assembleChecked(readChecked(clean.slice(start), b, 'clean', latin1Digest), b, 'clean', { requireEnd: true }).raw;
      const maps = (x: typeof whole) => x.sections.find((s) => s.name === 'maps')!;
      assert.deepEqual(maps(whole), maps(want));
      assert.deepEqual(whole.sections.map((s) => [s.name, s.pid, s.status]), want.sections.map((s) => [s.name, s.pid, s.status]));
    });
  });
}
