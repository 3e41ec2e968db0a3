/*! Where a target's name was found (meta.targetOrigin), in words: for the capture's progress
 * line and notice, and for `show`. Plain text; callers escape it for the terminal. */
import type { TargetOrigin } from '../model/snapshot.js';

export function describeOrigin(o: TargetOrigin): string {
  const at = o.kind === 'file' ? `target file ${o.file}` : o.kind === 'ssh-config' ? `Host alias in ${o.file}${o.line ? ` line ${o.line}` : ''}` : 'address as typed';
  return at + (o.defaults ? `, defaults from ${o.defaults}` : '');
}
