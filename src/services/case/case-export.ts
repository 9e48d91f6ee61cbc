import type { Kysely } from 'kysely';
import type { CaseExportQuery, ExportFormat } from '../../contracts/case-bulk.schema.ts';
import { chinaDateOf } from '../../domain/calendar/work-calendar.ts';
import {
  caseExportHeader,
  caseExportRow,
  caseExportWidths,
  type ExportLang,
} from '../../domain/export/case-columns.ts';
import { csvLine, UTF8_BOM } from '../../domain/export/csv.ts';
import { writeXlsx } from '../../domain/export/xlsx.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Light } from '../../domain/sla/time-limit.ts';
import { caseRepository, type CaseExportRow } from '../../db/repositories/case.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';
import { requirePermission } from '../scope/scope-guard.ts';
import { caseFilters } from './case-filters.ts';
import { caseScopeFilter } from './case-scope.ts';
import { lightOfRow } from './case-view.ts';

/** At most this many rows go into one export; narrow the filters for more. */
export const MAX_EXPORT_ROWS = 100_000;
const CHUNK = 5_000;

export interface CaseExportFile {
  body: Buffer;
  contentType: string;
  /** ASCII file name, e.g. `cases-20261122.xlsx`. */
  filename: string;
  /** The same in Chinese (案件-20261122.xlsx), for `filename*`. */
  localFilename: string;
  rows: number;
}

/**
 * Exports every case that matches the list filters inside the caller's scope (not just one page) as .xlsx or
 * CSV (UTF-8 with BOM), with translated headers and labels. Personal data (reporter name and phone) is never
 * exported. More than `maxRows` matching cases is refused up front with the count, before any row is read.
 */
export function createCaseExportService(deps: { db: Kysely<DB>; clock: Clock; maxRows?: number }) {
  const { db, clock } = deps;
  const maxRows = deps.maxRows ?? MAX_EXPORT_ROWS;

  return {
    async export(actor: Actor, query: CaseExportQuery, lang: ExportLang): Promise<CaseExportFile> {
      requirePermission(actor.principal, 'case.view');
      const now = clock.now();
      const { format, ...filters } = query;
      const filter = { scope: caseScopeFilter(actor.principal), where: caseFilters(filters, now) };
      const total = await caseRepository.count(db, [filter.scope, ...filter.where]);
      if (total > maxRows) {
        throw new DomainError(
          'validation.failed',
          `${total} cases match; at most ${maxRows} can be exported`,
          { total, max: maxRows },
          [{ field: 'query', reason: 'too_many_rows', message: 'export.too_many' }],
        );
      }
      const rows: CaseExportRow[] = [];
      let after: { createdAt: Date; code: string } | null = null;
      for (;;) {
        const chunk = await caseRepository.exportChunk(
          db,
          filter,
          after,
          Math.min(CHUNK, maxRows - rows.length),
        );
        rows.push(...chunk);
        const last = chunk[chunk.length - 1];
        if (!last || chunk.length < CHUNK || rows.length >= maxRows) break;
        after = { createdAt: last.created_at, code: last.code };
      }
      const table = rows.map((r) =>
        caseExportRow(
          {
            code: r.code,
            title: r.title,
            categoryCode: r.category_code,
            categoryName: r.category_name,
            categoryNameEn: r.category_name_en,
            state: r.state,
            urgency: r.urgency,
            channel: r.channel,
            streetName: r.street_name,
            communityName: r.community_name,
            gridCode: r.grid_code,
            address: r.address,
            stage: r.stage,
            stageDeadline: r.stage_deadline,
            light: lightOfRow(r, now) as Light | null,
            createdAt: r.created_at,
            closedAt: r.closed_at,
          },
          lang,
        ),
      );
      const day = chinaDateOf(now).replace(/-/g, '');
      const header = caseExportHeader(lang);
      return {
        ...render(format, header, table, now),
        filename: `cases-${day}.${format}`,
        localFilename: `案件-${day}.${format}`,
        rows: rows.length,
      };
    },
  };
}

function render(
  format: ExportFormat,
  header: string[],
  table: string[][],
  now: Date,
): { body: Buffer; contentType: string } {
  if (format === 'csv') {
    const text = UTF8_BOM + [header, ...table].map(csvLine).join('\r\n') + '\r\n';
    return { body: Buffer.from(text, 'utf8'), contentType: 'text/csv; charset=utf-8' };
  }
  const bytes = writeXlsx({ name: '案件', header, rows: table, widths: caseExportWidths() }, now);
  return {
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}

export type CaseExportService = ReturnType<typeof createCaseExportService>;
