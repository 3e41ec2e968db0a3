/*! known_hosts as OpenSSH reads and writes it: checked against ssh-keygen's own output
 * (fingerprints, hashed entries, -F lookups), with keys made fresh by ssh-keygen. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendKnownHost, checkHostKey, fingerprint, hostMatches, knownKeyTypes } from '../../src/collect/hostkeys.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-hk-'));
const newKey = (name: string) => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(dir, name)]);
  const line = fs.readFileSync(path.join(dir, `${name}.pub`), 'utf8').trim();
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), fp: execFileSync('ssh-keygen', ['-lf', path.join(dir, `${name}.pub`)], { encoding: 'utf8' }).split(' ')[1]! };
};
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const A = newKey('a');
const B = newKey('b');
const kh = (name: string, text: string) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };
const policy = (files: string[], more = {}) => ({ knownHostsFiles: files, acceptNew: false, ...more });

test('fingerprints are what ssh-keygen -lf prints', () => {
  assert.equal(fingerprint(A.blob), A.fp);
  assert.match(A.fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
});

test('plain, [host]:port, wildcard and negated patterns', () => {
  assert.equal(hostMatches('board1,127.0.0.20', 'board1'), true);
  assert.equal(hostMatches('[127.0.0.1]:2222', '[127.0.0.1]:2222'), true);
  assert.equal(hostMatches('[127.0.0.1]:2222', '127.0.0.1'), false);
  assert.equal(hostMatches('[127.0.0.1]:*', '[127.0.0.1]:2223'), true); // the qemu board's known_hosts
  assert.equal(hostMatches('127.0.1.?', '127.0.1.7'), true);
  assert.equal(hostMatches('127.0.1.*,!127.0.1.9', '127.0.1.9'), false);
  assert.equal(hostMatches('Board1', 'board1'), true);
});

test('hashed entries written by ssh-keygen -H are found', () => {
  const f = kh('hashed', `[127.0.0.1]:2222 ${A.line}\nboard7 ${B.line}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', f]);
  const text = fs.readFileSync(f, 'utf8');
  assert.equal(text.includes('127.0.0.1'), false);
  assert.deepEqual(checkHostKey(A.blob, '127.0.0.1', 2222, policy([f])), { ok: true });
  assert.deepEqual(checkHostKey(B.blob, 'board7', 22, policy([f])), { ok: true });
  assert.equal(checkHostKey(B.blob, '127.0.0.1', 2222, policy([f])).ok, false);
});

test('unknown, changed, revoked, other key types and pins', () => {
  const f = kh('mixed', `# a comment\n\n[127.0.0.1]:2222 ${A.line}\n@revoked * ${B.line}\n[127.0.0.1]:2300 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ\n`);
  const unknown = checkHostKey(A.blob, '127.0.0.1', 2299, policy([f]));
  assert.equal(unknown.ok, false);
  assert.ok(!unknown.ok && unknown.reason === 'unknown' && unknown.message.includes(A.fp) && unknown.message.includes('--accept-new'));
  const changed = checkHostKey(newKey('c').blob, '127.0.0.1', 2222, policy([f], { acceptNew: true }));
  assert.ok(!changed.ok && changed.reason === 'changed' && changed.message.includes(`${f}:3`));
  const revoked = checkHostKey(B.blob, 'anything', 22, policy([f]));
  assert.ok(!revoked.ok && revoked.reason === 'revoked');
  const otherType = checkHostKey(A.blob, '127.0.0.1', 2300, policy([f]));
  assert.ok(!otherType.ok && otherType.reason === 'unknown' && otherType.message.includes('only ssh-rsa keys'));
  assert.deepEqual(knownKeyTypes('127.0.0.1', 2300, [f]), ['ssh-rsa']);
  assert.deepEqual(checkHostKey(A.blob, 'x', 22, policy([], { pinned: A.fp })), { ok: true });
  const pin = checkHostKey(A.blob, 'x', 22, policy([f], { pinned: B.fp }));
  assert.ok(!pin.ok && pin.reason === 'pinned-mismatch');
});

test('accept-new appends as OpenSSH does, and ssh-keygen -F finds it', () => {
  const f = path.join(dir, 'sub', 'known_hosts');
  const v = checkHostKey(A.blob, '127.0.0.1', 2222, policy([f], { acceptNew: true }));
  assert.deepEqual(v, { ok: true, recorded: `[127.0.0.1]:2222 ssh-ed25519 ${A.fp} -> ${f}` });
  assert.equal(fs.readFileSync(f, 'utf8'), `[127.0.0.1]:2222 ${A.line}\n`);
  assert.equal(fs.statSync(f).mode & 0o777, 0o600);
  fs.appendFileSync(f, `oldhost ${B.line}`); // no final newline
  appendKnownHost(f, 'board9', B.blob, true);
  const lines = fs.readFileSync(f, 'utf8').split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[2]!, /^\|1\|\S+\|\S+ ssh-ed25519 /);
  assert.match(execFileSync('ssh-keygen', ['-F', 'board9', '-f', f], { encoding: 'utf8' }), /Host board9 found: line 3/);
  assert.deepEqual(checkHostKey(B.blob, 'board9', 22, policy([f])), { ok: true });
});
