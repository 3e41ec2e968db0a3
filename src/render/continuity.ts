/*! How two captures follow each other (analyze/boot's Continuity) as one sentence: the
 * interval and its clock, a reversed pair, a reboot and what showed it. Shared by the
 * text, HTML and watch renderers; plain text (callers escape for their medium). */
import type { Continuity } from '../model/compare.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import { duration } from './format.js';

export interface ContinuityText {
  text: string;
  /** A reboot or a reversed pair: shown as a warning. */
  warn: boolean;
}

const WHY: Record<NonNullable<Continuity['rebootedBy']>, string> = {
  'boot-id': 'a new boot id',
  'uptime-down': 'its uptime went down',
  'uptime-behind-clock': 'its uptime advanced far less than the host clock',
};

export function describeContinuity(r: Continuity & { before: SnapshotMeta; after: SnapshotMeta }): ContinuityText {
  const reboot = r.rebootedBy ? `the board REBOOTED between the captures (${WHY[r.rebootedBy]}); every process is a new one` : '';
  const when = r.interval !== null ? `${duration(Math.abs(r.interval))} (board uptime)`
    : r.clock === 'host' ? `${duration(Math.abs(r.hostInterval!))} (host clock; no board uptime)` : null;
  if (r.reversed) {
    const gap = when && !r.rebooted ? ` ${when} earlier` : ' earlier';
    return { text: `REVERSED pair: ${r.after.name} was captured${gap} than ${r.before.name}; growth here is what the process gave back` + (reboot ? `; ${reboot}` : ''), warn: true };
  }
  if (reboot) return { text: reboot, warn: true };
  if (when) return { text: `interval ${when}`, warn: false };
  return { text: 'interval unknown (an imported snapshot carries no board uptime)', warn: false };
}
