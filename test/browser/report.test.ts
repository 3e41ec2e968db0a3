/*! The report opened as a person would: Debian's chromium, headless, driven by
 * playwright-core. No console errors, nothing fetched, every region of the snapshot in
 * the DOM with its kind, a tooltip on hover, a grower row that points at its box, the
 * series charts; size and time to first paint printed; screenshots in dist/test-output/. Chromium
 * missing is a failure (CI installs it with .ci/install-browser.sh), never a skip. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { fixturePath, repoRoot, tempDir } from '../helpers.js';
import { mapsdiff, tempStore } from '../cli/run.js';
import { generate, grow, render } from '../../bench/gen-maps.js';
import { storeSoak } from './series.js';

const CHROMIUM = process.env.MAPSDIFF_CHROMIUM ?? '/usr/bin/chromium';
const OUT = path.join(repoRoot, 'dist', 'test-output');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let context: Promise<BrowserContext> | null = null;
function browser(): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the report is tested in a real browser. Install it with 'bash .ci/install-browser.sh' (apt-get install chromium)`);
  }
  return (context ??= chromium.launchPersistentContext(tempDir('mapsdiff-chromium-'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 } }));
}
after(async () => {
  if (context) await (await context).close();
});

interface Opened { page: Page; errors: string[]; requests: string[]; firstPaint: number; loaded: number }

async function open(file: string): Promise<Opened> {
  const page = await (await browser()).newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('file://' + file);
  const firstPaint = await page.evaluate(() => new Promise<number>((resolve) => {
    const seen = performance.getEntriesByName('first-paint')[0];
    if (seen) return resolve(seen.startTime);
    new PerformanceObserver((list) => {
      const e = list.getEntriesByName('first-paint')[0];
      if (e) resolve(e.startTime);
    }).observe({ type: 'paint', buffered: true });
  }));
  const loaded = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  return { page, errors, requests, firstPaint, loaded };
}

async function report(store: string, names: string[], file: string): Promise<{ file: string; bytes: number }> {
  const out = path.join(store, file);
  const r = await mapsdiff(['report', ...names, '-o', out], { store });
  assert.equal(r.code, 0, r.stderr);
  return { file: out, bytes: fs.statSync(out).size };
}

const say = (what: string, bytes: number, o: Opened) =>
  console.log(`${what}: ${(bytes / 1024).toFixed(0)} KiB, first paint ${o.firstPaint.toFixed(0)} ms, load event ${o.loaded.toFixed(0)} ms`);

async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, name) });
}

/** [data-start, data-kind] of the region boxes (free gaps left out) of the page's first section. */
const regionBoxes = (page: Page) => page.$$eval('[data-sec="s0"] rect[data-kind]:not([data-kind="free"])', (rs) => rs.map((r) => [r.getAttribute('data-start'), r.getAttribute('data-kind')]));

async function expectedRegions(store: string, name: string): Promise<string[][]> {
  const j = JSON.parse((await mapsdiff(['show', name, '--json'], { store })).stdout);
  return j.processes[0].vmas.map((v: { start: string; kind: string }) => [BigInt(v.start).toString(16), v.kind]);
}

async function hoverTip(page: Page, selector: string): Promise<string> {
  await page.hover(selector);
  await page.waitForSelector('#tip:not([hidden])', { timeout: 5000 });
  return page.$eval('#tip', (t) => (t as HTMLElement).innerText);
}

test('reMarkable 2 (32-bit ARM, 646 VMAs): every region in the DOM with its kind, a tooltip on hover', async () => {
  const store = tempStore();
  assert.equal((await mapsdiff(['import', fixturePath('maps/armv7-glibc-remarkable2-xochitl-qt.maps'), '--name', 'rm2', '--target', 'remarkable2'], { store })).code, 0);
  const { file, bytes } = await report(store, ['rm2'], 'rm2.html');
  const o = await open(file);
  say('reMarkable 2 report', bytes, o);
  assert.deepEqual(o.errors, []);
  assert.deepEqual(o.requests, ['file://' + file], 'nothing fetched but the page itself');
  const want = await expectedRegions(store, 'rm2');
  assert.equal(want.length, 647, '646 lines; line 123 is an 8 MiB thread stack and the block the kernel merged into it');
  assert.deepEqual(await regionBoxes(o.page), want);
  const tip = await hoverTip(o.page, 'rect[data-kind="heap"]');
  assert.match(tip, /02316000-03ad6000 rw-p 00000000 00:00 0 +\[heap\]/);
  assert.match(tip, /kind heap, owner \[heap\], size 23.8 MiB/);
  await shoot(o.page, 'report-remarkable2.png');
  await o.page.mouse.move(0, 0);
  await o.page.click('rect[data-kind="code"][data-start="10000"]');
  assert.match(await o.page.$eval('#tip', (t) => (t as HTMLElement).innerText), /00010000-0046d000 r-xp 00000000 b3:03 \d+ +\/usr\/bin\/xochitl/);
  assert.equal(await o.page.$eval('#tip', (t) => t.classList.contains('pinned')), true, 'a click pins the tooltip');
  await o.page.close();
});

