import { toCsv, type CsvCell, UTF8_BOM } from '../../../src/domain/export/csv.ts';

export { csvCell, toCsv } from '../../../src/domain/export/csv.ts';

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves a CSV file (UTF-8 with BOM, so Excel reads Chinese text correctly). */
export function downloadCsv(
  filename: string,
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
): void {
  saveBlob(new Blob([UTF8_BOM, toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), filename);
}

/** The file name from a Content-Disposition header: the UTF-8 `filename*` when present, else `filename`. */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // A malformed encoding falls through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}
