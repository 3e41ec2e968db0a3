/*! Regression: text from a board reached the terminal raw. `show --csv`, `compare --raw` (and
 * every printer for bidi overrides and U+009B) passed ESC, BEL, CR, C1 CSI and bidi controls
 * through, and JSON left C1 and bidi controls raw. A capture whose process name and paths
 * hold them goes through show (text, csv, json), compare (text, --raw, json), trend (text,
 * json) and list: none of those bytes comes out; JSON reads back to the same strings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { mapsdiff, tempStore } from './run.js';

const NASTY = '\x1b[2J\x07\r\u009b31m\u202e\u2066';
// what must never reach a terminal: C0 (but \n and, in CSV, nothing else), DEL, C1, bidi
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const B = 'MAPSDIFF-TEST-BOUNDARY';

function capture(uptime: number, heapEnd: string, comm = `ev${NASTY}il`): string {
  const stat = `412 (${comm}) S 1 412 412 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1000 1234 100 4294967295\n`;
  const maps = [
    `00008000-0000b000 r-xp 00000000 b3:01 1023       /usr/bin/ev${NASTY}il`,
    `00012000-${heapEnd} rw-p 00000000 00:00 0          [heap]`,
    `40000000-40001000 rw-s 00000000 00:05 77         /dev/=cmd|' /C calc'!A0 ${NASTY}`,
    `40001000-40002000 r--p 00000000 b3:01 99         /lib/x.so`,
    `40002000-40003000 ---p 00000000 00:00 0 `,
    `7ffdf000-80000000 rw-p 00000000 00:00 0          [stack]`,
  ].join('\n') + '\n';
  return `mapsdiff-capture 1 ${B}\n${B} uptime\n${uptime}.00 1.00\n${B} pid 412 stat\n${stat}${B} pid 412 maps\n${maps}${B} end\n`;
}

test('board text with ESC[2J, BEL, CR, U+009B and bidi overrides never reaches the output raw: show, compare, --raw, trend, list, JSON', async () => {
  const store = tempStore();
  try {
    for (const [i, end] of ['00033000', '00053000', '00073000'].entries()) {
      const f = path.join(store, `c${i}.txt`);
      fs.writeFileSync(f, capture(100 + i * 60, end));
      const r = await mapsdiff(['import', f, '--target', `bo${NASTY}ard`], { store });
      assert.equal(r.code, 0, r.stderr);
    }
    const runs: [string[], boolean][] = [
      [['show', 't0'], false], [['show', 't0', '--csv'], false], [['show', 't0', '--map'], false], [['show', 't0', '--json'], true],
      [['compare', 't0', 't1', '--all'], false], [['compare', 't0', 't1', '--raw'], false], [['compare', 't0', 't1', '--json'], true],
      [['trend', 't0', 't1', 't2'], false], [['trend', 't0', 't1', 't2', '--json'], true], [['list'], false], [['list', '--json'], true],
    ];
    for (const [args, json] of runs) {
      const r = await mapsdiff(args, { store });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      for (const [where, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
        const m = RAW.exec(text);
        assert.equal(m, null, `${args.join(' ')} ${where}: raw U+${m?.[0].charCodeAt(0).toString(16)} in ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
      }
      if (json) assert.ok(JSON.stringify(JSON.parse(r.stdout)).includes(JSON.stringify(NASTY).slice(1, -1)) || args[0] === 'trend', `${args.join(' ')}: the JSON value is the board's text`);
    }
    const show = await mapsdiff(['show', 't0'], { store });
    assert.match(show.stdout, /pid 412 {2}ev\\x1b\[2J\\x07\\x0d\\x9b31m\\u202e\\u2066il/);
    const raw = await mapsdiff(['compare', 't0', 't1', '--raw'], { store });
    assert.match(raw.stdout, /^\+00012000-00053000 rw-p/m);
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('show --csv neutralises cells a spreadsheet would run as formulas (= + - @ tab CR): a leading quote', async () => {
  const store = tempStore();
  try {
    const f = path.join(store, 'c.txt');
    fs.writeFileSync(f, capture(100, '00033000', "=cmd|' /C calc'!A0"));
    assert.equal((await mapsdiff(['import', f], { store })).code, 0);
    const csv = (await mapsdiff(['show', '--csv'], { store })).stdout.split('\n');
    const row = (needle: string) => csv.find((l) => l.includes(needle)) ?? assert.fail(`no row with ${needle}`);
    assert.match(row('/usr/bin'), /^412,'=cmd\|' \/C calc'!A0,00008000,/, 'a process name starting with = gets a leading quote');
    assert.match(row('/dev/'), /,\/dev\/=cmd\|' \/C calc'!A0 \\x1b\[2J\\x07\\x0d\\x9b31m\\u202e\\u2066,/, 'not at the start: kept; controls escaped');
    assert.match(row(',40002000,40003000,'), /,'---p,/, 'perms ---p would be a formula too');
    for (const line of csv.slice(1).filter(Boolean)) {
      for (const cell of line.split(',')) assert.doesNotMatch(cell, /^"?[=+\-@\t\r]/, `cell ${cell} of ${line}`);
    }
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});
