/*! The bytes decoder a series loads with (issue 15: trend over 10,000 captures spent a third
 * of its time decoding files whose maps had not changed): decodeSnapshotBytes gives exactly
 * what decodeSnapshot gives (the same sections, or the same error) for files in mapsdiff's form
 * and every other JSON, and a string is shared with the file read before only when its bytes
 * are the same. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSnapshot, decodeSnapshotBytes, encodeSnapshot } from '../../src/store/file-format.js';
import type { TextReuse } from '../../src/store/sections-scan.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import type { RawSection } from '../../src/model/capture.js';

const meta: SnapshotMeta = { name: 't0', target: 'b', capturedAt: '2026-01-01T00:00:00.000Z', tool: { name: 'mapsdiff', version: 't' }, via: 'import', lenient: false };
const FILE = '/store/snapshots/t0.json';
const long = (tail: string) => '00008000-00033000 r-xp 00000000 b3:01 100        /usr/bin/app\n'.repeat(10) + tail;

/** Both decoders on the same bytes: the same value, or the same error message. */
function same(bytes: Buffer, reuse?: TextReuse): ReturnType<typeof decodeSnapshot> | null {
  let want: ReturnType<typeof decodeSnapshot> | Error;
  try {
    want = decodeSnapshot(bytes.toString('utf8'), FILE);
  } catch (e) {
    want = e as Error;
  }
  let got: ReturnType<typeof decodeSnapshot> | Error;
  try {
    got = decodeSnapshotBytes(bytes, FILE, { reuse });
  } catch (e) {
    got = e as Error;
  }
  if (want instanceof Error) {
    assert.ok(got instanceof Error, `bytes decoder accepted what JSON.parse refused: ${bytes.toString('utf8').slice(0, 200)}`);
    assert.equal(got.message, want.message);
    assert.equal(got.constructor, want.constructor);
    return null;
  }
  assert.deepEqual(got, want, bytes.toString('utf8').slice(0, 200));
  // and the same key order, as JSON.parse gives it
  for (let i = 0; i < want.sections.length; i++) assert.deepEqual(Object.keys((got as typeof want).sections[i]!), Object.keys(want.sections[i]!));
  return got as typeof want;
}

const head = JSON.stringify({ format: 'mapsdiff-snapshot/1', meta });
const file = (line2: string, rest = '\n') => Buffer.from(head + '\n' + line2 + rest, 'utf8');

