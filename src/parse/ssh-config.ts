/*! The ssh_config grammar, as OpenSSH's readconf.c and misc.c read it: one keyword per line
 * (case-insensitive), then whitespace or one `=`, then arguments split like argv_split (double
 * and single quotes, `\` escapes, `#` starting a word ends the line), and OpenSSH's pattern
 * matching from match.c (`*`, `?`, `!` negation, comma lists). Text in, data out: no files. */
import { ParseError } from '../errors.js';

/** One directive: `keyword` lower-cased, `args` split and unquoted, `rest` the raw text after the
 * keyword (ProxyCommand, ProxyJump and the other command keywords take it verbatim). */
export interface SshConfigLine {
  file: string;
  line: number;
  keyword: string;
  /** The keyword as written, for messages. */
  name: string;
  args: string[];
  rest: string;
  /** Read from the system-wide config (/etc/ssh/ssh_config or a file it includes), not the user's. */
  system?: boolean;
}

const EXAMPLE = 'Host board1\n    HostName 192.168.1.20';

/** Every directive of one file, in order; blank and comment lines dropped. */
export function parseSshConfig(text: string, file: string): SshConfigLine[] {
  const out: SshConfigLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/[ \t\r\n\f]+$/, '').replace(/^[ \t\r\n]+/, '');
    if (line === '' || line.startsWith('#')) return;
    const kw = /^("[^"]*"|[^ \t\r\n"=]+)/.exec(line);
    if (!kw) throw new ParseError(file, i + 1, raw, 'a line must start with a keyword', EXAMPLE);
    const name = kw[1]!.replace(/^"(.*)"$/, '$1');
    const keyword = name.toLowerCase();
    // strdelim: whitespace, then at most one `=`, then whitespace
    const rest = line.slice(kw[0].length).replace(/^[ \t\r\n]*(=[ \t\r\n]*)?/, '');
    if (rest === '') throw new ParseError(file, i + 1, raw, `no argument after keyword "${keyword}"`, EXAMPLE);
    const args = splitArgs(rest);
    if (!args) throw new ParseError(file, i + 1, raw, 'a quote is not closed', 'ProxyCommand "/usr/bin/nc" %h %p');
    out.push({ file, line: i + 1, keyword, name, args, rest });
  });
  return out;
}

/** OpenSSH's argv_split with terminate_on_comment: null when a quote is left open. */
export function splitArgs(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') { i++; continue; }
    if (s[i] === '#') break;
    let quote = '';
    let arg = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\') {
        const n = s[i + 1];
        if (n === "'" || n === '"' || n === '\\' || (quote === '' && n === ' ')) { arg += n; i++; } else arg += c;
      } else if (quote === '' && (c === ' ' || c === '\t')) break;
      else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else arg += c;
    }
    if (quote !== '') return null;
    out.push(arg);
  }
  return out;
}

/** match.c's match_pattern: `*` any run, `?` any one character, everything else literal. */
export function matchPattern(s: string, pattern: string): boolean {
  let re = '';
  for (const c of pattern) re += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'u').test(s);
}

/** match.c's match_pattern_list over a comma list: -1 a negated pattern matched, 1 a positive one, 0 none. */
export function matchPatternList(s: string, list: string, lower: boolean): -1 | 0 | 1 {
  let hit: 0 | 1 = 0;
  for (const p of list.split(',')) {
    const neg = p.startsWith('!');
    const pat = neg ? p.slice(1) : p;
    if (!matchPattern(s, lower ? pat.toLowerCase() : pat)) continue;
    if (neg) return -1;
    hit = 1;
  }
  return hit;
}

/** A `Host` line's patterns (one per argument, each maybe `!`): some positive matches and no negated one. */
export function hostLineMatches(host: string, patterns: string[]): boolean {
  let hit = false;
  for (const p of patterns) {
    const neg = p.startsWith('!');
    if (!matchPattern(host, neg ? p.slice(1) : p)) continue;
    if (neg) return false;
    hit = true;
  }
  return hit;
}
