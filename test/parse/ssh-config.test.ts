/*! The ssh_config grammar as OpenSSH's readconf.c/misc.c split it, and match.c's patterns:
 * text in, directives out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/errors.js';
import { hostLineMatches, matchPattern, matchPatternList, parseSshConfig, splitArgs } from '../../src/parse/ssh-config.js';

const one = (line: string) => parseSshConfig(line, 'cfg')[0]!;

test('keywords are case-insensitive and kept as written for messages', () => {
  const l = one('  HoStNaMe 10.0.0.1');
  assert.equal(l.keyword, 'hostname');
  assert.equal(l.name, 'HoStNaMe');
  assert.deepEqual(l.args, ['10.0.0.1']);
});

test('= separates like whitespace, once, with spaces around it or not', () => {
  for (const text of ['Port=2222', 'Port = 2222', 'Port =2222', 'Port= 2222', 'Port\t=\t2222']) assert.deepEqual(one(text).args, ['2222'], text);
  assert.deepEqual(one('Port==2222').args, ['=2222'], 'only one = is a separator');
});

test('comments: whole lines, and a word starting with # ends the line; blank lines dropped with their numbers kept', () => {
  const lines = parseSshConfig('# a comment\n\n   \nHost a b # the rest\n  User x#y\n', 'cfg');
  assert.deepEqual(lines.map((l) => [l.line, l.keyword, l.args]), [[4, 'host', ['a', 'b']], [5, 'user', ['x#y']]]);
});

test('quotes and escapes as argv_split: double or single quotes, \\" \\\' \\\\ and an escaped space', () => {
  assert.deepEqual(splitArgs('"/path with space/key" \'it"s\' a\\ b c\\"d \\\\e \\x'), ['/path with space/key', 'it"s', 'a b', 'c"d', '\\e', '\\x']);
  assert.deepEqual(one('IdentityFile "~/.ssh/my key"').args, ['~/.ssh/my key']);
  assert.deepEqual(splitArgs('a""b "" x'), ['ab', '', 'x']);
});

test('ProxyCommand keeps the raw rest of the line (quotes, #, spaces) for sh -c', () => {
  const l = one("ProxyCommand = ssh -W '[%h]:%p' jump # not a comment for sh");
  assert.equal(l.rest, "ssh -W '[%h]:%p' jump # not a comment for sh");
});

test('mistakes name the file and line: an open quote, a keyword without argument', () => {
  assert.throws(() => parseSshConfig('Host a\n  IdentityFile "~/.ssh/key\n', 'cfg'),
    (e: unknown) => e instanceof ParseError && e.line === 2 && /a quote is not closed/.test(e.message) && /^cfg:2:/.test(e.message));
  assert.throws(() => parseSshConfig('User\n', 'cfg'), (e: unknown) => e instanceof ParseError && /no argument after keyword "user"/.test(e.message));
});

test('match_pattern: * and ? anywhere, everything else literal, case-sensitive', () => {
  assert.ok(matchPattern('board12.lab', 'board*'));
  assert.ok(matchPattern('board1', 'board?'));
  assert.ok(!matchPattern('board12', 'board?'));
  assert.ok(matchPattern('a.b', 'a.b') && !matchPattern('axb', 'a.b'), 'a dot is a dot');
  assert.ok(!matchPattern('Board1', 'board*'));
  assert.ok(matchPattern('', '*') && matchPattern('', ''));
});

test('Host patterns: one per word, ! negation wins, only negations match nothing', () => {
  assert.ok(hostLineMatches('board1', ['other', 'board*']));
  assert.ok(!hostLineMatches('board-bad', ['board*', '!board-bad']));
  assert.ok(!hostLineMatches('board-bad', ['!board-bad', 'board*']));
  assert.ok(!hostLineMatches('anything', ['!board-bad']));
});

test('pattern lists (Match host, known_hosts): commas, negation -1, lower-casing for host names', () => {
  assert.equal(matchPatternList('127.0.0.1', '10.*,127.0.0.?', true), 1);
  assert.equal(matchPatternList('bad.lab', '*.lab,!bad.lab', true), -1);
  assert.equal(matchPatternList('x', 'a,b', false), 0);
  assert.equal(matchPatternList('board', 'BOARD', true), 1);
  assert.equal(matchPatternList('root', 'ROOT', false), 0, 'user names are case-sensitive');
});
