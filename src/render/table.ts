/*! Column layout for every text table: widths from the content, numbers right-aligned.
 * Knows nothing of what the columns mean. Pure. */

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** Lays rows out under headers; the last column is never padded (paths can be long). */
export function table(columns: Column[], rows: string[][], indent = ''): string {
  const widths = columns.map((c) => c.header.length);
  for (const r of rows) r.forEach((cell, i) => { if (i < widths.length) widths[i] = Math.max(widths[i]!, visibleLength(cell)); });
  const line = (cells: string[]): string =>
    indent +
    cells
      .map((cell, i) => {
        if (i === cells.length - 1) return cell;
        const pad = ' '.repeat(Math.max(0, widths[i]! - visibleLength(cell)));
        return columns[i]!.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}

/** Length without ANSI color codes. */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.indexOf('\u001b') < 0 ? s.length : s.replace(/\u001b\[[0-9;]*m/g, '').length; // most cells have no color
}
