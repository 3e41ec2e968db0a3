/*! The npm package as a user gets it: `npm pack`, then `npm install -g --ignore-scripts` of
 * the tarball into a temp prefix (dependencies from the npm cache, else the registry), and the
 * installed `mapsdiff` run: --version, help, a local capture and show, an SSH capture with
 * ssh2's pure-JS crypto (no install script built its native binding), the README's links
 * resolving in the installed copy, and the man page where `man` finds it. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';
import { KEY_USER, runAs, startServers, stopProcess, type Servers } from '../servers/harness.js';

let dir = '';
let prefix = '';
let installed = '';
let bin = '';
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };

before(() => {
  dir = tempDir('mapsdiff-install-');
  // --ignore-scripts: `prepare` would rebuild dist/; the test build already made it
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string }[];
  const tarball = path.join(dir, packed[0]!.filename);
  prefix = path.join(dir, 'prefix');
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  installed = path.join(prefix, 'lib', 'node_modules', 'mapsdiff');
  bin = path.join(prefix, 'bin', 'mapsdiff');
});

/** The installed mapsdiff, run from a directory of its own with a HOME of its own. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: path.join(dir, 'home'), NO_COLOR: '1', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }));
  });
}

test('the installed mapsdiff answers --version and help', async () => {
  const v = await run(['--version']);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${pkg.version}\n`);
  const h = await run(['help', 'capture']);
  assert.equal(h.code, 0, h.stderr);
  assert.match(h.stdout, /^mapsdiff capture <targets\.\.>/);
  assert.match(h.stdout, /Examples:/);
});

test('the installed mapsdiff captures a local process and shows it', async () => {
  const store = path.join(dir, 'store');
  const child: ChildProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("ready")'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const c = await run(['--store', store, 'capture', 'local', '--pid', String(child.pid)]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, 't0\n');
    const s = await run(['--store', store, 'show', 't0']);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /^snapshot t0 {2}target local/);
    assert.match(s.stdout, new RegExp(`pid ${child.pid}\\b`));
  } finally {
    child.kill();
  }
});

test('installed with --ignore-scripts, ssh2 has no native binding and an SSH capture still works (pure-JS crypto)', async () => {
  const ssh2 = path.join(installed, 'node_modules', 'ssh2');
  assert.ok(fs.existsSync(path.join(ssh2, 'package.json')), 'ssh2 is installed beside mapsdiff');
  assert.ok(!fs.existsSync(path.join(ssh2, 'lib', 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node')), 'no install script built the binding');
  let S: Servers | undefined;
  let victim: (ChildProcess & { pid: number }) | undefined;
  try {
    S = await startServers();
    victim = await runAs(S, KEY_USER, 'md-installed');
    const target = path.join(dir, 'sshd.json');
    fs.writeFileSync(target, JSON.stringify({ host: '127.0.0.1', port: S.sshd.port, user: KEY_USER, identityFile: S.key, knownHosts: S.knownHosts, processes: ['md-installed'] }));
    const store = path.join(dir, 'store-ssh');
    const c = await run(['--store', store, 'capture', target], { SSH_AUTH_SOCK: '' });
    assert.equal(c.code, 0, c.stderr);
    const s = await run(['--store', store, 'show', '--json']);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout).processes.map((p: { pid: number }) => p.pid), [victim.pid]);
  } finally {
    if (victim) await stopProcess(victim);
    await S?.stop();
  }
});

test("the README's links resolve in the installed copy, and the man page is where man finds it", () => {
  const readme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
  assert.ok(links.length >= 3, links.join(', '));
  for (const l of links) assert.ok(fs.existsSync(path.join(installed, l)), `README links ${l}, missing in the installed copy`);
  assert.ok(fs.existsSync(path.join(installed, 'LICENSE')));
  assert.equal(fs.readFileSync(path.join(installed, 'man', 'mapsdiff.1'), 'utf8'), fs.readFileSync(path.join(repoRoot, 'man', 'mapsdiff.1'), 'utf8'));
  // npm links a global package's "man" pages into PREFIX/share/man
  assert.ok(fs.existsSync(path.join(prefix, 'share', 'man', 'man1', 'mapsdiff.1')), 'PREFIX/share/man/man1/mapsdiff.1');
  const page = execFileSync('man', ['-M', path.join(prefix, 'share', 'man'), 'mapsdiff'], { encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '100' } });
  assert.match(page, /^MAPSDIFF\(1\)/);
  const pj = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  for (const k of ['repository', 'homepage', 'bugs']) assert.ok(pj[k], `package.json ${k}`);
});

after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });
