/*! Regression: a spread into a call's arguments (`Math.max(...rows)`, `push(...skipped)`)
 * puts every element on the stack, and 120k VMAs overflowed it ("Maximum call stack size
 * exceeded"). No call in src/ spreads arguments; this walks the TypeScript syntax tree of
 * every source file to keep it so (array literals and object spreads are fine). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../helpers.js';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('no call in src/ spreads an array into its arguments (Math.max(...x), push(...x) overflow the stack on big captures)', () => {
  const found: string[] = [];
  for (const file of sources(path.join(repoRoot, 'src'))) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) {
        const line = sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
        found.push(`${path.relative(repoRoot, file)}:${line}: ${n.parent.getText().slice(0, 80)}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  assert.deepEqual(found, [], 'use a loop (or reduce) instead of spreading into a call');
});
