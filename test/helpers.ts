/*! Paths shared by the tests: the repo root, fixtures, and the built CLI. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Tests run from dist/test/**, so the repo root is found by walking up to package.json. */
export const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'mapsdiff') return dir;
    } catch { /* keep walking */ }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repo root not found');
    dir = up;
  }
})();

export const fixturePath = (name: string): string => path.join(repoRoot, 'fixtures', name);
export const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');
/** The launcher users run. */
export const binPath = path.join(repoRoot, 'bin', 'mapsdiff.js');
