/*! Issue 10 §1 and §3 on the real boards (../shared/board under qemu): captured through a
 * ~/.ssh/config Host alias with no target file and no setting, every process gets its
 * board's ceiling (armhf ARM 3G/1G 0xbf000000, mipsel MIPS32 0x80000000) and the largest
 * gap an expert computes from the raw maps, and its VSZ equals the kernel's VmSize. The
 * workloads tick once a day here, so nothing a test reads moves between two reads. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootBoard, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

interface Section { name: string; pid?: number; status: string; text: string }

/** The expert's reading of one raw maps text: every line's range, the gaps from 0 up to the ceiling, the largest. */
function expertGaps(maps: string, ceiling: number): { largest: { start: number; end: number }; vszKiB: number } {
  const lines = maps.trim().split('\n').map((l) => {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(l)!;
    return { start: Number('0x' + m[1]), end: Number('0x' + m[2]), path: m[3]!.trim() };
  });
  let cursor = 0;
  let largest = { start: 0, end: 0 };
  const consider = (s: number, e: number) => { if (e - s > largest.end - largest.start) largest = { start: s, end: e }; };
  for (const l of lines) {
    if (l.start >= ceiling) break;
    consider(cursor, l.start);
    cursor = l.end;
  }
  consider(cursor, ceiling);
  // VmSize: every line but the gate areas the kernel prints after the mm's VMAs
  const vsz = lines.filter((l) => l.path !== '[vectors]' && l.path !== '[vsyscall]').reduce((n, l) => n + (l.end - l.start), 0);
  return { largest, vszKiB: vsz / 1024 };
}

for (const arch of ['armhf', 'mipsel'] as const) describe(`${arch} address space`, () => {
  let board: Board;
  let home: string;
  let cwd: string;
  let store: string;
  const want = arch === 'armhf'
    ? { ceiling: 0xbf000000, why: /^ARM 3G\/1G: stack at 0xbe[0-9a-f]{6}$/ }
    : { ceiling: 0x80000000, why: /^MIPS32 \(kuseg\): stack at 0x7f[0-9a-f]{6}$/ };

  before(async () => {
    board = await bootBoard(arch, { LEAK_INTERVAL: '86400' });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-home-'));
    fs.mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
    fs.writeFileSync(path.join(home, '.ssh', 'config'), [
      `Host board-${arch}`, '  HostName 127.0.0.1', `  Port ${board.port}`, '  User root',
      `  IdentityFile ${board.key}`, '',
    ].join('\n'), { mode: 0o600 });
    fs.copyFileSync(board.knownHosts, path.join(home, '.ssh', 'known_hosts')); // where ssh looks by default
    cwd = tempStore(); // no targets/ here: the alias alone says how to reach the board
    store = path.join(cwd, 'store');
  });
  after(async () => {
    await board?.stop();
    for (const d of [home, cwd]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test(`${arch} board through a ~/.ssh/config alias, no target file: its ceiling, the expert's largest gap, VSZ = VmSize for every process`, async (t) => {
    const env = { HOME: home, SSH_AUTH_SOCK: '', MAPSDIFF_PASSWORD: '' };
    const c = await mapsdiff(['capture', `board-${arch}`, '--all'], { store, cwd, env });
    assert.equal(c.code, 0, c.stderr);
    const [file] = fs.readdirSync(path.join(store, 'snapshots')).filter((f) => f.endsWith('.json'));
    const sections: Section[] = JSON.parse(fs.readFileSync(path.join(store, 'snapshots', file!), 'utf8').split('\n')[1]!);
    const show = JSON.parse((await mapsdiff(['show', '--json'], { store, cwd, env })).stdout);
    const withMaps = show.processes.filter((p: { vmas: unknown[] }) => p.vmas.length > 0);
    assert.ok(withMaps.some((p: { name: string }) => p.name === 'leaker') && withMaps.some((p: { name: string }) => p.name === 'steady'));
    // ppid (stat field 4) of every process: the session is the newest dropbear forked by
    // another dropbear, and everything under it
    const ppid = new Map(sections.filter((s) => s.name === 'stat' && s.status === 'ok').map((s) => {
      const rest = s.text.slice(s.text.lastIndexOf(')') + 2).split(' ');
      return [s.pid!, Number(rest[1])] as const;
    }));
    const comm = new Map<number, string>(show.processes.map((p: { pid: number; name: string }) => [p.pid, p.name]));
    const children = [...ppid.keys()].filter((pid) => comm.get(pid) === 'dropbear' && comm.get(ppid.get(pid)!) === 'dropbear');
    const session = new Set<number>(children.length ? [Math.max(...children)] : []);
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, parent] of ppid) if (session.has(parent) && !session.has(pid)) { session.add(pid); grew = true; }
    }
    let checked = 0;
    const skipped: string[] = [];
    for (const p of withMaps) {
      const raw = sections.find((s) => s.name === 'maps' && s.pid === p.pid)!.text;
      assert.equal(p.ceiling, '0x' + want.ceiling.toString(16), `${p.name} ${p.pid}`);
      assert.match(p.ceilingSource, want.why);
      assert.ok(!p.findings.some((f: { code: string }) => f.code === 'above-ceiling' || f.code === 'ceiling-raised'));
      const expert = expertGaps(raw, want.ceiling);
      assert.equal(Number(p.free.largest.start), expert.largest.start, `${p.name}: the largest gap starts where the raw maps say`);
      assert.equal(p.free.largest.size, expert.largest.end - expert.largest.start);
      const status = sections.find((s) => s.name === 'status' && s.pid === p.pid)?.text;
      const vmSize = status && /^VmSize:\s+(\d+) kB$/m.exec(status);
      if (!vmSize) continue;
      assert.equal(expert.vszKiB, p.totals.vsz / 1024, `${p.name}: VSZ is every VMA but the gate areas`);
      // the capture's own session (the dropbear child serving it and the shell under it) may
      // move between its two reads; every other process must agree to the page
      if (session.has(p.pid) && p.totals.vsz / 1024 !== Number(vmSize[1])) { skipped.push(`${p.name} ${p.pid}`); continue; }
      assert.equal(p.totals.vsz / 1024, Number(vmSize[1]), `${p.name} (pid ${p.pid}): VSZ equals the kernel's VmSize`);
      assert.ok(!p.findings.some((f: { code: string }) => f.code === 'vsz-mismatch'), `${p.name}: ${JSON.stringify(p.findings)}`);
      checked++;
    }
    assert.ok(checked >= 3, `VmSize checked on ${checked} processes`);
    const leaker = withMaps.find((p: { name: string }) => p.name === 'leaker');
    t.diagnostic(`${arch}: ${withMaps.length} processes with maps, VmSize = VSZ on ${checked}; the capture's session (pids ${[...session].join(', ')}) ` +
      `moved between its reads: ${skipped.join(', ') || 'no'}; ` +
      `leaker ${leaker.ceilingSource}, largest gap ${leaker.free.largest.size} bytes at ${leaker.free.largest.start}, VSZ ${leaker.totals.vsz / 1024} KiB`);
    const text = (await mapsdiff(['show', '--pid', String(withMaps.find((p: { name: string }) => p.name === 'leaker').pid)], { store, cwd, env })).stdout;
    assert.match(text, new RegExp(`user space up to 0x${want.ceiling.toString(16)} \\(${arch === 'armhf' ? 'ARM 3G/1G' : 'MIPS32'}`));
  });
});
