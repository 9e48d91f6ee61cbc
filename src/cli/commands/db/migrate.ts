import type { Command } from 'commander';
import { connect, migrate } from '../../../db/connect.ts';
import { configOrExit, EXIT, reportError } from '../../exit.ts';

export function registerDbMigrate(db: Command): void {
  db.command('migrate')
    .description('bring the database schema up to date (safe to run repeatedly)')
    .action(async () => {
      const config = configOrExit();
      let code: number = EXIT.ok;
      const database = await connect({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.ZHIZHI_DATA_DIR,
      }).catch((err: unknown) => {
        process.exit(reportError(err));
      });
      try {
        const r = await migrate(database.db);
        process.stdout.write(
          r.applied.length ? `applied: ${r.applied.join(', ')}\n` : 'schema is up to date\n',
        );
      } catch (err) {
        code = reportError(err);
      } finally {
        await database.close();
      }
      process.exit(code);
    });
}
