import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { importOptionsSchema, type ImportReport } from '../../../contracts/spatial.schema.ts';
import { openRuntime } from '../../../server/runtime.ts';
import { configOrExit, EXIT, reportError } from '../../exit.ts';
import { cliActor } from './cli-actor.ts';

interface Options {
  kind: string;
  crs: string;
  codeProp: string;
  nameProp: string;
  parentProp?: string;
  levelProp?: string;
  departmentProp?: string;
  layerCode?: string;
  layerName?: string;
  layerKind?: string;
  dryRun?: boolean;
}

function printReport(report: ImportReport): void {
  const line = (f: ImportReport['errors'][number]) =>
    `  #${f.index ?? '-'} ${f.code ?? ''} ${f.reason}: ${f.message}\n`;
  if (report.errors.length)
    process.stdout.write(`errors (${report.counts.errors}):\n${report.errors.map(line).join('')}`);
  if (report.warnings.length)
    process.stdout.write(`warnings (${report.counts.warnings}):\n${report.warnings.map(line).join('')}`);
  const c = report.counts;
  process.stdout.write(
    `features ${c.features}: regions ${c.regions}, grids ${c.grids}, layer features ${c.layerFeatures}` +
      (c.inserted !== undefined ? `; inserted ${c.inserted}, updated ${c.updated}` : '') +
      '\n',
  );
}

export function registerRegionImport(region: Command): void {
  region
    .command('import <file>')
    .description('import regions, grids or a layer from GeoJSON or a zipped Shapefile (all-or-nothing)')
    .option('--kind <kind>', 'regions (regions and their grids) | grids | layer', 'regions')
    .option('--crs <crs>', 'coordinates of the file: wgs84 | gcj02 | bd09', 'wgs84')
    .option('--code-prop <name>', 'property holding the code', 'code')
    .option('--name-prop <name>', 'property holding the name', 'name')
    .option('--parent-prop <name>', 'property holding the parent code')
    .option('--level-prop <name>', 'property holding the level')
    .option('--department-prop <name>', 'layers: property holding the department code')
    .option('--layer-code <code>', 'layers: the layer code')
    .option('--layer-name <name>', 'layers: the layer name')
    .option('--layer-kind <kind>', 'layers: responsibility_zone | supervision_unit | other')
    .option('--dry-run', 'validate and report only')
    .action(async (file: string, opts: Options) => {
      const config = configOrExit();
      const parsed = importOptionsSchema.safeParse({
        kind: opts.kind,
        crs: opts.crs,
        mapping: {
          code: opts.codeProp,
          name: opts.nameProp,
          ...(opts.parentProp ? { parentCode: opts.parentProp } : {}),
          ...(opts.levelProp ? { level: opts.levelProp } : {}),
          ...(opts.departmentProp ? { department: opts.departmentProp } : {}),
        },
        ...(opts.layerCode ? { layerCode: opts.layerCode } : {}),
        ...(opts.layerName ? { layerName: opts.layerName } : {}),
        ...(opts.layerKind ? { layerKind: opts.layerKind } : {}),
        dryRun: opts.dryRun === true,
        fileName: file,
      });
      if (!parsed.success) {
        for (const i of parsed.error.issues)
          process.stderr.write(`error: ${i.path.join('.')}: ${i.message}\n`);
        process.exit(EXIT.usage);
      }
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (err) {
        process.stderr.write(`error: cannot read ${file}: ${(err as Error).message}\n`);
        process.exit(EXIT.usage);
      }
      const runtime = await openRuntime(config).catch((err: unknown) => process.exit(reportError(err)));
      const bar = new cliProgress.SingleBar(
        { format: '  import [{bar}] {percentage}% {status}' },
        cliProgress.Presets.shades_classic,
      );
      let code: number = EXIT.ok;
      try {
        const svc = runtime.services.spatialImport;
        const actor = cliActor();
        const { jobId, done } = await svc.start(actor, { format: 'file', bytes }, parsed.data);
        bar.start(100, 0, { status: 'queued' });
        // The job's progress is read back from its row (one read at a time: on PGlite a read waits for a write).
        let reading = false;
        const timer = setInterval(() => {
          if (reading) return;
          reading = true;
          void svc
            .get(actor, jobId)
            .then((j) => bar.update(Math.round(j.progress * 100), { status: j.status }))
            .catch(() => undefined)
            .finally(() => (reading = false));
        }, 200);
        const job = await done;
        clearInterval(timer);
        bar.update(100, { status: job.status });
        bar.stop();
        if (job.report) printReport(job.report);
        if (job.status === 'failed') {
          process.stderr.write(
            job.report?.errors.length ? 'refused: nothing was written\n' : `failed: ${job.error}\n`,
          );
          code = job.report?.errors.length ? EXIT.dataError : EXIT.failure;
        } else {
          process.stdout.write(job.dryRun ? 'valid (dry run: nothing written)\n' : 'imported\n');
        }
      } catch (err) {
        bar.stop();
        code = reportError(err);
      } finally {
        await runtime.database.close();
      }
      process.exit(code);
    });
}
