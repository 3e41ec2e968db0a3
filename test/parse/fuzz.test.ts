/*! Fuzz: random bytes and mutated real lines fed to every parser, seeded so a failure
 * repeats. Each parser must return or throw ParseError (line within the text), nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/errors.js';
import { parseMaps, parseMapsText } from '../../src/parse/maps.js';
import { parseCaptureText, formatCaptureText } from '../../src/parse/capture.js';
import { formatFramedText } from '../../src/parse/capture-framed.js';
import { parseCapture } from '../../src/parse/index.js';
import { parseMeminfo } from '../../src/parse/meminfo.js';
import { parseUlimitStack } from '../../src/parse/ulimit.js';
import { parseStat } from '../../src/parse/stat.js';
import { parseStatus } from '../../src/parse/status.js';
import { parseLimits } from '../../src/parse/limits.js';
import { parseSmaps, parseSmapsRollup } from '../../src/parse/smaps.js';
import { parseUptime } from '../../src/parse/uptime.js';
import { parseUname } from '../../src/parse/uname.js';
import type { RawCapture, RawSection, SectionName } from '../../src/model/capture.js';
import { fixture, mulberry32 } from '../helpers.js';

const B = 'FUZZ-BOUNDARY';
const MAPS = ['arm-uclibc-tenda-ac15-httpd-noaslr.maps', 'armv7-glibc-remarkable2-xochitl-qt.maps',
  'x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps', 'arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps',
  'or1k-musl-openrisc-busybox-init-8k-pages.maps', 'seed-section3-glued.maps.txt'].map((f) => fixture(`maps/${f}`));
const MEMINFO = fixture('meminfo/armv7-qemu-vexpress-buildroot-128mb-cma.meminfo');
const STAT = '412 (a) b (c) S 1 412 412 0 -1 4194560 310 0 0 0 12 5 0 0 20 0 3 0 8279 2490368 164 4294967295 65536\n';
const STATUS = 'Name:\thttpd\nState:\tS (sleeping)\nPid:\t412\nGroups:\t0 4 \nVmRSS:\t    1204 kB\n';
const LIMITS = 'Limit                     Soft Limit           Hard Limit           Units     \n'
  + 'Max stack size            8388608              unlimited            bytes     \n'
  + 'Max processes             1894                 1894                 processes \n';
const SMAPS = '00010000-0046d000 r-xp 00000000 b3:03 1417       /usr/bin/xochitl\nSize:  4468 kB\nRss:   2812 kB\n'
  + 'Pss:   2812 kB\nSwap:  0 kB\nVmFlags: rd ex mr\n02316000-03ad6000 rw-p 00000000 00:00 0          [heap]\nRss:  23040 kB\n';
const CAPTURE = formatCaptureText({
  sections: [
    { name: 'uname', status: 'ok', text: 'Linux b 2.6.36 #1 SMP armv7l\n' },
    { name: 'uptime', status: 'ok', text: '1234.56 1100.20\n' },
    { name: 'ulimit-s', status: 'ok', text: '8192\n' },
    { name: 'meminfo', status: 'ok', text: MEMINFO },
    { name: 'stat', pid: 412, status: 'ok', text: STAT },
    { name: 'status', pid: 412, status: 'ok', text: STATUS },
    { name: 'limits', pid: 412, status: 'ok', text: LIMITS },
    { name: 'maps', pid: 412, status: 'ok', text: MAPS[0]!.split('\n').slice(0, 12).join('\n') },
    { name: 'smaps', pid: 412, status: 'ok', text: SMAPS },
    { name: 'cmdline', pid: 412, status: 'ok', text: '/bin/httpd\0' },
    { name: 'maps', pid: 415, status: 'gone', text: '' },
  ],
}, B);

type Parser = (text: string) => unknown;
const PARSERS: Array<[string, Parser, string[]]> = [
  ['maps', (t) => parseMaps(t, { source: 'f' }), MAPS],
  ['maps lenient', (t) => parseMaps(t, { source: 'f', lenient: true }), MAPS],
  ['meminfo', (t) => parseMeminfo(t, 'f'), [MEMINFO]],
  ['ulimit', (t) => parseUlimitStack(t, 'f'), ['8192\n', 'unlimited\n']],
  ['stat', (t) => parseStat(t, 'f'), [STAT]],
  ['status', (t) => parseStatus(t, 'f'), [STATUS]],
  ['limits', (t) => parseLimits(t, 'f'), [LIMITS]],
  ['smaps', (t) => parseSmaps(t, 'f'), [SMAPS]],
  ['smaps_rollup', (t) => parseSmapsRollup(t, 'f'), [SMAPS.split('\n').slice(0, 6).join('\n')]],
  ['uptime', (t) => parseUptime(t, 'f'), ['1234.56 1100.20\n']],
  ['uname', (t) => parseUname(t, 'f'), ['Linux board1 6.1.0-armmp #1 SMP Debian 6.1.0 armv7l GNU/Linux\n']],
  ['capture text', (t) => parseCaptureText(t, 'f', { requireEnd: true }), [CAPTURE]],
  ['capture', (t) => parseCapture(parseCaptureText(t, 'f'), { source: 'f' }), [CAPTURE]],
  ['capture lenient', (t) => parseCapture(parseCaptureText(t, 'f'), { source: 'f', lenient: true }), [CAPTURE]],
  ['capture version 2', (t) => parseCapture(parseCaptureText(t, 'f', { requireEnd: true }), { source: 'f' }), [formatFramedText(parseCaptureText(CAPTURE, 'f'), B)]],
];

const SPECIAL = ['(', ')', '-', ':', ' ', '\t', '\n', '\r', '\0', '0', 'f', 'F', 'x', '[', ']', 'kB', ' (deleted)',
  'unlimited', B, `${B} `, `\n${B} end\n`, '\u00e9', '\ud800', '\u2028', '99999999999999999999999', '-1'];

function mutate(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  const from = Math.floor(rnd() * lines.length);
  let s = lines.slice(from, from + 1 + Math.floor(rnd() * 20)).join('\n');
  if (rnd() < 0.2) s = text; // the whole text now and then
  const edits = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const pick = SPECIAL[Math.floor(rnd() * SPECIAL.length)]!;
    switch (Math.floor(rnd() * 7)) {
      case 0: s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + s.slice(at + 1); break; // flip
      case 1: s = s.slice(0, at) + pick + s.slice(at); break; // insert
      case 2: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 8)); break; // delete
      case 3: s = s.slice(0, at); break; // truncate
      case 4: { const nl = s.indexOf('\n', at); if (nl !== -1) s = s.slice(0, nl) + s.slice(nl + 1); break; } // glue two lines
      case 5: s = s.slice(0, at) + pick + s.slice(at + 1); break; // replace
      default: { const l = s.split('\n'); const i = Math.floor(rnd() * l.length); l.splice(i, 0, l[Math.floor(rnd() * l.length)]!); s = l.join('\n'); } // duplicate a line
    }
  }
  return s;
}

function randomText(rnd: () => number): string {
  const n = Math.floor(rnd() * 200);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += rnd() < 0.1 ? SPECIAL[Math.floor(rnd() * SPECIAL.length)]! : String.fromCharCode(Math.floor(rnd() * (rnd() < 0.9 ? 128 : 0x10000)));
  }
  return s;
}

function check(name: string, parse: Parser, text: string, seed: number): void {
  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof ParseError)) {
      assert.fail(`${name} threw ${(e as Error)?.name}: ${(e as Error)?.message} (seed ${seed}) on ${JSON.stringify(text.slice(0, 300))}`);
    }
    const lines = text.split('\n').length;
    if (e.line < 1 || e.line > lines) assert.fail(`${name}: ParseError line ${e.line} outside 1..${lines} (seed ${seed})`);
  }
}

test('every parser returns or throws ParseError on mutated real input and random bytes', () => {
  let cases = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const rnd = mulberry32(seed);
    for (const [name, parse, corpus] of PARSERS) {
      check(name, parse, mutate(rnd, corpus[Math.floor(rnd() * corpus.length)]!), seed);
      if (seed % 4 === 0) check(name, parse, randomText(rnd), seed);
      cases += seed % 4 === 0 ? 2 : 1;
    }
  }
  assert.ok(cases > 30000, `${cases} cases`);
});

test('lenient maps never throws on mutated input', () => {
  const rnd = mulberry32(99);
  for (let i = 0; i < 1500; i++) {
    const r = parseMaps(mutate(rnd, MAPS[i % MAPS.length]!), { source: 'f', lenient: true });
    for (const v of r.vmas) assert.ok(v.start < v.end);
  }
});

test('round trip holds for random sections without the boundary', () => {
  const rnd = mulberry32(7);
  const names: SectionName[] = ['uname', 'meminfo', 'maps', 'stat', 'cmdline'];
  for (let i = 0; i < 500; i++) {
    const sections: RawSection[] = [];
    for (let k = Math.floor(rnd() * 6); k > 0; k--) {
      const name = names[Math.floor(rnd() * names.length)]!;
      if (sections.some((x) => x.name === name && (x.pid === undefined || x.pid === 1 + k))) continue; // no duplicates
      const s: RawSection = { name, status: rnd() < 0.8 ? 'ok' : rnd() < 0.5 ? 'missing' : 'gone', text: randomText(rnd).split(B).join('') };
      if (name === 'maps' || name === 'stat' || name === 'cmdline') s.pid = 1 + k;
      sections.push(s);
    }
    const raw: RawCapture = { sections };
    assert.deepEqual(parseCaptureText(formatCaptureText(raw, B), 'rt', { requireEnd: true }), raw, `case ${i}`);
  }
});

/** What a maps parse gave: its VMAs and skipped lines, or its error's line, problem and text. */
function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { line: e.line, problem: e.problem, text: e.text };
  }
}

