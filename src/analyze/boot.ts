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
/** When a snapshot does not say when its capture began (older snapshots): the time an SSH
 * capture of a board usually takes (login, the script, the transfer), generously. */
export const DEFAULT_LATENCY = 30;

/** The drift the two clocks may show over `elapsed` seconds, plus a second for the stamps' rounding. */
export function clockSlack(elapsed: number): number {
  return CLOCK_DRIFT * Math.abs(elapsed) + 1;
}

/**
 * When the board booted, by the host clock: the capture read the board's uptime some time
 * between its start and its host time stamp, so its boot began within [start - uptime,
 * stamp - uptime]. Two captures of one boot have overlapping windows (within the clocks'
 * drift); a later window that starts after the earlier one ends is a later boot.
 */
function bootWindow(r: SnapshotReport, at: number): { from: number; to: number; readFrom: number } | null {
  if (r.uptime === null) return null;
  const started = r.meta.startedAt ? Date.parse(r.meta.startedAt) / 1000 : NaN;
  const readFrom = Number.isFinite(started) && started <= at ? started : at - DEFAULT_LATENCY;
  return { from: readFrom - r.uptime, to: at - r.uptime, readFrom };
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
  const be = elapsed === null ? null : bootWindow(e, reversed ? tb! : ta!);
  const bl = elapsed === null ? null : bootWindow(l, reversed ? ta! : tb!);
  let rebootedBy: Continuity['rebootedBy'] = null;
  if (sameBoot === false) rebootedBy = 'boot-id';
  else if (sameBoot === null && up && l.uptime! < e.uptime!) rebootedBy = 'uptime-down';
  else if (sameBoot === null && be && bl && bl.from > be.to + clockSlack(elapsed!)) {
    rebootedBy = 'uptime-behind-clock'; // the board lost time: it was down, and booted again
  }
  const rebooted = rebootedBy !== null;
  const interval = !rebooted && up ? b.uptime! - a.uptime! : null;
  return {
    reversed, rebooted, rebootedBy, interval, hostInterval,
    clock: interval !== null ? 'uptime' : !rebooted && hostInterval !== null ? 'host' : 'unknown',
    otherBoard: otherBoard(e, l, rebooted && be && bl ? { e: be, l: bl, slack: clockSlack(elapsed!) } : null),
  };
}

/** What proves two captures come from different boards: what differs, one phrase each. */
function otherBoard(e: SnapshotReport, l: SnapshotReport,
  boots: { e: NonNullable<ReturnType<typeof bootWindow>>; l: NonNullable<ReturnType<typeof bootWindow>>; slack: number } | null): string[] {
  const out: string[] = [];
  const differ = (what: string, x: string | number | null, y: string | number | null) => {
    if (x !== null && y !== null && x !== y) out.push(`${what} ${x} in ${e.meta.name}, ${y} in ${l.meta.name}`);
  };
  differ('host name', e.hostname, l.hostname);
  differ('machine', e.machine, l.machine);
  differ('MemTotal (kB)', memTotal(e), memTotal(l));
  // a later boot that began before the earlier capture read the board overlaps the earlier
  // boot: one board cannot run two boots at once
  if (boots && boots.l.to < boots.e.readFrom - boots.slack) {
    out.push(`${l.meta.name}'s boot began ${Math.round(boots.e.readFrom - boots.l.to)} s before ${e.meta.name} was captured, in another boot`);
  }
  return out;
}

function memTotal(r: SnapshotReport): number | null {
  const m = r.meminfo?.['MemTotal'];
  return m ? m.value : null;
}
