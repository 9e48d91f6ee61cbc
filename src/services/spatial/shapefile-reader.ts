import { unzipSync } from 'fflate';
import * as shapefile from 'shapefile';
import { DomainError } from '../../domain/shared/domain-error.ts';

/**
 * Reads a zipped Shapefile (.shp + .dbf, optional .prj and .cpg) into a GeoJSON FeatureCollection. Only
 * geographic coordinates are accepted: a .prj describing a projected system (PROJCS, e.g. UTM or Gauss–Krüger)
 * is refused, since converting those needs the projection's parameters. The attribute encoding comes from the
 * .cpg file when present (Chinese data is often GBK), otherwise UTF-8.
 */
export async function readZippedShapefile(bytes: Uint8Array): Promise<{ data: unknown; prj: string | null }> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => !f.name.startsWith('__MACOSX/') && /\.(shp|dbf|prj|cpg)$/i.test(f.name),
    });
  } catch {
    throw fileProblem('bad_zip', 'spatial.bad_zip');
  }
  const find = (ext: string) => {
    const name = Object.keys(files)
      .filter((n) => n.toLowerCase().endsWith(ext))
      .sort()[0];
    return name ? files[name]! : null;
  };
  const shp = find('.shp');
  const dbf = find('.dbf');
  if (!shp || !dbf) throw fileProblem('missing_shapefile_part', 'spatial.shapefile_parts');
  const prjBytes = find('.prj');
  const prj = prjBytes ? new TextDecoder().decode(prjBytes) : null;
  if (prj && /^\s*PROJCS\[/i.test(prj)) throw fileProblem('projected_crs', 'spatial.projected_crs');
  const cpg = find('.cpg');
  const encoding = cpg ? new TextDecoder().decode(cpg).trim().toLowerCase() || 'utf-8' : 'utf-8';
  try {
    const data = await shapefile.read(shp, dbf, { encoding: encoding === '936' ? 'gbk' : encoding });
    return { data, prj };
  } catch (err) {
    throw fileProblem('bad_shapefile', 'spatial.bad_shapefile', { cause: (err as Error).message });
  }
}

export function fileProblem(
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError('validation.failed', `file: ${reason}`, details, [
    { field: 'file', reason, message },
  ]);
}
