/*! `mapsdiff report NAME [NAME...]`: one snapshot, two compared, or a series of three or
 * more (what `trend` says, drawn over time) as a self-contained HTML page (-o), and/or
 * one SVG picture for a ticket (--svg). Thin: load, analyze, render, write. */
import fs from 'node:fs';
import path from 'node:path';
import { reportSpec } from '../specs/report.js';
import { UsageError } from '../../errors.js';
import { loadSnapshot, openStore, reportFor, type GlobalArgs } from '../context.js';
import { asList, parseHexAddress, parsePid } from '../options.js';
import type { Io } from '../io.js';
import { compareReports } from '../../analyze/compare.js';
import type { Measure } from '../../model/compare.js';
import { rankedBy } from '../compare-by.js';
import { renderHtml } from '../../render/html.js';
import { renderSnapshotSvg } from '../../render/svg.js';
import { renderCompareSvg } from '../../render/svg-diff.js';
import { human } from '../../render/format.js';
import type { SnapshotReport } from '../../model/report.js';
import type { SnapshotStore } from '../../store/store.js';
import { runTrendWithCurves, targetNames } from '../series.js';

interface Args extends GlobalArgs {
  names: string[];
  output?: string;
  svg?: string;
  pid?: number | number[];
  ceiling?: string;
  target?: string;
  by?: Measure;
}

export function reportCommand(io: Io) {
  let notes = io.stdout; // where "wrote ..." goes: stderr when stdout carries a document (`-`)
  return {
    ...reportSpec,
    handler: (args: Args) => {
      const names = targetNames(asList(args.names), args.target);
      if (!names.length) throw new UsageError('name what to draw: one snapshot, two, a series, or --target T (all its captures)');
      if (!args.output && !args.svg) throw new UsageError('say where to write: -o report.html and/or --svg picture.svg (- is stdout)');
      if (args.output === '-' && args.svg === '-') throw new UsageError('-o - and --svg - would both write to stdout; send one of them to a file');
      if (args.output === '-' || args.svg === '-') notes = io.stderr;
      const store = openStore(args, io);
      const pids = asList(args.pid).map((p) => parsePid(p, '--pid'));
      const metas = names.length === 1 ? store.list() : [];
      const isTarget = metas.some((m) => m.target === names[0]) && !metas.some((m) => m.name === names[0]);
      if (names.length > 2 || isTarget) {
        if (args.svg) throw new UsageError('--svg draws one snapshot or two compared; for a series write the HTML report (-o)');
        if (args.by) throw new UsageError('--by ranks two snapshots compared; a series is judged on both measures (see mapsdiff trend)');
        write(args.output!, series(store, names, pids), 'report');
        return;
      }
      const ceiling = args.ceiling ? parseHexAddress(args.ceiling, '--ceiling') : undefined;
      const reports = names.map((n) => reportFor(loadSnapshot(store, n), { pids, ceiling }));
      for (const r of reports) checkPids(r, pids, reports.length);
      const [a, b] = reports as [SnapshotReport, SnapshotReport | undefined];
      if (!b && args.by) throw new UsageError('--by ranks two snapshots compared; name two');
      // ranked as compare ranks: RSS when every process has it in both captures, else VSZ (or --by)
      const result = b ? rankedBy(compareReports(a, b), args.by) : null;
      if (args.output) {
        const html = result && b ? renderHtml({ view: 'compare', before: a, after: b, result }) : renderHtml({ view: 'snapshot', report: a });
        write(args.output, html, 'report');
      }
      if (args.svg) {
        let svg: string;
        if (result) {
          const top = result.processes[0];
          if (!top) throw new UsageError(`snapshots ${names.join(' and ')} hold no process to draw`);
          svg = renderCompareSvg(top, `${result.before.name} -> ${result.after.name}  ${result.after.target}  pid ${top.diff.pid.after ?? top.diff.pid.before} ${top.diff.name}`);
        } else {
          if (!a.processes.length) throw new UsageError(`snapshot ${a.meta.name} holds no process to draw`);
          svg = renderSnapshotSvg(a);
        }
        write(args.svg, svg, 'picture');
      }
    },
  };

  function write(file: string, text: string, what: string): void {
    if (file === '-') { io.stdout.write(text); return; } // `-` is stdout, as for tar -f -
    const full = path.resolve(io.cwd, file);
    // written beside it, then renamed: a Ctrl-C (which ends the process at once) never leaves half a page
    const tmp = path.join(path.dirname(full), `.${path.basename(full)}.tmp-${process.pid}`);
    try {
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, full);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'its directory does not exist' : e.code === 'EISDIR' ? 'it is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
      throw new UsageError(`cannot write the ${what} to ${JSON.stringify(file)}: ${why}`);
    }
    // beside a `-` the other file's note goes to stderr: stdout carries only the document
    notes.write(`wrote ${what} ${file} (${human(Buffer.byteLength(text))})\n`);
  }
}

/** What `trend NAMES...` says, with the curves it was judged on, as one page. */
function series(store: SnapshotStore, names: string[], pids: number[]): string {
  return renderHtml({ view: 'series', ...runTrendWithCurves(store, { names, pids }) });
}

function checkPids(r: SnapshotReport, pids: number[], count: number): void {
  if (count > 1 || !pids.length) return;
  const missing = pids.filter((p) => !r.processes.some((q) => q.pid === p));
  if (missing.length) throw new UsageError(`snapshot ${r.meta.name} has no pid ${missing.join(', ')}`);
}
