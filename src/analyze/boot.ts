/*! Two captures of one board: in which order they were taken, whether a reboot lies between
 * them, the interval and by which clock, and whether they are of one board at all. Pure.
 * Rules and where they come from: README "How identity is decided". */
import type { SnapshotReport } from '../model/report.js';
import type { Continuity } from '../model/compare.js';

/**
 * Board uptime and the host clock both tick from quartz oscillators specified to ±20..100 ppm
 * (0.07..0.36 s an hour each), and /proc/uptime counts suspended time too (CLOCK_BOOTTIME):
 * over one boot they agree within seconds per hour. 1e-3 (3.6 s an hour) is that, doubled.
 */
export const CLOCK_DRIFT = 1e-3;
/** When a snapshot does not say how long its capture took (older snapshots): the time an SSH
 * capture of a board usually takes (login, the script, the transfer), generously. */
export const DEFAULT_LATENCY = 30;

/**
 * How far apart two host-clock readings of board uptime may drift without a reboot between:
 * each capture read the board's uptime some time between its start and its host time stamp
 * (its capture duration), plus the clocks' drift over the elapsed time, plus a second for the
 * stamps' rounding.
 */
export function clockSlack(a: SnapshotReport, b: SnapshotReport, elapsed: number): number {
  return latency(a) + latency(b) + CLOCK_DRIFT * Math.abs(elapsed) + 1;
}

function latency(r: SnapshotReport): number {
  const { startedAt, capturedAt } = r.meta;
  if (!startedAt) return DEFAULT_LATENCY;
  const d = (Date.parse(capturedAt) - Date.parse(startedAt)) / 1000;
  return Number.isFinite(d) && d >= 0 ? d : DEFAULT_LATENCY;
}

/** Host time (s since the epoch) is meaningful for captures, not for imports (the time of the import command). */
const hostTime = (r: SnapshotReport): number | null => (r.meta.via === 'import' ? null : Date.parse(r.meta.capturedAt) / 1000);

export function continuity(a: SnapshotReport, b: SnapshotReport): Continuity {
  const ta = hostTime(a);
  const tb = hostTime(b);
  const hostInterval = ta !== null && tb !== null ? tb - ta : null;
  const sameBoot = a.bootId !== null && b.bootId !== null ? a.bootId === b.bootId : null;
  const up = a.uptime !== null && b.uptime !== null;
  // the order: within one boot the board's uptime says it; else the host clock of real captures
  const reversed = sameBoot === true && up ? b.uptime! < a.uptime! : hostInterval !== null ? hostInterval < 0 : false;
  const [e, l] = reversed ? [b, a] : [a, b];
  const elapsed = hostInterval === null ? null : Math.abs(hostInterval);
  let rebootedBy: Continuity['rebootedBy'] = null;
  if (sameBoot === false) rebootedBy = 'boot-id';
  else if (sameBoot === null && up && l.uptime! < e.uptime!) rebootedBy = 'uptime-down';
  else if (sameBoot === null && up && elapsed !== null && elapsed - (l.uptime! - e.uptime!) > clockSlack(e, l, elapsed)) {
    rebootedBy = 'uptime-behind-clock'; // the board lost time: it was down, and booted again
  }
  const rebooted = rebootedBy !== null;
  const interval = !rebooted && up ? b.uptime! - a.uptime! : null;
  return {
    reversed, rebooted, rebootedBy, interval, hostInterval,
    clock: interval !== null ? 'uptime' : !rebooted && hostInterval !== null ? 'host' : 'unknown',
    otherBoard: otherBoard(e, l, rebooted, elapsed),
  };
}

/** What proves two captures come from different boards: what differs, one phrase each. */
function otherBoard(e: SnapshotReport, l: SnapshotReport, rebooted: boolean, elapsed: number | null): string[] {
  const out: string[] = [];
  const differ = (what: string, x: string | number | null, y: string | number | null) => {
    if (x !== null && y !== null && x !== y) out.push(`${what} ${x} in ${e.meta.name}, ${y} in ${l.meta.name}`);
  };
  differ('host name', e.hostname, l.hostname);
  differ('machine', e.machine, l.machine);
  differ('MemTotal (kB)', memTotal(e), memTotal(l));
  // a later boot that began before the earlier capture was taken overlaps the earlier boot:
  // one board cannot run two boots at once
  if (rebooted && elapsed !== null && l.uptime !== null && l.uptime - elapsed > clockSlack(e, l, elapsed)) {
    out.push(`${l.meta.name}'s boot began ${Math.round(l.uptime - elapsed)} s before ${e.meta.name} was captured, in another boot`);
  }
  return out;
}

function memTotal(r: SnapshotReport): number | null {
  const m = r.meminfo?.['MemTotal'];
  return m ? m.value : null;
}