test('a snapshot decoded from its bytes is what JSON.parse makes of it, for every section text and every damaged line 2', () => {
  const texts = ['', 'plain', 'tab\tand\nnewline', 'quote " and \\ backslash', 'é ü 漢字 😀', '\u0000\u001f\u007f\u2028\u2029', long('x\n'), long('"\\'), '\\"', 'a\\'];
  for (const text of texts) {
    const sections: RawSection[] = [{ name: 'maps', pid: 1, status: 'ok', text }, { name: 'uptime', status: 'ok', text: '1.00 2.00\n' }];
    same(Buffer.from(encodeSnapshot(meta, sections), 'utf8'));
  }
  const lines = [
    '[]', '[{}]', '[{"name":"maps","pid":1,"status":"ok","text":"a"}]',
    '[{"text":"a","status":"ok","pid":1,"name":"maps","extra":[1,2]}]', // a nested value: JSON.parse reads it
    '[{"name":"maps","pid":1,"status":"ok","text":"a","bytes":"YQ=="}]',
    '[{"name":"maps","pid":1e0,"status":"ok","text":"a"}]', '[{"name":"maps","pid":-1,"status":"ok","text":"a"}]',
    '[{"name":"maps","pid":1.5,"status":"ok","text":"a"}]', '[{"name":"maps","pid":null,"status":"ok","text":"a"}]',
    '[{"name":"maps","pid":true,"status":"ok","text":"a"}]', '[{"name":"maps","pid":01,"status":"ok","text":"a"}]',
    '[{"name":"maps","status":"ok","text":"a","text":"b"}]', // a repeated key: the last one
    '[{"__proto__":{"x":1},"name":"maps","status":"ok","text":"a"}]', '[{"__proto__":"x","name":"maps","status":"ok","text":"a"}]',
    '[ {"name":"maps","status":"ok","text":"a"} ]', '[{"name": "maps","status":"ok","text":"a"}]', // whitespace
    '[{"name":"maps","status":"ok","text":"a"}] ', '[{"name":"maps","status":"ok","text":"a"}]\r',
    '[{"name":"maps","status":"ok","text":"a\tb"}]', // a raw tab: not JSON
    '[{"name":"maps","status":"ok","text":"\\x"}]', '[{"name":"maps","status":"ok","text":"\\u12"}]', // bad escapes
    '[{"name":"maps","status":"ok","text":"a"', '[{"name":"maps","status":"ok","text":"a', '[{"name":"maps","status":"ok","text":"a"},]',
    '[{"name":"maps","status":"ok","text":"a"}', '[{"name":"maps","status":"ok","text":"a"}]]', '[{"name":"maps","status":"ok",}]',
    '[{"name":"maps""status":"ok"}]', '[{"name"}]', '[{name:"maps"}]', '{"name":"maps"}', '[1]', '["a"]', '[[]]', '', 'x',
    '[{"name":"maps","status":"sleepy","text":"a"}]', '[{"name":"maps","status":"ok","text":1}]', '[{"name":"maps","pid":"1","status":"ok","text":"a"}]',
  ];
  for (const l of lines) same(file(l));
  same(file('[{"name":"maps","status":"ok","text":"a"}]', '\n{"old":"third line"}\n')); // the parsed line older versions wrote
  same(file('[{"name":"maps","status":"ok","text":"a"}]', '')); // no final newline
  same(Buffer.from(head, 'utf8')); // no line 2
  // bytes that are not UTF-8 (cut sequences, a lone continuation byte), inside and outside strings
  const bad = Buffer.concat([Buffer.from(head + '\n[{"name":"maps","status":"ok","text":"a'), Buffer.from([0xe6, 0x22]), Buffer.from('}]\n')]);
  same(bad);
  same(Buffer.concat([Buffer.from(head + '\n[{"name":"maps","status":"ok","text":"'), Buffer.from([0x80, 0xc3]), Buffer.from('"}]\n')]));
  same(Buffer.concat([Buffer.from(head + '\n[{"name":"maps","status":"ok","text":"' + long('')), Buffer.from([0xf0, 0x9f]), Buffer.from('"}]\n')]));
});

test('a series shares a section text with the file before only when its bytes are the same', () => {
  const reuse: TextReuse = new Map();
  const one = (text: string) => same(Buffer.from(encodeSnapshot(meta, [{ name: 'uptime', status: 'ok', text: '1\n' }, { name: 'maps', pid: 1, status: 'ok', text }]), 'utf8'), reuse)!.sections[1]!.text;
  const a = one(long('a\n'));
  const again = one(long('a\n'));
  assert.equal(again, a);
  const longer = one(long('a\n') + 'more\n'); // the same bytes up to where the old text ended, then more
  assert.equal(longer, long('a\n') + 'more\n');
  assert.equal(one(long('a\n')), long('a\n'));
  assert.equal(one(long('a"\\')), long('a"\\')); // escapes where the old text closed
  assert.equal(one(long('a\n')), long('a\n'));
});

test('a header that is not the listed one byte for byte is decoded and checked as ever', () => {
  const bytes = Buffer.from(encodeSnapshot(meta, []), 'utf8');
  const listed = { ...meta };
  assert.equal(decodeSnapshotBytes(bytes, FILE, { known: listed }).meta, listed, 'the very header listed: its meta');
  const other = { ...meta, target: 'c' };
  assert.deepEqual(decodeSnapshotBytes(bytes, FILE, { known: other }).meta, meta, 'another header: what the file says');
  const bad = Buffer.from(JSON.stringify({ format: 'mapsdiff-snapshot/1', meta: { ...meta, capturedAt: 'soon' } }) + '\n[]\n');
  assert.throws(() => decodeSnapshotBytes(bad, FILE, { known: meta }), /meta.capturedAt "soon" is not a date/);
});
