/*! Which ssh_config settings apply to one host, as OpenSSH's readconf.c decides: ~/.ssh/config
 * then /etc/ssh/ssh_config, `Host` and `Match` blocks, `Include` (relative to ~/.ssh or /etc/ssh,
 * globs, 16 levels deep), the first value obtained for a keyword wins. Reads files; never connects. */
import fs from 'node:fs';
import path from 'node:path';
import { ParseError, UsageError } from '../errors.js';
import { hostLineMatches, matchPattern, matchPatternList, parseSshConfig, type SshConfigLine } from '../parse/ssh-config.js';

export interface SshConfigQuery {
  /** The name as the user typed it (what `Host` and `Match originalhost` see). */
  host: string;
  localUser: string;
  home: string;
  /** ~/.ssh/config (null: none), then the system-wide file (null: none). */
  userConfig: string | null;
  systemConfig: string | null;
  /** Values given before any config file, like ssh's command line (user@, :port): they win. */
  preset?: Record<string, string>;
}

/** The settings in effect: every active line per keyword, in the order read; the first one is the value. */
export class SshConfigValues {
  constructor(readonly lines: Map<string, SshConfigLine[]>, private readonly order: SshConfigLine[] = []) {}
  /** Of two keywords that exclude each other (ProxyJump, ProxyCommand), the one read first. */
  firstOf(a: string, b: string): SshConfigLine | undefined {
    const x = this.get(a);
    const y = this.get(b);
    if (!x || !y) return x ?? y;
    return this.order.indexOf(x) <= this.order.indexOf(y) ? x : y;
  }
  /** The first value obtained (OpenSSH's rule for every keyword but the few that add up). */
  get(keyword: string): SshConfigLine | undefined { return this.lines.get(keyword)?.[0]; }
  arg(keyword: string): string | undefined { return this.get(keyword)?.args[0]; }
  /** Every active line (IdentityFile, CertificateFile, forwards, SendEnv add up). */
  all(keyword: string): SshConfigLine[] { return this.lines.get(keyword) ?? []; }
}

const MAX_DEPTH = 16;

