/*! Whether to trust a server's host key: a pinned SHA256 fingerprint, or OpenSSH's
 * known_hosts (plain, wildcard and hashed `|1|` entries, @revoked). An unknown host is
 * refused unless accept-new, which appends the key the way OpenSSH does; a changed key always. */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface HostKeyPolicy {
  /** `SHA256:...` as `ssh-keygen -lf` prints it: only this key is accepted; known_hosts is not read. */
  pinned?: string;
  /** Files to read, OpenSSH's order; new keys are written to the first (or to recordTo). */
  knownHostsFiles: string[];
  /** Where accept-new writes; null: nowhere (UserKnownHostsFile none). Default: the first file. */
  recordTo?: string | null;
  /** Trust and record the key of a host that has none in known_hosts (OpenSSH's accept-new). */
  acceptNew: boolean;
  /** Write new entries hashed (`|1|salt|hash`), like HashKnownHosts yes. Default false. */
  hashNew?: boolean;
}

/** The verdict, with the sentence a user needs when it is not `ok`. */
export type HostKeyVerdict =
  | { ok: true; recorded?: string }
  | { ok: false; reason: 'unknown'; message: string; fingerprint: string }
  | { ok: false; reason: 'changed' | 'revoked' | 'pinned-mismatch'; message: string };

/** `SHA256:` + unpadded base64 of the key blob's SHA-256, as OpenSSH prints it. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside a key blob, e.g. `ssh-ed25519`. */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + Math.min(n, 64)).toString('latin1');
}

/** How known_hosts names a host: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

interface Entry { file: string; line: number; marker: string; patterns: string; type: string; key: string }

/** Decide about `blob` offered by `host:port` (host = HostKeyAlias or the name connected to). */
export function checkHostKey(blob: Buffer, host: string, port: number, policy: HostKeyPolicy): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const fp = fingerprint(blob);
  const type = keyType(blob);
  if (policy.pinned) {
    if (normalizeFp(policy.pinned) === fp) return { ok: true };
    return { ok: false, reason: 'pinned-mismatch', message:
      `the host key of ${name} (${type} ${fp}) is not the pinned ${policy.pinned}; refusing to connect. ` +
      `If the board was re-flashed, check the new key and update "hostKey" in the target file.` };
  }
  const b64 = blob.toString('base64');
  const entries = policy.knownHostsFiles.flatMap(readEntries).filter((e) => hostMatches(e.patterns, name));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === b64);
  if (revoked) {
    return { ok: false, reason: 'revoked', message: `the host key of ${name} (${type} ${fp}) is marked @revoked in ${revoked.file}:${revoked.line}; refusing to connect` };
  }
  const plain = entries.filter((e) => e.marker === '');
  if (plain.some((e) => e.key === b64)) return { ok: true };
  const sameType = plain.find((e) => e.type === type);
  if (sameType) {
    return { ok: false, reason: 'changed', message:
      `HOST KEY CHANGED for ${name}: ${sameType.file}:${sameType.line} holds a different ${type} key than the ` +
      `server's ${fp}. Someone may be intercepting the connection, or the board was re-flashed; refusing to connect. ` +
      `If you know the board changed, remove the old key with: ssh-keygen -R '${name}' -f ${sameType.file}` };
  }
  const file = policy.recordTo !== undefined ? policy.recordTo : policy.knownHostsFiles[0];
  if (policy.acceptNew && file) {
    appendKnownHost(file, name, blob, policy.hashNew ?? false);
    return { ok: true, recorded: `${name} ${type} ${fp} -> ${file}` };
  }
  const others = plain.length ? ` (known_hosts has only ${[...new Set(plain.map((e) => e.type))].join(', ')} keys for it)` : '';
  // ssh2 does not negotiate host certificates, so a CA line cannot vouch for the server: said, not skipped
  const ca = entries.find((e) => e.marker === '@cert-authority');
  const caNote = ca ? ` ${ca.file}:${ca.line} names a @cert-authority for it, but mapsdiff's SSH client does not check host certificates (--ssh-client openssh does).` : '';
  const where = file ? `--accept-new to record it in ${file}` : '--accept-new after giving this host a UserKnownHostsFile to record it in';
  return { ok: false, reason: 'unknown', fingerprint: `${type} key fingerprint is ${fp}.`, message:
    `the host ${name} is not known${others}; its ${type} key fingerprint is ${fp}.${caNote} ` +
    `If that is the board's key, run again with ${where}, ` +
    `or pin it with "hostKey": "${fp}" in the target file.` };
}

/** Key types known_hosts lists for this host (to ask the server for those first, as OpenSSH does). */
export function knownKeyTypes(host: string, port: number, files: string[]): string[] {
  const name = knownHostsName(host, port);
  const types = files.flatMap(readEntries).filter((e) => e.marker === '' && hostMatches(e.patterns, name)).map((e) => e.type);
  return [...new Set(types)];
}

/** Append `name type key` (or its hashed form) to `file`, creating it (and its directory) private. */
export function appendKnownHost(file: string, name: string, blob: Buffer, hashed: boolean): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let host = name;
  if (hashed) {
    const salt = randomBytes(20);
    host = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  let before = '';
  try {
    const old = fs.readFileSync(file, 'utf8');
    if (old.length && !old.endsWith('\n')) before = '\n';
  } catch { /* a new file */ }
  fs.appendFileSync(file, `${before}${host} ${keyType(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
}

function readEntries(file: string): Entry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: Entry[] = [];
  text.split('\n').forEach((raw, i) => {
    const words = raw.trim().split(/\s+/);
    if (words[0] === '' || words[0]!.startsWith('#')) return;
    const marker = words[0]!.startsWith('@') ? words.shift()! : '';
    if (words.length < 3) return;
    out.push({ file, line: i + 1, marker, patterns: words[0]!, type: words[1]!, key: words[2]! });
  });
  return out;
}

/** OpenSSH's match_hostname: any positive pattern matches and no negated one does. */
export function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let hit = false;
  for (const p of patterns.split(',')) {
    const neg = p.startsWith('!');
    if (!glob(neg ? p.slice(1) : p, name.toLowerCase())) continue;
    if (neg) return false;
    hit = true;
  }
  return hit;
}

function glob(pattern: string, name: string): boolean {
  const re = pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** Accept `SHA256:abc`, `sha256:abc=` or bare base64. */
function normalizeFp(fp: string): string {
  const body = fp.trim().replace(/^sha256:/i, '').replace(/=+$/, '');
  return `SHA256:${body}`;
}
