import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { openRuntime } from '../../../server/runtime.ts';
import { configOrExit, EXIT, reportError } from '../../exit.ts';

export function registerDemoLoad(demo: Command): void {
  demo
    .command('load')
    .description('load the fictional demo district 示范区 (idempotent: existing records are kept)')
    .action(async () => {
      const config = configOrExit();
      if (config.ZHIZHI_MODE === 'production') {
        process.stderr.write('error: refusing to load demo data with ZHIZHI_MODE=production\n');
        process.exit(EXIT.usage);
      }
      const runtime = await openRuntime(config).catch((err: unknown) => process.exit(reportError(err)));
      const bar = new cliProgress.SingleBar(
        { format: '  demo data [{bar}] {value}/{total} {step}' },
        cliProgress.Presets.shades_classic,
      );
      let code: number = EXIT.ok;
      try {
        bar.start(4, 0, { step: '' });
        const r = await runtime.services.demo.load((step, done) => bar.update(done, { step }));
        bar.stop();
        process.stdout.write(
          `added ${r.regions} regions, ${r.grids} grids, ${r.departments} departments, ${r.accounts} accounts, ${r.layerFeatures} layer features, ${r.assignments} grid assignments, ${r.cases} cases\n`,
        );
      } catch (err) {
        bar.stop();
        code = reportError(err);
      } finally {
        await runtime.database.close();
      }
      process.exit(code);
    });
}
