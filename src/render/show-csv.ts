/*! `show --csv`: the seed script's columns (start, end, size(KB), filename, permission,
 * with the NOT USED gaps) followed by ours. Cells through csvCell: RFC 4180 quoting, controls
 * escaped, formula-like text neutralised. */
import type { SnapshotReport } from '../model/report.js';
import type { Region } from '../model/vma.js';
import { csvCell as cell } from './escape.js';
import { addr } from './format.js';
import { rowsWithGaps } from './rows.js';

const HEADER = ['pid', 'process', 'start', 'end', 'size(KB)', 'filename', 'permission', 'kind', 'owner', 'perms', 'offset', 'dev', 'inode'];

// the seed's permission labels
const SEED_LABEL: Record<string, string> = {
  '---p': 'guard/thread stack', 'r--p': 'readonly var', 'rw-p': 'read/write var',
  'r-xp': 'code', 'rwxp': 'heap/stack', 'rw-s': 'sharememory',
};

export function renderShowCsv(report: SnapshotReport): string {
  const lines = [HEADER.join(',')];
  for (const p of report.processes) {
    const row = (start: number, end: number, rest: (string | number)[]) =>
      lines.push([p.pid === 0 ? '' : p.pid, p.name, addr(start, p.wordBits), addr(end, p.wordBits), (end - start) / 1024, ...rest].map(cell).join(','));
    for (const { gap, region } of rowsWithGaps(p)) {
      if (gap) row(gap.start, gap.end, ['NOT USED', 'unknown', 'free', '', '', '', '', '']);
      else row(region.start, region.end, regionCells(region));
    }
  }
  return lines.join('\n') + '\n';
}

function regionCells(r: Region): (string | number)[] {
  const name = r.deleted ? `${r.path} (deleted)` : r.path;
  return [name, SEED_LABEL[r.perms] ?? 'unkown', r.kind, r.owner, r.perms, r.offset.toString(16).padStart(8, '0'), r.dev, r.inode];
}
