import type { Command } from 'commander';
import { createUserBodySchema } from '../../../contracts/identity.schema.ts';
import { roles } from '../../../domain/identity/role.ts';
import { openRuntime } from '../../../server/runtime.ts';
import { configOrExit, EXIT, reportError } from '../../exit.ts';

interface Options {
  username: string;
  name: string;
  role: string;
  password?: string;
  region?: string;
  department?: string;
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('error: give --password or pipe the password on standard input\n');
    process.exit(EXIT.usage);
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

export function registerUserCreate(user: Command): void {
  user
    .command('create')
    .description('create a staff account (the first administrator in production mode)')
    .requiredOption('-u, --username <username>', 'login name (3–64 letters, digits, . _ -)')
    .requiredOption('-n, --name <displayName>', 'display name, e.g. 张三')
    .option('-r, --role <role>', `one of ${roles.join(', ')}`, 'admin')
    .option(
      '-p, --password <password>',
      'password (else read from standard input); ≥10 chars, letters and digits',
    )
    .option(
      '--region <code>',
      '12-digit region code of the scope (an admin without --region/--department is system-wide)',
    )
    .option('--department <id>', 'department id of the scope')
    .action(async (opts: Options) => {
      const config = configOrExit();
      const password = opts.password ?? (await readPassword());
      const runtime = await openRuntime(config).catch((err: unknown) => process.exit(reportError(err)));
      let code: number = EXIT.ok;
      try {
        const regionCode = opts.region;
        const parsed = createUserBodySchema.safeParse({
          username: opts.username,
          displayName: opts.name,
          role: opts.role,
          password,
          scope: {
            ...(regionCode ? { regionCode } : {}),
            ...(opts.department ? { departmentId: opts.department } : {}),
          },
        });
        if (!parsed.success) {
          for (const i of parsed.error.issues)
            process.stderr.write(`error: ${i.path.join('.')}: ${i.message}\n`);
          code = EXIT.usage;
        } else {
          const id = await runtime.database.db
            .transaction()
            .execute((trx) => runtime.services.users.createUnchecked(trx, parsed.data));
          process.stdout.write(`created ${parsed.data.role} ${parsed.data.username} (${id})\n`);
        }
      } catch (err) {
        code = reportError(err);
      } finally {
        await runtime.database.close();
      }
      process.exit(code);
    });
}
