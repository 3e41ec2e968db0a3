/*! The shell of the report page: head, stylesheet, the tooltip element, the JSON data
 * the script reads (board strings in a string table, `<` escaped so a path cannot end
 * the script) and the script; and the one line about a snapshot both views print. */
import type { SnapshotReport } from '../model/report.js';
import { escapeXml as x } from './escape.js';
import { duration } from './format.js';
import { pageCss, PAGE_SCRIPT } from './html-assets.js';

/** What the page's script reads: per section (data-sec) the regions or region diffs, and the strings they index. */
export interface PageData {
  strings: string[];
  sections: Record<string, { bits: 32 | 64; regions?: unknown[]; diffs?: unknown[] }>;
}

/** Interns board strings so a path repeated on many regions is sent once. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

export function page(title: string, body: string, data: PageData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mapsdiff"><title>${x(title)}</title>
<style>${pageCss()}</style></head>
<body>
${body}
<div id="tip" role="tooltip" hidden></div>
<script type="application/json" id="mapsdiff-data">${json}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

export function snapshotLine(r: SnapshotReport): string {
  const m = r.meta;
  return `captured ${m.capturedAt} via ${m.via}` + (r.uptime !== null ? `, board uptime ${duration(r.uptime)}` : '') + (r.uname ? ` — ${r.uname}` : '');
}
