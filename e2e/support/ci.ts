/** True under CI, where a test that needs a missing service must fail instead of skipping. */
export const IS_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * The PostgreSQL server e2e tests use (E2E_DATABASE_URL). Off CI, tests that need it are skipped when it is not set;
 * under CI they run and fail through this function.
 */
export function requirePostgresUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url)
    throw new Error('E2E_DATABASE_URL is not set: CI must run the PostgreSQL e2e tests (see .ci/run)');
  return url;
}

/** Whether to register the PostgreSQL variants of a test: always in CI (they fail without a server), else if set. */
export const RUN_POSTGRES = IS_CI || !!process.env.E2E_DATABASE_URL;