export function evaluateSshConfig(q: SshConfigQuery): SshConfigValues {
  const lines = new Map<string, SshConfigLine[]>();
  for (const [k, v] of Object.entries(q.preset ?? {})) lines.set(k, [{ file: '(given)', line: 0, keyword: k, name: k, args: [v], rest: v }]);
  const order: SshConfigLine[] = [];
  const values = new SshConfigValues(lines, order);
  const state = { wantFinal: false };
  const pass = (final: boolean) => {
    if (q.userConfig) readFile(q.userConfig, { user: true, neverMatch: false, final }, { v: true }, 0);
    if (q.systemConfig) readFile(q.systemConfig, { user: false, neverMatch: false, final }, { v: true }, 0);
  };
  pass(false);
  // `Match final`: OpenSSH reads the files a second time, the HostName now known; values set stay set
  if (state.wantFinal) pass(true);
  return values;

  function readFile(file: string, f: { user: boolean; neverMatch: boolean; final: boolean }, active: { v: boolean }, depth: number): void {
    if (depth > MAX_DEPTH) throw new UsageError(`${file}: too many nested Include levels (ssh allows ${MAX_DEPTH}); is a file including itself?`);
    let text: string;
    try {
      const st = fs.statSync(file);
      // as ssh refuses them: another user could change where we connect and which key we trust
      if ((st.uid !== 0 && st.uid !== process.getuid?.()) || (st.mode & 0o022) !== 0) {
        throw new UsageError(`bad owner or permissions on ${file} (ssh refuses it too): it must be yours and not writable by others; chmod go-w ${file}`);
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    let parsed: SshConfigLine[];
    try { parsed = parseSshConfig(text, file); } catch (e) {
      if (e instanceof ParseError) throw new UsageError(e.message);
      throw e;
    }
    for (const l of parsed) {
      if (l.keyword === 'host') {
        active.v = !f.neverMatch && hostLineMatches(q.host, l.args);
      } else if (l.keyword === 'match') {
        const r = matchLine(l, f.final);
        active.v = !f.neverMatch && r;
      } else if (l.keyword === 'include') {
        const outer = active.v;
        for (const arg of l.args) {
          const p = includePath(arg, l, f.user, q, values);
          for (const g of glob(p)) {
            readFile(g, { ...f, neverMatch: f.neverMatch || !outer }, active, depth + 1);
            active.v = outer; // a Match in an included file does not leak out of it
          }
        }
      } else if (active.v) {
        if (!f.user) l.system = true;
        const list = lines.get(l.keyword) ?? [];
        list.push(l);
        order.push(l);
        lines.set(l.keyword, list);
      }
    }
  }

  function matchLine(l: SshConfigLine, final: boolean): boolean {
    const where = `${l.file} line ${l.line}`;
    const hn = values.arg('hostname');
    const host = hn ? hn.replaceAll('%h', q.host) : q.host;
    const ruser = values.arg('user') ?? q.localUser;
    let result = true;
    const args = [...l.args];
    if (args.length === 0) throw new UsageError(`${where}: Match needs a criterion, e.g. "Match host board*"`);
    while (args.length) {
      let attr = args.shift()!;
      const neg = attr.startsWith('!');
      if (neg) attr = attr.slice(1);
      let crit = attr.toLowerCase();
      if (crit === 'all') {
        if (args.length) throw new UsageError(`${where}: "all" cannot be combined with other Match criteria`);
        return neg ? false : result;
      }
      if (crit === 'final' || crit === 'canonical') {
        if (crit === 'final' && !neg) state.wantFinal = true;
        if (final === neg) result = false;
        continue;
      }
      let arg: string | undefined;
      const eq = attr.indexOf('=');
      if (eq > 0) { crit = attr.slice(0, eq).toLowerCase(); arg = attr.slice(eq + 1); } else arg = args.shift();
      if (arg === undefined || arg === '') throw new UsageError(`${where}: Match ${crit} needs an argument`);
      let r: boolean;
      switch (crit) {
        case 'host': r = matchPatternList(host.toLowerCase(), arg, true) === 1; break;
        case 'originalhost': r = matchPatternList(q.host.toLowerCase(), arg, true) === 1; break;
        case 'user': r = matchPatternList(ruser, arg, false) === 1; break;
        case 'localuser': r = matchPatternList(q.localUser, arg, false) === 1; break;
        case 'tagged': r = matchPatternList(values.arg('tag') ?? '', arg, false) === 1; break;
        case 'sessiontype': r = matchPatternList('exec', arg, false) === 1; break;
        case 'exec':
          if (!result) continue; // as ssh: not run once an earlier criterion failed
          throw new UsageError(`${where}: "Match exec" would run a command to decide; mapsdiff's SSH client does not run it. ` +
            'Use --ssh-client openssh (the system ssh reads the whole config), or a Host block instead.');
        default:
          throw new UsageError(`${where}: Match ${crit} is not supported by mapsdiff's SSH client ` +
            '(supported: all, host, originalhost, user, localuser, tagged, sessiontype, final, canonical); use --ssh-client openssh');
      }
      if (r === neg) result = false;
    }
    return result;
  }

}

/** An Include argument as a path: ${VAR}, %-tokens, ~, relative to ~/.ssh (user config) or /etc/ssh. */
function includePath(arg: string, l: SshConfigLine, user: boolean, q: SshConfigQuery, values?: SshConfigValues): string {
  const p = arg.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => {
    const v = process.env[n];
    if (v === undefined) throw new UsageError(`${l.file} line ${l.line}: Include ${arg}: the environment variable ${n} is not set`);
    return v;
  }).replace(/%([%dhnru])/g, (_, k: string) => ({ '%': '%', d: q.home, h: values?.arg('hostname') ?? q.host, n: q.host, r: values?.arg('user') ?? q.localUser, u: q.localUser })[k]!);
  if (p.startsWith('~') && !user) throw new UsageError(`${l.file} line ${l.line}: bad include path ${p} (~ is for the user's config only)`);
  if (p === '~' || p.startsWith('~/')) return path.join(q.home, p.slice(1));
  if (path.isAbsolute(p)) return p;
  return user ? path.join(q.home, '.ssh', p) : path.join('/etc/ssh', p);
}

/** The `Host` lines of the user's config (and what it includes), each a list of patterns. */
export function hostLines(q: Omit<SshConfigQuery, 'host'>): string[][] {
  return hostEntries(q).map((h) => h.patterns);
}

/** The first `Host` line naming `name` literally (not by a pattern), with its file and line number. */
export function literalHostLine(name: string, q: Omit<SshConfigQuery, 'host'>): { file: string; line: number } | null {
  const h = hostEntries(q).find((e) => e.patterns.includes(name) && hostLineMatches(name, e.patterns));
  return h ? { file: h.file, line: h.line } : null;
}

function hostEntries(q: Omit<SshConfigQuery, 'host'>): { patterns: string[]; file: string; line: number }[] {
  const out: { patterns: string[]; file: string; line: number }[] = [];
  const walk = (file: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { return; }
    let parsed: SshConfigLine[];
    try { parsed = parseSshConfig(text, file); } catch (e) { if (e instanceof ParseError) throw new UsageError(e.message); throw e; }
    for (const l of parsed) {
      if (l.keyword === 'host') out.push({ patterns: l.args, file: l.file, line: l.line });
      if (l.keyword === 'include') for (const a of l.args) for (const g of glob(includePath(a, l, true, { ...q, host: '' }))) walk(g, depth + 1);
    }
  };
  if (q.userConfig) walk(q.userConfig, 0);
  return out;
}

/** `name` is a Host alias: a Host line matches it through something more than a catch-all `*`. */
export function isHostAlias(name: string, lines: string[][]): boolean {
  return lines.some((pats) => pats.some((p) => !p.startsWith('!') && p !== '*' && matchPattern(name, p)) && hostLineMatches(name, pats));
}

/** glob(3) for Include: `*`, `?` and `[...]` in any path segment, hidden names only when the pattern starts with `.`, sorted. */
export function glob(pattern: string): string[] {
  const parts = pattern.split('/');
  let found = [parts[0] === '' ? '/' : '.'];
  for (const part of parts.slice(parts[0] === '' ? 1 : 0)) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) { found = found.map((d) => path.join(d, part)); continue; }
    const next: string[] = [];
    for (const dir of found) {
      let names: string[];
      try { names = fs.readdirSync(dir); } catch { continue; }
      for (const n of names.sort()) if ((part.startsWith('.') || !n.startsWith('.')) && globPart(n, part)) next.push(path.join(dir, n));
    }
    found = next;
  }
  return found.filter((f) => fs.existsSync(f));
}

function globPart(name: string, part: string): boolean {
  if (!part.includes('[')) return matchPattern(name, part);
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    const close = c === '[' ? part.indexOf(']', i + 2) : -1;
    if (close > 0) { re += '[' + part.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = close; } else re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}
