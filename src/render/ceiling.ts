/*! Which ceiling a process was laid out against, and why, as one phrase every output shares:
 * `user space up to 0xbf000000 (ARM 3G/1G: stack at 0xbefb9000)`. */
import type { CeilingSource } from '../model/layout.js';
import { hex } from './format.js';

/** Why: `ARM 3G/1G: stack at 0xbefb9000`, `--ceiling`, `default: ...`; also the JSON's ceilingSource. */
export function ceilingReason(s: CeilingSource): string {
  const ev = s.evidence;
  const seen = ev === null ? '' : 'machine' in ev ? `uname -m ${ev.machine}`
    : `${ev.region === '[stack]' ? 'stack' : ev.region} at ${hex(ev.at)}`;
  let why: string;
  if (s.from === 'default') why = 'default: no uname and no [stack], [sigpage] or [vectors] to tell the architecture';
  else if (s.from === 'evidence') why = seen ? `${s.rule}: ${seen}` : s.rule;
  else why = s.rule;
  if (s.raisedFrom !== undefined) {
    const by = s.from === 'default' && s.rule !== 'default' ? `${s.rule}: ` : '';
    why = s.from === 'default' ? `${by}raised from the default ${hex(s.raisedFrom)}: ${seen}`
      : `${why}, raised from ${hex(s.raisedFrom)}: ${seen} lies above it`;
  }
  return why;
}

/** `user space up to 0xbf000000 (ARM 3G/1G: stack at 0xbefb9000)` */
export function ceilingPhrase(ceiling: number, s: CeilingSource): string {
  return `user space up to ${hex(ceiling)} (${ceilingReason(s)})`;
}
