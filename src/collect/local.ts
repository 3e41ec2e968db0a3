/*! This machine, read straight from /proc: the embedded default when no board is at
 * hand. Returns the same RawCapture as the SSH collector, text verbatim. */
import fs from 'node:fs';
import os from 'node:os';
import { CaptureError } from '../errors.js';
import type { RawCapture, RawSection, SectionName } from '../model/capture.js';
import type { Selection, Source } from './source.js';
import { matchesSelection, namesWithPids, type ProcEntry } from './select.js';
import { textOf } from './bytes.js';
import { isKernelThreadStat } from '../parse/stat.js';

const PER_PROCESS: SectionName[] = ['stat', 'status', 'limits', 'cmdline', 'maps', 'smaps_rollup'];

export class LocalSource implements Source {
  readonly target = 'local';
  constructor(private readonly proc = '/proc') {}

  async collect(sel: Selection): Promise<RawCapture> {
    const sections: RawSection[] = [
      { name: 'uname', status: 'ok', text: unameLine() },
      this.file('uptime', `${this.proc}/uptime`),
      { name: 'ulimit-s', status: 'ok', text: ulimitS(this.readText(`${this.proc}/self/limits`) ?? '') },
      this.file('meminfo', `${this.proc}/meminfo`),
      this.file('boot_id', `${this.proc}/sys/kernel/random/boot_id`),
      this.file('max_map_count', `${this.proc}/sys/vm/max_map_count`),
      this.file('file-nr', `${this.proc}/sys/fs/file-nr`),
      this.file('slabinfo', `${this.proc}/slabinfo`),
      this.file('buddyinfo', `${this.proc}/buddyinfo`),
    ];
    const mounts = this.file('mounts', `${this.proc}/mounts`);
    sections.push(mounts, { name: 'df', status: 'ok', text: mounts.status === 'ok' ? tmpfsDf(mounts.text) : '' });
    const all = this.listProcesses();
    const chosen = all.filter((p) => matchesSelection(p, sel));
    if (chosen.length === 0) throw new CaptureError(noMatch(sel, all));
    let captured = 0;
    for (const p of chosen) {
      const mine = PER_PROCESS.map((n) => this.file(n, `${this.proc}/${p.pid}/${n}`, p.pid));
      if (sel.smaps || (sel.smapsAbove && grew(mine, sel.smapsAbove.find((b) => b.pid === p.pid)?.kib))) {
        mine.push(this.file('smaps', `${this.proc}/${p.pid}/smaps`, p.pid));
      }
      mine.push(this.fds(p.pid));
      if (!sel.cmdline) for (const s of mine) if (s.name === 'cmdline' && s.status === 'ok') programOnly(s);
      const maps = mine.find((s) => s.name === 'maps')!;
      // kernel threads have no address space: with --all they are left out (and counted)
      if (sel.all && maps.status === 'ok' && maps.text === '') continue;
      const stat = mine.find((s) => s.name === 'stat')!;
      const kernelThread = stat.status === 'ok' && isKernelThreadStat(stat.text);
      if (readAsGone(mine, stat, kernelThread)) {
        for (const s of mine) if (s.status !== 'denied') s.status = 'gone';
      } else if (kernelThread) {
        // a kernel thread never had an mm: its smaps_rollup fails with ESRCH while it lives (missing, as before)
        for (const s of mine) if (s.status === 'gone' && fs.existsSync(`${this.proc}/${p.pid}`)) s.status = 'missing';
      }
      for (const s of mine) sections.push(s);
      captured++;
    }
    if (captured === 0) throw new CaptureError(`every matching process exited or has no address space; nothing was stored`);
    return { sections };
  }

  private listProcesses(): ProcEntry[] {
    const out: ProcEntry[] = [];
    for (const e of fs.readdirSync(this.proc)) {
      if (!/^\d+$/.test(e)) continue;
      const comm = this.readText(`${this.proc}/${e}/comm`);
      if (comm === null) continue; // exited while listing
      const cmd = (this.readText(`${this.proc}/${e}/cmdline`) ?? '').split('\0')[0] ?? '';
      out.push({ pid: Number(e), comm: comm.replace(/\n$/, ''), argv0: cmd });
    }
    return out;
  }

  private file(name: SectionName, file: string, pid?: number): RawSection {
    const bytes = this.read(file);
    const base = pid === undefined ? { name } : { name, pid };
    if (bytes === 'denied') return { ...base, status: 'denied', text: '' };
    if (bytes === 'gone') return { ...base, status: 'gone', text: '' };
    if (bytes !== null) return { ...base, status: 'ok', ...textOf(bytes) };
    const gone = pid !== undefined && !fs.existsSync(`${this.proc}/${pid}`);
    return { ...base, status: gone ? 'gone' : 'missing', text: '' };
  }

