/*! Reads and checks one targets/NAME.json (schema: docs/targets.md). Every mistake is a
 * UsageError naming the file and the field; unknown fields are refused, not ignored. */
import fs from 'node:fs';
import { UsageError } from '../errors.js';

export interface TargetFile {
  host: string;
  port?: number;
  user?: string;
  identityFile: string[];
  processes?: (string | number)[] | 'all';
  smaps?: boolean;
  ceiling?: string;
  hostKey?: string;
  proxyJump?: string;
  knownHosts?: string;
  connectTimeout?: number;
  captureTimeout?: number;
  maxOutput?: string | number;
  description?: string;
  sshClient?: 'builtin' | 'openssh';
  /** A console instead of SSH: telnet://, serial+tcp:// or serial: (cli/console-target.ts). */
  console?: string;
  /** A command whose stdout is the console's password. */
  passwordCommand?: string;
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v !== '';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer one fires at once. */
const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);
const seconds: Check = (v) => num(v) && (v as number) <= MAX_TIMER_S;
const FIELDS: Record<string, [Check, string]> = {
  host: [str, 'a host name or address, e.g. "board1.local"'],
  port: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535, 'a port number 1-65535'],
  user: [str, 'a user name, e.g. "root"'],
  identityFile: [(v) => str(v) || (Array.isArray(v) && v.every(str)), 'a key file path or a list of them'],
  processes: [(v) => v === 'all' || (Array.isArray(v) && v.every((p) => str(p) || (Number.isInteger(p) && (p as number) > 0))), '"all" or a list of process names and pids, e.g. ["leaker", 412]'],
  smaps: [(v) => typeof v === 'boolean', 'true or false'],
  ceiling: [(v) => typeof v === 'string' && /^(0x)?[0-9a-fA-F]{1,16}$/.test(v), 'a hex address, e.g. "0xbf000000"'],
  hostKey: [(v) => typeof v === 'string' && /^SHA256:[A-Za-z0-9+/]{43}=?$/.test(v), 'a fingerprint as ssh-keygen -lf prints it, "SHA256:..."'],
  proxyJump: [str, '"[user@]host[:port]" of one jump host'],
  knownHosts: [str, 'a known_hosts file path'],
  connectTimeout: [seconds, `seconds, e.g. 10, at most ${MAX_TIMER_S} (24 days)`],
  captureTimeout: [seconds, `seconds, e.g. 120, at most ${MAX_TIMER_S} (24 days)`],
  maxOutput: [(v) => num(v) || str(v), 'bytes, or a size like "64MiB"'],
  description: [(v) => typeof v === 'string', 'text'],
  sshClient: [(v) => v === 'builtin' || v === 'openssh', '"builtin" (mapsdiff\'s own SSH client) or "openssh" (the system ssh)'],
  console: [(v) => typeof v === 'string' && /^(telnet|serial\+tcp):\/\/|^serial:/.test(v), 'a console address: "telnet://root@board1", "serial+tcp://host:port" or "serial:/dev/ttyUSB0?baud=115200"'],
  passwordCommand: [str, 'a shell command that prints the console password, e.g. "pass show board1"'],
};

export function readTargetFile(file: string): TargetFile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read the target file ${file}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${file}: a target file holds one JSON object, e.g. {"host": "board1.local", "user": "root"}`);
  }
  const obj = data as Record<string, unknown>;
  checkTargetFields(obj, file, Object.keys(FIELDS));
  if (obj.host === undefined && obj.console === undefined) throw new UsageError(`${file}: "host" is required, e.g. "host": "board1.local"`);
  const id = obj.identityFile;
  return { ...(obj as unknown as TargetFile), identityFile: id === undefined ? [] : typeof id === 'string' ? [id] : (id as string[]) };
}

/** Each field of `obj` is one of `allowed` and of the form docs/targets.md gives; `where` names it in messages. */
export function checkTargetFields(obj: Record<string, unknown>, where: string, allowed: string[]): void {
  for (const [k, v] of Object.entries(obj)) {
    const rule = Object.hasOwn(FIELDS, k) && allowed.includes(k) ? FIELDS[k] : undefined; // not "constructor" or "__proto__" of every object
    if (!rule) throw new UsageError(`${where}: unknown field "${k}"; the fields are ${allowed.join(', ')} (docs/targets.md)`);
    if (!rule[0](v)) throw new UsageError(`${where}: "${k}" must be ${rule[1]}; got ${JSON.stringify(v)}`);
  }
}