test('x86-64 fish (64-bit, deleted files, [vsyscall]): every region, 12-digit addresses in the tooltip', async () => {
  const store = tempStore();
  await mapsdiff(['import', fixturePath('maps/x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps'), '--name', 'fish'], { store });
  const { file, bytes } = await report(store, ['fish'], 'fish.html');
  const o = await open(file);
  say('x86-64 fish report', bytes, o);
  assert.deepEqual(o.errors, []);
  assert.deepEqual(await regionBoxes(o.page), await expectedRegions(store, 'fish'));
  const tip = await hoverTip(o.page, 'rect[data-kind="heap"]');
  assert.match(tip, /563ea23ea000-563ea2569000 rw-p 00000000 00:00 0 +\[heap\]/);
  await shoot(o.page, 'report-x86_64-fish.png');
  await o.page.close();
});

test('two captures: grown boxes marked as in the data, tooltip says GROWN, a grower row points at its box', async () => {
  const dir = tempDir('mapsdiff-grow-');
  const before = generate(300);
  fs.writeFileSync(path.join(dir, 'a.maps'), render(before));
  fs.writeFileSync(path.join(dir, 'b.maps'), render(grow(before)));
  const store = tempStore();
  await mapsdiff(['import', path.join(dir, 'a.maps'), '--name', 'a', '--pid', '7'], { store });
  await mapsdiff(['import', path.join(dir, 'b.maps'), '--name', 'b', '--pid', '7'], { store });
  const { file, bytes } = await report(store, ['a', 'b'], 'ab.html');
  const o = await open(file);
  say('compare report, 300 VMAs', bytes, o);
  assert.deepEqual(o.errors, []);
  const counts = await o.page.evaluate(() => {
    const data = JSON.parse(document.getElementById('mapsdiff-data')!.textContent!);
    const grown = data.sections.c0.diffs.filter((d: string[]) => d[0] === 'grown').length;
    return { grown, boxes: document.querySelectorAll('[data-sec="c0"] rect[data-side="after"][data-status="grown"]').length };
  });
  assert.ok(counts.grown > 5, `the generator grows regions (${counts.grown})`);
  assert.equal(counts.boxes, counts.grown);
  const tip = await hoverTip(o.page, 'rect[data-kind="heap"][data-side="after"]');
  assert.match(tip, /^GROWN: \[heap\]/);
  assert.match(tip, /delta \+256 KiB/, 'grow() adds 64 pages to the heap');
  await shoot(o.page, 'report-compare.png');
  const ref = await o.page.$eval('table.growers tbody tr', (tr) => tr.getAttribute('data-ref'));
  await o.page.click('table.growers tbody tr');
  assert.equal(await o.page.$eval(`#${ref}`, (r) => r.classList.contains('hit')), true);
  await o.page.close();
});

test('20k VMAs: the report stays small and paints fast', async () => {
  const dir = tempDir('mapsdiff-20k-');
  const vmas = generate(20_000);
  fs.writeFileSync(path.join(dir, 'big.maps'), render(vmas));
  const store = tempStore();
  await mapsdiff(['import', path.join(dir, 'big.maps'), '--name', 'big'], { store });
  const { file, bytes } = await report(store, ['big'], 'big.html');
  const o = await open(file);
  say(`${vmas.length}-VMA report`, bytes, o);
  assert.ok(bytes < 4 * 1024 * 1024, `under 4 MiB (${bytes} bytes)`);
  assert.ok(o.firstPaint < 5000, `first paint ${o.firstPaint} ms`);
  assert.deepEqual(o.errors, []);
  assert.equal((await regionBoxes(o.page)).length, vmas.length);
  await shoot(o.page, 'report-20k.png');
  await o.page.close();
});

test('a 200-capture series: small, paints fast, one chart per leak suspect', async () => {
  const store = tempStore();
  const names = storeSoak(store, 200);
  const { file, bytes } = await report(store, names, 'series.html');
  const o = await open(file);
  say('200-capture series report', bytes, o);
  assert.ok(bytes < 512 * 1024, `under 512 KiB (${bytes} bytes)`);
  assert.deepEqual(o.errors, []);
  assert.equal(await o.page.$$eval('svg[data-chart="kinds"] path[data-kind]', (ps) => ps.map((p) => p.getAttribute('data-kind')).join(' ')), 'code data heap stack anon');
  const suspects = await o.page.$$eval('svg[data-chart="suspect"] text.h', (ts) => ts.map((t) => t.textContent));
  assert.ok(suspects.includes('all heap') && suspects.includes('total (VSZ)'), suspects.join(', '));
  await shoot(o.page, 'report-series.png');
  await o.page.close();
});