  /** The number of open file descriptors, as the remote script counts them. */
  private fds(pid: number): RawSection {
    try {
      return { name: 'fds', pid, status: 'ok', text: `${fs.readdirSync(`${this.proc}/${pid}/fd`).length}\n` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return { name: 'fds', pid, status: 'denied', text: '' };
      return { name: 'fds', pid, status: fs.existsSync(`${this.proc}/${pid}`) ? 'missing' : 'gone', text: '' };
    }
  }

  private readText(file: string): string | null {
    const b = this.read(file);
    return b === null || b === 'denied' || b === 'gone' ? null : b.toString('utf8');
  }

  /** The file's bytes; null when it (or its process) does not exist; 'denied' when it may not be
   * read; 'gone' when it opened but its process had no address space left to read (ESRCH: the
   * show of smaps_rollup once the mm is gone, of any file once the task is reaped). */
  private read(file: string): Buffer | null | 'denied' | 'gone' {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return 'denied';
      if (code === 'ESRCH') return 'gone';
      if (code === 'ENOENT') return null;
      throw new CaptureError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
}

/** A process read as it exited, judged as the remote script and format 3's reader judge it: its
 * stat unread or saying Z (zombie) or X (dead), or, for a process that is no kernel thread, a
 * file that failed as gone or a maps read empty. A user process loses its mm only in do_exit
 * (exit_mm, before it becomes a zombie); a live one always has a VMA (its stack); a zombie's maps
 * opens and reads empty, its smaps_rollup fails with ESRCH (show_smaps_rollup). */
function readAsGone(mine: RawSection[], stat: RawSection, kernelThread: boolean): boolean {
  if (stat.status === 'gone') return true;
  if (stat.status !== 'ok') return false;
  if (stat.text === '' || /^[ZX]( |$)/.test(stat.text.slice(stat.text.lastIndexOf(')') + 2))) return true;
  if (kernelThread) return false;
  return mine.some((s) => s.status === 'gone' || (s.name === 'maps' && s.status === 'ok' && s.text === ''));
}

/** --smaps auto, as the remote script's `grew`: no bound (never read in full), or the Rss just read
 * (smaps_rollup, else status VmRSS, in kB) above it, or neither says. */
function grew(mine: RawSection[], kib: number | undefined): boolean {
  if (kib === undefined) return true;
  const text = (name: SectionName) => mine.find((s) => s.name === name && s.status === 'ok')?.text ?? '';
  const m = /^Rss:\s+(\d+)/m.exec(text('smaps_rollup')) ?? /^VmRSS:\s+(\d+)/m.exec(text('status'));
  return !m || Number(m[1]) > kib;
}

/** Keeps argv[0] (with its NUL) of a cmdline section: without --cmdline no argument is stored. */
function programOnly(s: RawSection): void {
  const bytes = Buffer.from(s.bytes ?? '', 'base64');
  const raw = s.bytes !== undefined ? bytes : Buffer.from(s.text, 'utf8');
  const nul = raw.indexOf(0);
  const kept = textOf(nul === -1 ? raw : raw.subarray(0, nul + 1));
  s.text = kept.text;
  if (kept.bytes === undefined) delete s.bytes;
  else s.bytes = kept.bytes;
}

/** What `df -Pk` prints for each tmpfs mount (1K blocks), from statfs. */
function tmpfsDf(mounts: string): string {
  const out: string[] = [];
  for (const line of mounts.split('\n')) {
    const w = line.split(' ');
    if (w[2] !== 'tmpfs') continue;
    const at = w[1]!.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    try {
      const st = fs.statfsSync(at);
      const k = st.bsize / 1024;
      const size = st.blocks * k, free = st.bfree * k, avail = st.bavail * k, used = size - free;
      out.push(`${w[0]} ${size} ${used} ${avail} ${size ? Math.ceil((used * 100) / size) : 0}% ${at}`);
    } catch { /* a mount we may not stat: left without usage */ }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function unameLine(): string {
  return `${os.type()} ${os.hostname()} ${os.release()} ${os.version()} ${os.machine()} GNU/Linux\n`;
}

/** What `ulimit -s` prints, from this process's own RLIMIT_STACK. */
function ulimitS(limits: string): string {
  const m = /^Max stack size\s+(\S+)/m.exec(limits);
  if (!m || m[1] === 'unlimited') return 'unlimited\n';
  return `${Math.floor(Number(m[1]) / 1024)}\n`;
}

function noMatch(sel: Selection, all: ProcEntry[]): string {
  const asked = [...sel.pids.map((p) => `pid ${p}`), ...sel.names.map((n) => JSON.stringify(n))].join(', ');
  const byName = new Map<string, number[]>();
  for (const p of all) byName.set(p.comm, [...(byName.get(p.comm) ?? []), p.pid]);
  return `no process on this machine matched ${asked}; running: ${namesWithPids(byName, 40)}`;
}
