import { ApiError, withQuery, type QueryValue } from '../../app/api.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { filenameOf, saveBlob } from './csv.ts';

/**
 * Downloads every case matching `filters` (the list's filters, all pages) from the server as .xlsx or CSV. The
 * server applies the caller's scope and refuses more than 100,000 rows with a message saying so.
 */
export async function downloadCaseExport(
  format: 'xlsx' | 'csv',
  filters: Record<string, QueryValue>,
): Promise<number> {
  const response = await fetch(withQuery('/api/v1/cases/export', { ...filters, format }), {
    credentials: 'same-origin',
    headers: { 'Accept-Language': currentLanguage() },
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError({ ...problem, status: response.status });
  }
  const blob = await response.blob();
  saveBlob(blob, filenameOf(response.headers.get('content-disposition'), `cases.${format}`));
  return Number(response.headers.get('x-export-rows') ?? 0);
}
