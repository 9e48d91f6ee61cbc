/**
 * CSV (RFC 4180) for spreadsheets: CRLF line ends, quoting where needed, and formula injection defused — a cell
 * starting with =, +, - or @ (or a tab/CR that Excel strips first) gets a leading apostrophe.
 */
export type CsvCell = string | number | null | undefined;

/** The UTF-8 byte order mark: without it Excel reads UTF-8 CSV as the local code page and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';

export function csvCell(value: CsvCell): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(row: readonly CsvCell[]): string {
  return row.map(csvCell).join(',');
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map(csvLine).join('\r\n');
}
