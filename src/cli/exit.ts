import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { DomainError } from '../domain/shared/domain-error.ts';

/**
 * Exit codes (sysexits.h where one fits): documented in the README. `inUse` (EX_TEMPFAIL): the embedded database
 * directory is held by another process, e.g. the running server; try again once it stopped.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  dataError: 65,
  unavailable: 69,
  inUse: 75,
  config: 78,
} as const;

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(EXIT.config);
    }
    throw err;
  }
}

/** Prints an error the way a user can act on, and returns the exit code it deserves. */
export function reportError(err: unknown): number {
  if (err instanceof DataDirInUseError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.inUse;
  }
  if (err instanceof DomainError) {
    process.stderr.write(`error: ${err.code}${err.message !== err.code ? ` — ${err.message}` : ''}\n`);
    for (const i of err.issues) process.stderr.write(`  ${i.field}: ${i.reason}\n`);
    return err.code.startsWith('validation') || err.code.endsWith('duplicate_username')
      ? EXIT.dataError
      : EXIT.failure;
  }
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND') {
    process.stderr.write(`error: database unreachable (${e.message})\n`);
    return EXIT.unavailable;
  }
  process.stderr.write(`error: ${e?.message ?? String(err)}\n`);
  return EXIT.failure;
}
