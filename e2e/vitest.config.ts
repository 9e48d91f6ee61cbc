import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Cross-process tests: each file starts real servers (PGlite, or PostgreSQL when E2E_DATABASE_URL is set) and
// some drive Chromium. On two cores they run one file at a time, with timeouts sized for cold starts.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    exclude: ['**/node_modules/**', 'web/dist/**'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // A skipped test in CI would hide a missing service; an e2e file with nothing to run is a mistake.
    passWithNoTests: false,
    allowOnly: false,
  },
});
