/*! What `npm pack` puts in the package: the LICENSE, and every file the README links to,
 * so its links resolve in an installed copy (npm's own file list, no network). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.js';

test('the npm package carries LICENSE and every local file the README links to', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
  assert.ok(files.has('LICENSE'), 'LICENSE');
  assert.match(fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).license, 'MIT');
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
  assert.ok(links.length >= 3, `README links found: ${links.join(', ')}`);
  for (const l of links) assert.ok(files.has(path.posix.normalize(l)), `README links ${l}, which the package lacks`);
});
