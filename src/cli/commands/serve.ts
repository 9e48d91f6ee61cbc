import type { Command } from 'commander';
import { serve } from '../../server/runtime.ts';
import { configOrExit, EXIT, reportError } from '../exit.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'start the web server and API (migrates the database; loads the demo district on first start in demo mode)',
    )
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .action(async (opts: { port?: string }) => {
      if (opts.port !== undefined) process.env.PORT = opts.port;
      const config = configOrExit();
      try {
        await serve(config);
      } catch (err) {
        process.exit(reportError(err) || EXIT.failure);
      }
    });
}
