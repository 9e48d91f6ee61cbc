import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  isRegionCode,
  levelOfCode,
  regionLevels,
  type RegionLevel,
} from '../../../domain/region/region-code.ts';
import { openRuntime } from '../../../server/runtime.ts';
import { configOrExit, EXIT, reportError } from '../../exit.ts';
import { cliActor } from './cli-actor.ts';

export function registerRegionExport(region: Command): void {
  region
    .command('export')
    .description('export regions, grids or a layer as GeoJSON (WGS-84)')
    .option('--what <what>', 'regions | grids | layer', 'grids')
    .option('--region <code>', 'grids: community, street or district code; regions: parent code')
    .option('--level <level>', `regions: ${regionLevels.join(' | ')}`)
    .option('--layer <code>', 'layer: the layer code')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(
      async (opts: { what: string; region?: string; level?: string; layer?: string; output?: string }) => {
        const config = configOrExit();
        if (opts.region && !isRegionCode(opts.region)) {
          process.stderr.write('error: --region must be a 12-digit region code\n');
          process.exit(EXIT.usage);
        }
        if (opts.level && !(regionLevels as readonly string[]).includes(opts.level)) {
          process.stderr.write(`error: --level must be one of ${regionLevels.join(', ')}\n`);
          process.exit(EXIT.usage);
        }
        if (opts.what === 'grids' && !opts.region) {
          process.stderr.write('error: grids need --region\n');
          process.exit(EXIT.usage);
        }
        const runtime = await openRuntime(config).catch((err: unknown) => process.exit(reportError(err)));
        const read = runtime.services.spatialRead;
        const actor = cliActor();
        let code: number = EXIT.ok;
        try {
          let fc: unknown;
          if (opts.what === 'regions') {
            fc = await read.regions(actor, {
              level: opts.level as RegionLevel | undefined,
              parentCode: opts.region && levelOfCode(opts.region) ? opts.region : undefined,
            });
          } else if (opts.what === 'grids') {
            fc = await read.grids(actor, { regionCode: opts.region! });
          } else if (opts.what === 'layer') {
            const layer = (await read.layers(actor)).find((l) => l.code === opts.layer);
            if (!layer) throw new Error(`no layer ${opts.layer ?? '(give --layer)'}`);
            fc = await read.layerFeatures(actor, layer.id);
          } else {
            process.stderr.write('error: --what must be regions, grids or layer\n');
            process.exit(EXIT.usage);
          }
          const text = JSON.stringify(fc);
          if (opts.output) {
            await writeFile(opts.output, text);
            process.stderr.write(
              `wrote ${(fc as { features: unknown[] }).features.length} features to ${opts.output}\n`,
            );
          } else process.stdout.write(text + '\n');
        } catch (err) {
          code = reportError(err);
        } finally {
          await runtime.database.close();
        }
        process.exit(code);
      },
    );
}
