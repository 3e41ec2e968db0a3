/*! Which target a name means when a targets/NAME.json and a ~/.ssh/config Host alias share
 * it, and an alias's mapsdiff defaults from the user config (issue 16): real captures against
 * OpenSSH sshd and Dropbear on 127.0.0.1, with a temp HOME holding the configs. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';
import { repoRoot, tempDir } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

let S: Servers;
let victim: ChildProcess & { pid: number };

before(async () => {
  S = await startServers();
  victim = await runAs(S, KEY_USER, 'md-origin');
});
after(async () => {
  await stopProcess(victim);
  await S?.stop();
});

/** A temp HOME whose ~/.ssh/config has `Host board1` (line 1) reaching the test sshd, and its known_hosts. */
function home(files: Record<string, string> = {}): { home: string; config: string; env: NodeJS.ProcessEnv } {
  const h = tempDir('mapsdiff-origin-');
  fs.mkdirSync(path.join(h, '.ssh'), { mode: 0o700 });
  const config = path.join(h, '.ssh', 'config');
  fs.writeFileSync(config, ['Host board1', '  HostName 127.0.0.1', `  Port ${S.sshd.port}`, `  User ${KEY_USER}`, `  IdentityFile ${S.key}`, ''].join('\n'));
  fs.writeFileSync(path.join(h, '.ssh', 'known_hosts'), fs.readFileSync(S.knownHosts, 'utf8'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(h, name)), { recursive: true });
    fs.writeFileSync(path.join(h, name), text);
  }
  return { home: h, config, env: { HOME: h, XDG_CONFIG_HOME: path.join(h, '.config'), SSH_AUTH_SOCK: '', MAPSDIFF_PASSWORD: '' } };
}

async function showJson(store: string, env: NodeJS.ProcessEnv) {
  const r = await mapsdiff(['show', '--json'], { store, env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("run from the repo root, the repo's example targets/board1.json does not shadow the user's Host board1: the alias is used, said and stored", async () => {
  const h = home();
  const store = tempStore();
  const r = await mapsdiff(['capture', 'board1', '--process', 'md-origin'], { store, cwd: repoRoot, env: h.env });
  assert.equal(r.code, 0, r.stderr);
  const repoFile = path.join(repoRoot, 'targets', 'board1.json');
  assert.ok(r.stderr.includes(`mapsdiff: board1: using the Host alias in ${h.config} line 1; not used, of the same name: ${repoFile} (give targets/board1.json to use that file)`), r.stderr);
  const shown = await mapsdiff(['show'], { store, env: h.env });
  assert.equal(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(`target board1 from the Host alias in ${h.config} line 1; not used, of the same name: ${repoFile}\n`), shown.stdout);
  const j = await showJson(store, h.env);
  assert.deepEqual(j.targetOrigin, { kind: 'ssh-config', file: h.config, line: 1, shadowed: [repoFile] });
  assert.deepEqual(j.processes.map((p: { pid: number }) => p.pid), [victim.pid]);
});

test("a Host alias takes its mapsdiff defaults (processes, ceiling) from the user config's targets section, with no target file", async () => {
  const h = home({ '.config/mapsdiff/config.json': JSON.stringify({ targets: { board1: { processes: ['md-origin'], ceiling: '0x7f000000', captureTimeout: 60 } } }) });
  const store = tempStore();
  const cwd = tempDir('mapsdiff-origin-cwd-');
  const r = await mapsdiff(['capture', 'board1'], { store, cwd, env: h.env });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /not used/);
  const j = await showJson(store, h.env);
  const configFile = path.join(h.home, '.config', 'mapsdiff', 'config.json');
  assert.deepEqual(j.targetOrigin, { kind: 'ssh-config', file: h.config, line: 1, defaults: configFile });
  assert.deepEqual(j.processes.map((p: { pid: number }) => p.pid), [victim.pid], 'the processes of the config entry, none named on the command line');
  // the entry's ceiling is the one laid out against (this 64-bit host's stack lies above it, so it is raised, and says from what)
  assert.match(j.processes[0].ceilingSource, /raised from 0x7f000000:/);
  const shown = await mapsdiff(['show'], { store, env: h.env });
  assert.ok(shown.stdout.includes(`target board1 from the Host alias in ${h.config} line 1, defaults from ${configFile}\n`), shown.stdout);
});

test('two targets at once: each progress line says where its name was found (a Host alias and its line, a target file)', async () => {
  const h = home();
  const cwd = tempDir('mapsdiff-origin-cwd-');
  fs.mkdirSync(path.join(cwd, 'targets'));
  const lab = path.join(cwd, 'targets', 'lab.json');
  fs.writeFileSync(lab, JSON.stringify({ host: '127.0.0.1', port: S.dropbear.port, user: KEY_USER, identityFile: S.key, knownHosts: S.knownHosts }));
  const store = tempStore();
  const r = await mapsdiff(['capture', 'board1', 'lab', '--process', 'md-origin'], { store, cwd, env: h.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`board1: connecting (Host alias in ${h.config} line 1)\n`), r.stderr);
  assert.ok(r.stderr.includes(`lab: connecting (target file ${lab})\n`), r.stderr);
  const list = JSON.parse((await mapsdiff(['list', '--json'], { store, env: h.env })).stdout);
  assert.deepEqual(list.snapshots.map((s: { target: string }) => s.target).sort(), ['board1', 'lab']);
});

test("the user's own targets/NAME.json wins over a Host alias of the same name, and the capture says the alias was passed over", async () => {
  const h = home();
  const mine = path.join(h.home, '.config', 'mapsdiff', 'targets', 'board1.json');
  fs.mkdirSync(path.dirname(mine), { recursive: true });
  fs.writeFileSync(mine, JSON.stringify({ host: '127.0.0.1', port: S.dropbear.port, user: KEY_USER, identityFile: S.key, knownHosts: S.knownHosts, processes: ['md-origin'] }));
  const store = tempStore();
  const r = await mapsdiff(['capture', 'board1'], { store, cwd: repoRoot, env: h.env });
  assert.equal(r.code, 0, r.stderr);
  const repoFile = path.join(repoRoot, 'targets', 'board1.json');
  assert.ok(r.stderr.includes(`mapsdiff: board1: using the target file ${mine}; not used, of the same name: Host board1 in ${h.config} line 1, ${repoFile}\n`), r.stderr);
  assert.deepEqual((await showJson(store, h.env)).targetOrigin, { kind: 'file', file: mine, shadowed: [`Host board1 in ${h.config} line 1`, repoFile] });
});

test('a mistake in the user config is a usage error naming the file and the field', async () => {
  const h = home({ '.config/mapsdiff/config.json': JSON.stringify({ targets: { board1: { host: '10.0.0.1' } } }) });
  const r = await mapsdiff(['capture', 'board1'], { store: tempStore(), cwd: tempDir('mapsdiff-origin-cwd-'), env: h.env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /config\.json: "targets"\."board1": unknown field "host"; the fields are processes, smaps, ceiling/);
});
