/*! Opens one authenticated SSH connection to a target, through at most one jump host:
 * host keys checked (hostkeys.ts), login (auth.ts), a connect timeout that stops while the
 * user types at a prompt, Ctrl-C. Every failure is a CaptureError naming the host. */
import { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { CaptureError } from '../errors.js';
import { makeAuthHandler, type Prompter } from './auth.js';
import { checkHostKey, knownKeyTypes, type HostKeyPolicy, type HostKeyVerdict } from './hostkeys.js';

/** One SSH server to log in to. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** Key files to offer; empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa when they exist. */
  identityFiles: string[];
  /** Name looked up in known_hosts instead of `host` (OpenSSH's HostKeyAlias). */
  hostKeyAlias?: string;
}

/** A target: the board, and the one jump host (ProxyJump) in front of it, if any. */
export interface SshTarget extends SshEndpoint {
  jump?: SshEndpoint;
}

export interface ConnectOptions {
  /** Host key rules; `pinned` applies to the target, never to the jump host. */
  hostKeys: HostKeyPolicy;
  /** TCP connect, key exchange and login of each hop, not counting time at a prompt. */
  connectTimeoutMs: number;
  home: string;
  agent?: string;
  password?: string;
  prompt?: Prompter;
  signal?: AbortSignal;
  /** Told when accept-new recorded a host key. */
  onNotice?: (message: string) => void;
}

const BUSY = ' (a server also does this when too many logins arrive at once: Dropbear takes 5 from one address, ' +
  "OpenSSH's MaxStartups starts refusing at 10; capture fewer targets at once)";

export const endpointLabel = (e: SshEndpoint): string => `${e.user}@${e.host}:${e.port}`;

/** Logs in to `t` (through `t.jump`); the caller ends the returned clients. */
export async function openConnection(t: SshTarget, o: ConnectOptions): Promise<Client[]> {
  if (!t.jump) return [await loginHop(t, { ...o.hostKeys }, o)];
  const jump = await loginHop(t.jump, { ...o.hostKeys, pinned: undefined }, o);
  try {
    const stream = await new Promise<Duplex>((resolve, reject) => {
      jump.forwardOut('127.0.0.1', 0, t.host, t.port, (err, ch) => (err ? reject(err) : resolve(ch)));
    });
    return [await loginHop(t, { ...o.hostKeys }, o, stream), jump];
  } catch (err) {
    closeClient(jump);
    if (err instanceof CaptureError) throw err;
    throw new CaptureError(`the jump host ${endpointLabel(t.jump)} could not reach ${t.host}:${t.port}: ${(err as Error).message}`);
  }
}

/** Says goodbye, and drops the socket if the server does not close its side soon after. */
export function closeClient(c: Client): void {
  c.end();
  const sock = (c as unknown as { _sock?: { destroy(): void } })._sock;
  if (sock) setTimeout(() => sock.destroy(), 2000).unref();
}

/** Key exchanges and ciphers of boards whose Dropbear predates 2014 (SHA-1 and CBC), offered last. */
const LEGACY_KEX = ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'];
const LEGACY_CIPHERS = ['aes128-cbc', 'aes256-cbc', '3des-cbc'];

/** ssh2's host key algorithms, those known_hosts already has for this host first (as OpenSSH orders them). */
const HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss'];
function hostKeyOrder(known: string[]): string[] {
  const first = known.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])).filter((a) => HOST_KEY_ALGOS.includes(a));
  return [...new Set([...first, ...HOST_KEY_ALGOS])];
}

function loginHop(ep: SshEndpoint, policy: HostKeyPolicy, o: ConnectOptions, sock?: Duplex): Promise<Client> {
  const label = endpointLabel(ep);
  const keyName = ep.hostKeyAlias ?? ep.host;
  return new Promise((resolve, reject) => {
    const client = new Client();
    const tried: string[] = [];
    let verdict: HostKeyVerdict | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let left = o.connectTimeoutMs;
    let since = Date.now();
    const arm = () => {
      since = Date.now();
      timer = setTimeout(() => fail(`no answer from ${label} within the connect timeout (${o.connectTimeoutMs / 1000} s)`), left);
    };
    const pause = () => { clearTimeout(timer); left = Math.max(1, left - (Date.now() - since)); };
    const finish = () => { settled = true; clearTimeout(timer); o.signal?.removeEventListener('abort', onAbort); };
    const fail = (message: string) => {
      if (settled) return;
      finish();
      client.destroy();
      reject(new CaptureError(message));
    };
    const onAbort = () => fail(`interrupted while connecting to ${label}; nothing was stored`);
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort);
    const prompt: Prompter | undefined = o.prompt && (async (q, echo) => {
      pause();
      try { return await o.prompt!(q, echo); } finally { if (!settled) arm(); }
    });
    client.on('ready', () => { if (!settled) { finish(); resolve(client); } });
    client.on('error', (err: Error & { level?: string }) => {
      if (verdict && !verdict.ok) return fail(`${label}: ${verdict.message}`);
      if (err.level === 'client-authentication') {
        return fail(`authentication failed for ${label} (tried: ${tried.join(', ')}). ` +
          'Check the user and key, load the key into ssh-agent, or set MAPSDIFF_PASSWORD.');
      }
      const reset = (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? BUSY : '';
      fail(`cannot connect to ${label}: ${err.message}${reset}`);
    });
    client.on('close', () => fail(`the connection to ${label} closed during login${BUSY}`));
    arm();
    client.connect({
      host: ep.host,
      port: ep.port,
      sock,
      username: ep.user,
      readyTimeout: 0,
      keepaliveInterval: 15000,
      algorithms: {
        serverHostKey: hostKeyOrder(policy.pinned ? [] : knownKeyTypes(keyName, ep.port, policy.knownHostsFiles)) as never,
        // old Dropbear on field boards offers only these: after every modern one, so used only then
        kex: { append: LEGACY_KEX } as never,
        cipher: { append: LEGACY_CIPHERS } as never,
      },
      hostVerifier: (key: Buffer) => {
        verdict = checkHostKey(key, keyName, ep.port, policy);
        if (verdict.ok && verdict.recorded) o.onNotice?.(`recorded the host key of ${verdict.recorded}`);
        return verdict.ok;
      },
      authHandler: makeAuthHandler({
        user: ep.user, identityFiles: ep.identityFiles, home: o.home, agent: o.agent,
        password: o.password, prompt, label,
      }, tried),
    });
  });
}