test('the maps parser over UTF-8 bytes gives what the parser over the string gives, on mutated real input, strict and lenient, with room or not', () => {
  const rnd = mulberry32(0x5eed15);
  for (let i = 0; i < 3000; i++) {
    const text = mutate(rnd, MAPS[i % MAPS.length]!);
    const crlf = i % 5 === 0 ? text.replace(/\n/g, '\r\n') : text;
    for (const opts of [{ source: 'f' }, { source: 'f', lenient: true, room: i % 2 === 0 }]) {
      assert.deepEqual(outcome(() => parseMaps(crlf, opts)), outcome(() => parseMapsText(crlf, opts)), `case ${i}: ${JSON.stringify(crlf.slice(0, 300))}`);
    }
  }
});

test('a maps text longer than one window of the byte parser: lines across window ends, multi-byte names and CRLF read as the string parser reads them', () => {
  const rnd = mulberry32(42);
  const lines: string[] = [];
  let at = 0x10000;
  for (let i = 0; i < 6000; i++) {
    const name = ['', '/usr/lib/libé.so', '/opt/下面/a', `/lib/x${i % 7}.so`, '[heap]', '/f (deleted)'][Math.floor(rnd() * 6)]!;
    const width = rnd() < 0.5 ? 8 : 12;
    const hex = (v: number) => v.toString(16).padStart(width, '0');
    lines.push(`${hex(at)}-${hex(at + 0x1000)} r-xp 00000000 b3:01 ${name ? 7 : 0}${' '.repeat(1 + Math.floor(rnd() * 20))}${name}${rnd() < 0.1 ? '\r' : ''}`);
    at += 0x1000 * (1 + Math.floor(rnd() * 3));
  }
  const text = lines.join('\n') + '\n';
  assert.ok(text.length > 4 * 65536);
  const bytes = parseMaps(text, { source: 'f', room: true });
  assert.equal(bytes.vmas.length, 6000);
  assert.deepEqual(bytes, parseMapsText(text, { source: 'f', room: true }));
  // and a bad line near the end of a window is named with its line number
  const bad = lines.slice();
  bad[1100] = bad[1100]!.replace('r-xp', 'r-zp');
  assert.deepEqual(outcome(() => parseMaps(bad.join('\n'), { source: 'f' })), outcome(() => parseMapsText(bad.join('\n'), { source: 'f' })));
  assert.deepEqual((outcome(() => parseMaps(bad.join('\n'), { source: 'f' })) as { line: number }).line, 1101);
});
