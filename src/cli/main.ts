import { Command } from 'commander';
import { registerDbMigrate } from './commands/db/migrate.ts';
import { registerDemoLoad } from './commands/demo/load.ts';
import { registerServe } from './commands/serve.ts';
import { registerUserCreate } from './commands/user/create.ts';
import { registerRegionImport } from './commands/region/import.ts';
import { registerRegionExport } from './commands/region/export.ts';
import { registerGridGenerate } from './commands/grid/generate.ts';
import { EXIT } from './exit.ts';

const program = new Command('zhizhi')
  .description('智治 Zhizhi — grid-based grassroots governance platform')
  .version('0.1.0')
  .exitOverride((err) => {
    // --help and --version are successes; anything else commander rejects is a usage error.
    process.exit(
      err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage,
    );
  });

registerServe(program);
registerDbMigrate(program.command('db').description('database maintenance'));
registerDemoLoad(program.command('demo').description('demo data'));
registerUserCreate(program.command('user').description('staff accounts'));
const regionCommand = program.command('region').description('regions and spatial data');
registerRegionImport(regionCommand);
registerRegionExport(regionCommand);
registerGridGenerate(program.command('grid').description('unit grids'));

await program.parseAsync(process.argv);
