import type { Command } from 'commander';
import { generateGridsBodySchema } from '../../../contracts/spatial.schema.ts';
import { openRuntime } from '../../../server/runtime.ts';
import { configOrExit, EXIT, reportError } from '../../exit.ts';
import { cliActor } from '../region/cli-actor.ts';

export function registerGridGenerate(grid: Command): void {
  grid
    .command('generate <regionCode>')
    .description('generate unit grids for a community or every community of a street')
    .option('--shape <shape>', 'square | hexagon', 'square')
    .option('--size <metres>', 'cell size in metres (hexagons have the same area as the square)', '100')
    .option('--sliver-ratio <ratio>', 'merge pieces smaller than this fraction of a cell', '0.25')
    .option('--replace', 'replace existing grids (their worker assignments are removed)')
    .option('--dry-run', 'count only, write nothing')
    .action(
      async (
        regionCode: string,
        opts: { shape: string; size: string; sliverRatio: string; replace?: boolean; dryRun?: boolean },
      ) => {
        const config = configOrExit();
        const parsed = generateGridsBodySchema.safeParse({
          regionCode,
          shape: opts.shape,
          sizeM: Number(opts.size),
          sliverRatio: Number(opts.sliverRatio),
          replace: opts.replace === true,
          dryRun: opts.dryRun === true,
        });
        if (!parsed.success) {
          for (const i of parsed.error.issues)
            process.stderr.write(`error: ${i.path.join('.')}: ${i.message}\n`);
          process.exit(EXIT.usage);
        }
        const runtime = await openRuntime(config).catch((err: unknown) => process.exit(reportError(err)));
        let code: number = EXIT.ok;
        try {
          const r = await runtime.services.gridGeneration.generate(cliActor(), parsed.data);
          for (const c of r.communities)
            process.stdout.write(`${c.code}: ${c.grids} grids (replaced ${c.replaced})\n`);
          process.stdout.write(`${r.dryRun ? 'would generate' : 'generated'} ${r.grids} grids\n`);
        } catch (err) {
          code = reportError(err);
        } finally {
          await runtime.database.close();
        }
        process.exit(code);
      },
    );
}
