/*! The report page's stylesheet and its one small script (tooltips on hover and click,
 * a growers-table row that points at its region), as strings. No fonts, no network:
 * the page must open from disk on a laptop in the field. */
import { KIND_STYLE, STYLE_KINDS } from './kind-style.js';
import { svgStyle } from './svg-parts.js';
import { BOX_W } from './svg.js';
import { DIFF_BOX_W } from './svg-diff.js';

export function pageCss(): string {
  const bars = STYLE_KINDS.map((k) => `.b-${k}{background:${KIND_STYLE[k].fill};color:${KIND_STYLE[k].text}}`).join('');
  return `body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px 20px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px;border-top:1px solid #ddd;padding-top:12px}
.meta,.note{color:#555;font-size:12.5px}.warn{color:#a40000;font-weight:600}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12px}
nav a{margin-right:12px}.facts{margin:4px 0 8px}.facts b{font-weight:600}
.kindbar{display:flex;height:22px;border:1px solid #bbb;margin:6px 0 2px;max-width:1100px}
.kindbar div{overflow:hidden;white-space:nowrap;font-size:11px;line-height:22px;padding-left:3px;box-sizing:border-box;border-right:1px solid #fff}
.keys{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;max-width:1100px;margin-bottom:8px}
.keys span i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px;border:1px solid #aaa}
.row{display:flex;gap:20px;align-items:flex-start}.row.charts{flex-wrap:wrap;gap:14px}svg.chart{border:1px solid #eee}.row>div:first-child{overflow-x:auto;flex:0 1 auto}.side{position:sticky;top:0;max-height:100vh;overflow:auto;flex:0 0 auto;min-width:430px}.side td.n,.side th.n{white-space:nowrap}.side td:first-child{max-width:230px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.side h3{margin:4px 0}.strip{display:block}
table{border-collapse:collapse;font-size:12.5px}th,td{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.up{color:#b00000}td.down{color:#1a7f37}
tbody tr:hover{background:#f3f6ff;cursor:pointer}
#tip{position:fixed;z-index:10;max-width:560px;background:#fffff4;border:1px solid #888;box-shadow:0 2px 6px rgba(0,0,0,.25);
padding:6px 8px;font-size:12px;pointer-events:none;white-space:pre-wrap}#tip.pinned{border-color:#c00}
#tip .line{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:11.5px;word-break:break-all}
rect[data-kind]:hover,rect.hit{stroke:#000;stroke-width:1.5}
${bars}${svgStyle({ strip: BOX_W, diff: DIFF_BOX_W })}`;
}

/**
 * Tooltips: every box carries data-kind and data-start; a region's data-i (or a diff
 * box's data-d) indexes the section's entry in the JSON data, gaps carry data-end.
 */
export const PAGE_SCRIPT = `(() => {
const data = JSON.parse(document.getElementById('mapsdiff-data').textContent);
const S = data.strings;
const tip = document.getElementById('tip');
let pinned = null;
const human = (b) => { const u = ['B','KiB','MiB','GiB','TiB','PiB']; let v = Math.abs(b), i = 0; while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  const n = i === 0 || v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1).replace(/\\.0$/, ''); return (b < 0 ? '-' : '') + n + ' ' + u[i]; };
const size = (s, e) => Number(BigInt('0x' + e) - BigInt('0x' + s));
const pad = (h, bits) => h.padStart(bits === 64 ? 12 : 8, '0');
const el = (cls, text) => { const d = document.createElement('div'); if (cls) d.className = cls; d.textContent = text; return d; };
const order = new WeakMap();
// a snapshot section's regions are its non-free boxes in document order: no index is written per box
function regionIndex(sec, r) {
  if (!order.has(sec)) { const m = new Map(); let i = 0; for (const b of sec.querySelectorAll('rect[data-kind]')) if (b.dataset.kind !== 'free') m.set(b, i++); order.set(sec, m); }
  return order.get(sec).get(r);
}
function describe(r) {
  const sec = r.closest('[data-sec]'), p = data.sections[sec.dataset.sec]; const bits = p.bits;
  const out = [];
  if (r.dataset.kind === 'free' && r.dataset.end) {
    out.push(el('line', pad(r.dataset.start, bits) + '-' + pad(r.dataset.end, bits)));
    out.push(el('', 'free (not mapped), ' + human(size(r.dataset.start, r.dataset.end))));
  } else if (p.regions) {
    const v = p.regions[regionIndex(sec, r)], s = r.dataset.start;
    out.push(el('line', pad(s, bits) + '-' + pad(v[0], bits) + ' ' + v[1] + ' ' + v[2].padStart(8, '0') + ' ' + v[3] + ' ' + v[4] + '   ' + S[v[5]] + (v[7] ? ' (deleted)' : '')));
    out.push(el('', 'kind ' + r.dataset.kind + ', owner ' + S[v[6]] + ', size ' + human(size(s, v[0]))));
  } else if (r.dataset.d !== undefined) {
    const d = p.diffs[+r.dataset.d];
    const side = (name, s) => s ? name + ' ' + pad(s[0], bits) + '-' + pad(s[1], bits) + ' ' + s[2] + ' ' + human(s[3]) + (s[4] > 1 ? ' in ' + s[4] + ' VMAs' : '') : name + ' -';
    out.push(el('', d[0].toUpperCase() + (d[5] ? ' (' + d[5] + ')' : '') + ': ' + (S[d[2]] || S[d[1]])));
    out.push(el('line', side('before', d[3])));
    out.push(el('line', side('after ', d[4])));
    out.push(el('', 'kind ' + r.dataset.kind + ', owner ' + S[d[1]] + ', delta ' + (d[6] > 0 ? '+' : '') + human(d[6])));
  }
  return out;
}
function show(r, x, y) {
  tip.replaceChildren(...describe(r)); tip.hidden = false;
  const w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = Math.min(x + 14, innerWidth - w - 4) + 'px';
  tip.style.top = (y + 16 + h > innerHeight ? Math.max(4, y - h - 8) : y + 16) + 'px';
}
document.addEventListener('mouseover', (e) => { const r = e.target.closest && e.target.closest('rect[data-kind]'); if (r && r.closest('[data-sec]') && !pinned) show(r, e.clientX, e.clientY); });
document.addEventListener('mousemove', (e) => { if (!pinned && !tip.hidden) { const r = e.target.closest && e.target.closest('rect[data-kind]'); if (r && r.closest('[data-sec]')) show(r, e.clientX, e.clientY); else tip.hidden = true; } });
document.addEventListener('click', (e) => {
  const row = e.target.closest && e.target.closest('tr[data-ref]');
  if (row) { const r = document.getElementById(row.dataset.ref); if (r) { r.scrollIntoView({ block: 'center' }); r.classList.add('hit'); setTimeout(() => r.classList.remove('hit'), 1500); } return; }
  const r = e.target.closest && e.target.closest('rect[data-kind]');
  if (pinned === r || !r || !r.closest('[data-sec]')) { pinned = null; tip.classList.remove('pinned'); tip.hidden = true; return; }
  pinned = null; show(r, e.clientX, e.clientY); pinned = r; tip.classList.add('pinned');
});
})();`;
