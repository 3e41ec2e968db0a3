/*! Opens one authenticated SSH connection to a target, through its ProxyJump hops (each an SSH
 * connection of its own) or a ProxyCommand (spawned with sh -c, its stdio the transport): host
 * keys checked (hostkeys.ts), login (auth.ts), a connect timeout that stops while the user types
 * at a prompt, keepalives, Ctrl-C. Every failure is a CaptureError naming the host. */
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { CaptureError } from '../errors.js';
import { makeAuthHandler, type Prompter } from './auth.js';
import { checkHostKey, knownKeyTypes, type HostKeyPolicy, type HostKeyVerdict } from './hostkeys.js';

/** OpenSSH's StrictHostKeyChecking; `no` reaches here only when the user allowed it (it acts as accept-new). */
export type StrictMode = 'yes' | 'ask' | 'accept-new' | 'no';

/** One SSH server to log in to, and how to reach it; optional fields come from ~/.ssh/config. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** Key files to offer; empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa when they exist. */
  identityFiles: string[];
  /** Name looked up in known_hosts instead of `host`, without the port (OpenSSH's HostKeyAlias). */
  hostKeyAlias?: string;
  /** Reached through this SSH server (ProxyJump; it may have a jump of its own). */
  jump?: SshEndpoint;
  /** Reached through this command's stdin/stdout (ProxyCommand, tokens already filled in), run with sh -c. */
  proxyCommand?: string;
  /** Its own known_hosts files (UserKnownHostsFile + GlobalKnownHostsFile); default: the capture's. */
  knownHostsFiles?: string[];
  /** Where accept-new records a key; null: nowhere (UserKnownHostsFile none). Default: the first file. */
  recordTo?: string | null;
  strictHostKeyChecking?: StrictMode;
  hashKnownHosts?: boolean;
  /** Offer only the key files, not the agent's keys. */
  identitiesOnly?: boolean;
  /** The agent socket; null: no agent (IdentityAgent none); undefined: SSH_AUTH_SOCK. */
  identityAgent?: string | null;
  /** Never prompt for this hop (BatchMode yes). */
  batchMode?: boolean;
  connectTimeoutMs?: number;
  /** ServerAliveInterval / CountMax (interval 0: off). Default 15 s, 3. */
  serverAlive?: { intervalMs: number; countMax: number };
}

/** A target: the board, and how to reach it. */
export type SshTarget = SshEndpoint;

export interface ConnectOptions {
  /** Host key rules; `pinned` applies to the target, never to a jump host. */
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

/** Logs in to `t` through its hops; the caller ends the returned clients (the target's first). */
export function openConnection(t: SshTarget, o: ConnectOptions): Promise<Client[]> {
  return connectHop(t, o, true, 0);
}

async function connectHop(ep: SshEndpoint, o: ConnectOptions, isTarget: boolean, depth: number): Promise<Client[]> {
  if (depth > 16) throw new CaptureError(`more than 16 jump hosts in front of ${endpointLabel(ep)}`);
  const policy: HostKeyPolicy = {
    ...o.hostKeys,
    pinned: isTarget ? o.hostKeys.pinned : undefined,
    knownHostsFiles: ep.knownHostsFiles ?? o.hostKeys.knownHostsFiles,
    ...(ep.recordTo !== undefined ? { recordTo: ep.recordTo } : {}),
    acceptNew: o.hostKeys.acceptNew || ep.strictHostKeyChecking === 'accept-new' || ep.strictHostKeyChecking === 'no',
    hashNew: ep.hashKnownHosts ?? o.hostKeys.hashNew,
  };
  if (ep.proxyCommand) {
    const proxy = spawnProxy(ep);
    return [await loginHop(ep, policy, o, proxy.stream, proxy)];
  }
  if (!ep.jump) return [await loginHop(ep, policy, o)];
  const chain = await connectHop(ep.jump, o, false, depth + 1);
  try {
    const stream = await new Promise<Duplex>((resolve, reject) => {
      chain[0]!.forwardOut('127.0.0.1', 0, ep.host, ep.port, (err, ch) => (err ? reject(err) : resolve(ch)));
    });
    return [await loginHop(ep, policy, o, stream), ...chain];
  } catch (err) {
    for (const c of chain) closeClient(c);
    if (err instanceof CaptureError) throw err;
    throw new CaptureError(`the jump host ${endpointLabel(ep.jump)} could not reach ${ep.host}:${ep.port}: ${(err as Error).message}`);
  }
}

/** A spawned ProxyCommand: why it ended (exit status, stderr), once it has. */
interface Proxy { stream: Duplex; why(): string; ended(): Promise<void> }

/** The ProxyCommand's stdio as one stream; its stderr (capped) goes into the error when it ends early. */
function spawnProxy(ep: SshEndpoint): Proxy {
  const child = spawn('sh', ['-c', ep.proxyCommand!], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let exit = '';
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 1000) stderr += d.toString('utf8'); });
  child.on('exit', (code, sig) => { exit = sig ? `killed by ${sig}` : `exit status ${code}`; });
  const closed = new Promise<void>((resolve) => { child.on('close', () => resolve()); child.on('error', () => resolve()); });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on('error', (err) => stream.destroy(err));
  child.stdin.on('error', () => { /* the command exited: reported as the connection closing */ });
  stream.on('close', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); });
  const why = () => ` (the ProxyCommand ${JSON.stringify(ep.proxyCommand)}${exit ? ` ended, ${exit}` : ''}` +
    `${stderr.trim() ? `; it said: ${JSON.stringify(stderr.trim().slice(0, 300))}` : ''})`;
  return { stream, why, ended: () => Promise.race([closed, new Promise<void>((r) => setTimeout(r, 2000).unref())]) };
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

