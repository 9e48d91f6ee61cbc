import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseAllowList } from '../domain/net/address-policy.ts';

/**
 * The whole runtime configuration, parsed once from the environment. Every problem is listed at once so that an
 * operator fixes them in one go. `.env.example` documents each key.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z
  .object({
    ZHIZHI_MODE: z.enum(['demo', 'production']).default('demo'),
    // Unset: demo mode keeps to this machine (its demo passwords are published), production listens everywhere.
    HOST: z.string().min(1).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    ZHIZHI_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024),
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12),
    COOKIE_SECURE: bool.optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_MAX_DELAY_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(20),
    PUBLIC_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(30),
    TRACK_LOOKUP_RATE_PER_HOUR: z.coerce.number().int().min(1).max(10000).default(10),
    TRUST_PROXY: bool.default(false),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120000).default(10000),
    ZHIZHI_FIELD_KEY: z.string().min(1).optional(),
    SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30000),
    WEBHOOK_INTERVAL_MS: z.coerce.number().int().min(200).max(3_600_000).default(5000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    // Private address blocks webhook receivers may be on (docs/webhooks.md); loopback only when named exactly.
    OUTBOUND_ALLOW_CIDRS: z
      .string()
      .default('')
      .superRefine((v, ctx) => {
        const { invalid } = parseAllowList(v);
        if (invalid.length > 0) {
          ctx.addIssue({ code: 'custom', message: `not a CIDR block: ${invalid.join(', ')}` });
        }
      }),
    UPLOAD_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    // A sensor alarm's own location may lie this far from the device's registered point (metres).
    SENSOR_LOCATION_RADIUS_M: z.coerce.number().min(0).max(10_000).default(50),
    // A device's clock may run this far ahead of the server's (or behind it at registration), in seconds.
    SENSOR_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(86_400).default(300),
    // Server processes sharing the port (node:cluster); 'auto' = one per core. PostgreSQL only.
    ZHIZHI_WORKERS: z
      .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)])
      .default(1)
      .transform((v) => (v === 'auto' ? availableParallelism() : v)),
  })
  .strip()
  .superRefine((c, ctx) => {
    if (c.ZHIZHI_WORKERS > 1 && !c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['ZHIZHI_WORKERS'],
        message:
          'more than one server process needs PostgreSQL (DATABASE_URL): embedded PGlite serves one process',
      });
    }
  })
  .transform((c) => ({ ...c, HOST: c.HOST ?? defaultHost(c.ZHIZHI_MODE) }));

/** Where to listen when HOST is not set: loopback for the demo, every interface in production. */
function defaultHost(mode: 'demo' | 'production'): string {
  return mode === 'demo' ? '127.0.0.1' : '0.0.0.0';
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}
