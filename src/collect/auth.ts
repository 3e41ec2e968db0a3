/*! How the SSH collector logs in, in OpenSSH's spirit: none (dev boards with an empty
 * root password), the ssh agent, key files (asking for a passphrase), a password from
 * MAPSDIFF_PASSWORD or a prompt, keyboard-interactive. Never stores or logs a secret. */
import fs from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey, Prompt } from 'ssh2';
import { CaptureError } from '../errors.js';
import { escapeForTerminal } from '../render/escape.js';

/** Asks the user; resolves null when it cannot (no terminal). `echo: false` for secrets. */
export type Prompter = (question: string, echo: boolean) => Promise<string | null>;

export interface AuthOptions {
  user: string;
  /** Key files to offer in order; when empty, OpenSSH's default ~/.ssh/id_* files that exist. */
  identityFiles: string[];
  /** The user's home, for the default key files. */
  home: string;
  /** ssh-agent socket (SSH_AUTH_SOCK); undefined: no agent. */
  agent?: string;
  /** MAPSDIFF_PASSWORD: tried for password and keyboard-interactive before asking. */
  password?: string;
  /** Asks for passphrases and passwords; absent: never ask. */
  prompt?: Prompter;
  /** `user@host:port`, for prompts. */
  label: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const PROMPT_TRIES = 3;

/** An ssh2 authHandler trying each method once, in order; `tried` collects what it offered. */
export function makeAuthHandler(o: AuthOptions, tried: string[]): AuthHandlerMiddleware {
  let left: string[] | null = null;
  const allowed = (wire: string) => left === null || left.includes(wire);
  const steps = candidates(o, tried, allowed);
  return (methodsLeft, _partial, next) => {
    left = methodsLeft ?? null;
    const go = async (): Promise<void> => {
      for (;;) {
        const r = await steps.next();
        if (r.done) return (next as (a: unknown) => void)(false);
        const [label, method] = r.value;
        if (method.type !== 'none' && !allowed(method.type === 'agent' ? 'publickey' : method.type)) continue;
        tried.push(label);
        return next(method);
      }
    };
    go().catch(() => (next as (a: unknown) => void)(false));
  };
}

type Step = [label: string, method: AnyAuthMethod];

async function* candidates(o: AuthOptions, tried: string[], allowed: (wire: string) => boolean): AsyncGenerator<Step> {
  const username = o.user;
  yield ['none', { type: 'none', username }];
  if (o.agent) yield ['ssh-agent', { type: 'agent', username, agent: o.agent }];
  const explicit = o.identityFiles.length > 0;
  const files = explicit ? o.identityFiles : DEFAULT_KEYS.map((k) => path.join(o.home, '.ssh', k));
  for (const file of files) {
    if (!allowed('publickey')) break;
    const key = await loadKey(file, explicit, o, tried);
    if (key) yield [`key ${file}`, { type: 'publickey', username, key }];
  }
  if (o.password !== undefined) yield ['password from MAPSDIFF_PASSWORD', { type: 'password', username, password: o.password }];
  for (let i = 0; o.prompt && i < PROMPT_TRIES && allowed('password'); i++) {
    const password = await o.prompt(`${o.label}'s password: `, false);
    if (password === null) break;
    yield ['password (typed)', { type: 'password', username, password }];
  }
  // with no password and no one to ask there is nothing to answer (and PAM would only delay the failure)
  if (o.password !== undefined || o.prompt) yield ['keyboard-interactive', { type: 'keyboard-interactive', username, prompt: keyboardAnswers(o) }];
}

/** The private key in `file`, asking for its passphrase if it is encrypted; null to skip it. */
async function loadKey(file: string, explicit: boolean, o: AuthOptions, tried: string[]): Promise<ParsedKey | null> {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    if (explicit) tried.push(`key ${file} (unreadable: ${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return null;
  }
  let key = first(ssh2.utils.parseKey(data));
  if (key instanceof Error && /passphrase|encrypted/i.test(key.message)) {
    for (let i = 0; key instanceof Error && i < PROMPT_TRIES; i++) {
      const pass = o.prompt ? await o.prompt(`Enter passphrase for key '${file}': `, false) : null;
      if (pass === null) {
        tried.push(`key ${file} (encrypted; no terminal to ask for its passphrase)`);
        return null;
      }
      key = first(ssh2.utils.parseKey(data, pass));
    }
  }
  if (key instanceof Error) {
    tried.push(`key ${file} (not usable: ${key.message})`);
    return null;
  }
  return key;
}

function first(k: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(k) ? (k[0] ?? new Error('no key in file')) : k;
}

/** Answers keyboard-interactive prompts: the env password for one hidden prompt, else ask. */
function keyboardAnswers(o: AuthOptions) {
  let usedEnv = false;
  return (_name: string, _instr: string, _lang: string, prompts: Prompt[], finish: (a: string[]) => void): void => {
    const answer = async (): Promise<string[]> => {
      if (prompts.length === 1 && prompts[0]!.echo === false && o.password !== undefined && !usedEnv) {
        usedEnv = true;
        return [o.password];
      }
      const out: string[] = [];
      // the server writes the prompt: shown escaped, so it cannot move the cursor, clear the screen or reorder text
      for (const p of prompts) out.push((o.prompt ? await o.prompt(`(${o.label}) ${escapeForTerminal(p.prompt)}`, p.echo ?? false) : null) ?? '');
      return out;
    };
    answer().then(finish, () => finish(prompts.map(() => '')));
  };
}

/** Prompts on the terminal (stderr), without echo for secrets, one at a time. */
export function ttyPrompter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Prompter {
  let queue: Promise<unknown> = Promise.resolve();
  return (question, echo) => {
    const run = () => (input.isTTY ? readLine(input, output, question, echo) : Promise.resolve(null));
    const p = queue.then(run, run);
    queue = p.catch(() => undefined);
    return p;
  };
}

function readLine(input: NodeJS.ReadStream, output: NodeJS.WritableStream, question: string, echo: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    let line = '';
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CaptureError('interrupted at a prompt; nothing was stored'));
        if (ch === '\u007f' || ch === '\b') {
          line = line.slice(0, -1);
          if (echo) output.write('\b \b');
        } else {
          line += ch;
          if (echo) output.write(ch);
        }
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
