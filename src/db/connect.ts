import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { migrations } from './migrations/index.ts';
import { prepareMarked } from './prepared.ts';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** PostgreSQL only: the schema this connection works in, when not the default. */
  schema?: string;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball (for test templates). */
  dump?: () => Promise<Blob>;
}

export interface ConnectOptions {
  /** A PostgreSQL connection string; when absent the embedded PGlite engine is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or `memory://` for a throw-away database. */
  dataDir?: string;
  /** PostgreSQL only: the schema to work in (created if missing); tests use one per file. */
  schema?: string;
  poolSize?: number;
  /** PGlite only: start from a dumped data directory (tests use a migrated template instead of running initdb). */
  pgliteTemplate?: Blob;
}

// int8 (bigint, count(*)) arrives as a string by default; our counts fit comfortably in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export async function connect(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options);
  return connectPglite(options.dataDir ?? './data', options.pgliteTemplate);
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<Database> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports the failure.
  pool.on('error', () => {});
  // Hot statements marked with PREPARE are planned once per connection (see prepared.ts).
  pool.on('connect', prepareMarked);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  return {
    db,
    engine: 'postgres',
    ...(schema ? { schema } : {}),
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function connectPglite(dataDir: string, template?: Blob): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    // One process per directory (data-dir-lock.ts): throws DataDirInUseError while another holds it.
    lock = acquireDataDirLock(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = template
      ? await PGlite.create({ dataDir, loadDataDir: template })
      : await PGlite.create(dataDir);
  } catch (err) {
    lock?.release();
    throw err;
  }
  // PGlite is one connection: the pool holds exactly one client and queues the rest.
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    dump: () => pglite.dumpDataDir('none'),
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: async () => {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema up to date. Safe to run from several processes at once (the migrator takes a lock). */
export async function migrate(db: Kysely<DB>): Promise<MigrationReport> {
  // Kysely looks its bookkeeping tables up in every schema unless told which: name ours, or another schema's
  // tables on the same server (tests use one schema per file) would be mistaken for ours.
  const current = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db);
  const migrator = new Migrator({
    db,
    migrationTableSchema: current.rows[0]?.s ?? 'public',
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
