/*! The target names a user can type: targets/*.json in the target directories and the
 * literal Host aliases of ~/.ssh/config (no patterns). For "did you mean" and completion. */
import fs from 'node:fs';
import { hostLines } from './ssh-config.js';
import { endpointContext, targetDirs, type TargetContext } from './target.js';

export function knownTargetNames(ctx: TargetContext): string[] {
  const names = new Set<string>(['local']);
  for (const dir of targetDirs(ctx)) {
    let files: string[] = [];
    try { files = fs.readdirSync(dir); } catch { continue; }
    for (const f of files) if (f.endsWith('.json') && f.length > 5) names.add(f.slice(0, -5));
  }
  try {
    for (const pats of hostLines(endpointContext(ctx))) for (const p of pats) if (!/[*?!]/.test(p)) names.add(p);
  } catch { /* a broken ssh_config is reported where it is used, not here */ }
  return [...names].sort();
}