function loginHop(ep: SshEndpoint, policy: HostKeyPolicy, o: ConnectOptions, sock?: Duplex, proxy?: Proxy): Promise<Client> {
  const label = endpointLabel(ep);
  // with HostKeyAlias, OpenSSH looks up the alias alone, never `[alias]:port`
  const keyName = ep.hostKeyAlias ?? ep.host;
  const keyPort = ep.hostKeyAlias ? 22 : ep.port;
  const limitMs = ep.connectTimeoutMs ?? o.connectTimeoutMs;
  return new Promise((resolve, reject) => {
    const client = new Client();
    const tried: string[] = [];
    let verdict: HostKeyVerdict | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let left = limitMs;
    let since = Date.now();
    const arm = () => {
      since = Date.now();
      timer = setTimeout(() => fail(`no answer from ${label} within the connect timeout (${limitMs / 1000} s)`), left);
    };
    const pause = () => { clearTimeout(timer); left = Math.max(1, left - (Date.now() - since)); };
    const finish = () => { settled = true; clearTimeout(timer); o.signal?.removeEventListener('abort', onAbort); };
    const fail = (message: string) => {
      if (settled) return;
      finish();
      client.destroy();
      sock?.destroy();
      // a ProxyCommand's exit status and last words, once it has ended, say why
      if (proxy) void proxy.ended().then(() => reject(new CaptureError(message + proxy.why())));
      else reject(new CaptureError(message));
    };
    const onAbort = () => fail(`interrupted while connecting to ${label}; nothing was stored`);
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort);
    const ask = ep.batchMode ? undefined : o.prompt;
    const prompt: Prompter | undefined = ask && (async (q, echo) => {
      pause();
      try { return await ask(q, echo); } finally { if (!settled) arm(); }
    });
    // Nagle's algorithm off (TCP_NODELAY), as OpenSSH's packet.c sets it on a session's socket: each login step
    // is one small packet waiting on the board's answer, and with Nagle on, the next small packet
    // waits for the ACK of the last, which the board's stack holds back up to its delayed-ACK
    // timer (40 ms on Linux): on the qemu board a connect and exec took ~400 ms with it and
    // ~190 ms without. A hop through a ProxyJump or ProxyCommand stream has no socket option to set.
    client.on('connect', () => client.setNoDelay(true));
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
    client.on('close', () => fail(`the connection to ${label} closed during login${proxy ? '' : BUSY}`));
    if (proxy) client.once('close', () => proxy.stream.destroy());
    arm();
    const agent = ep.identitiesOnly ? undefined : ep.identityAgent === null ? undefined : ep.identityAgent ?? o.agent;
    client.connect({
      host: ep.host,
      port: ep.port,
      sock,
      username: ep.user,
      readyTimeout: 0,
      keepaliveInterval: ep.serverAlive?.intervalMs ?? 15000,
      keepaliveCountMax: ep.serverAlive?.countMax ?? 3,
      algorithms: {
        serverHostKey: hostKeyOrder(policy.pinned ? [] : knownKeyTypes(keyName, keyPort, policy.knownHostsFiles)) as never,
        // old Dropbear on field boards offers only these: after every modern one, so used only then
        kex: { append: LEGACY_KEX } as never,
        cipher: { append: LEGACY_CIPHERS } as never,
      },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verdict = checkHostKey(key, keyName, keyPort, policy);
        if (verdict.ok && verdict.recorded) o.onNotice?.(`recorded the host key of ${verdict.recorded}`);
        if (verdict.ok || verdict.reason !== 'unknown' || ep.strictHostKeyChecking !== 'ask' || !prompt) return verify(verdict.ok);
        // StrictHostKeyChecking ask: the question OpenSSH asks, answered on the terminal
        const fp = verdict.fingerprint;
        prompt(`The authenticity of host '${label}' can't be established.\n${fp}\nAre you sure you want to continue connecting (yes/no)? `, true)
          .then((a) => {
            if (a?.trim().toLowerCase() !== 'yes') return verify(false);
            verdict = checkHostKey(key, keyName, keyPort, { ...policy, acceptNew: true });
            if (verdict.ok && verdict.recorded) o.onNotice?.(`recorded the host key of ${verdict.recorded}`);
            verify(verdict.ok);
          }, () => verify(false));
      },
      authHandler: makeAuthHandler({
        user: ep.user, identityFiles: ep.identityFiles, home: o.home, agent,
        password: o.password, prompt, label,
      }, tried),
    });
  });
}
