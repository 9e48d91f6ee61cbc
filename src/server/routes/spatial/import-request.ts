import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  geojsonImportBodySchema,
  importOptionsSchema,
  type ImportOptions,
} from '../../../contracts/spatial.schema.ts';
import { DomainError, type FieldIssue } from '../../../domain/shared/domain-error.ts';
import { assertCleanText } from '../../plugins/text-input.ts';
import type { ImportSource } from '../../../services/spatial/spatial-import.service.ts';
import { fileProblem } from '../../../services/spatial/shapefile-reader.ts';

function issuesOf(context: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const field = [context, ...i.path.map(String)].join('.');
    const key = /^[a-z_]+\.[a-z_]+$/.test(i.message) ? i.message : i.code;
    return { field, reason: i.code, message: key };
  });
}

function parseJsonField(name: string, text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('validation.failed', `${name} is not JSON`, {}, [
      { field: `body.${name}`, reason: 'malformed_json', message: 'spatial.bad_json_field' },
    ]);
  }
}

/**
 * An import request is either multipart (one file + text fields; `mapping` and `tolerances` as JSON text,
 * `dryRun` as "true"/"false") or a JSON body `{ format: 'geojson', data, kind, crs, mapping, … }`.
 */
export async function readImportRequest(
  req: FastifyRequest,
): Promise<{ source: ImportSource; options: ImportOptions }> {
  let raw: Record<string, unknown>;
  let source: ImportSource;
  if (req.isMultipart()) {
    const fields: Record<string, string> = {};
    let bytes: Buffer | null = null;
    let fileName: string | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (bytes)
            throw new DomainError('validation.failed', 'one file only', {}, [
              { field: 'file', reason: 'too_many_files', message: 'spatial.file_required' },
            ]);
          bytes = await part.toBuffer();
          fileName = part.filename;
        } else fields[part.fieldname] = String(part.value);
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        throw fileProblem('too_large', 'spatial.file_too_large');
      throw err;
    }
    if (!bytes)
      throw new DomainError('validation.failed', 'no file', {}, [
        { field: 'file', reason: 'required', message: 'spatial.file_required' },
      ]);
    source = { format: 'file', bytes };
    raw = {
      ...fields,
      mapping: parseJsonField('mapping', fields.mapping),
      tolerances: parseJsonField('tolerances', fields.tolerances),
      dryRun: fields.dryRun === undefined ? undefined : fields.dryRun === 'true' || fields.dryRun === '1',
      fileName: fields.fileName ?? fileName,
    };
    for (const k of Object.keys(raw)) if (raw[k] === undefined || raw[k] === '') delete raw[k];
    assertCleanText({ body: raw });
  } else {
    const body = geojsonImportBodySchema.safeParse(req.body ?? {});
    if (!body.success)
      throw new DomainError('validation.failed', 'bad import body', {}, issuesOf('body', body.error));
    const { format: _format, data, ...rest } = body.data;
    source = { format: 'geojson', data };
    raw = rest;
  }
  const options = importOptionsSchema.safeParse(raw);
  if (!options.success)
    throw new DomainError('validation.failed', 'bad import options', {}, issuesOf('body', options.error));
  return { source, options: options.data };
}
