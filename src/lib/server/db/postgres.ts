/**
 * PostgreSQL for Kompas (`KOMPAS_DATABASE_URL=postgres://…`): a `pg` pool behind Kysely 0.28's
 * `PostgresDialect`, the migrations of postgres-migrations.ts and the unit of work. The update
 * store and the client owners have a PostgreSQL adapter; the repositories' Kysely forms
 * (`*.kysely.ts`) run on it and on SQLite (ARCHITECTURE.md, "Ports and adapters").
 */
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.ts';
import {
	MIGRATION_LOCK_TABLE,
	MIGRATION_TABLE,
	SCHEMA_MIGRATIONS,
	kyselyMigrations,
	type SchemaMigration
} from './schema-migrations.ts';

/** The tables on PostgreSQL: the one `Database` interface of tables.ts. */
export type PgSchema = Database;

/** A PostgreSQL connection or an open transaction (what a unit of work hands to the ports). */
export type PgExecutor = Kysely<PgSchema>;

export interface PostgresDb {
	db: Kysely<PgSchema>;
	/** Ends the pool; the database is unusable afterwards. */
	close(): Promise<void>;
}

/**
 * A pool on `url`. Connecting is lazy: a PostgreSQL that is down makes the first query fail, not
 * this call, and the pool reconnects by itself when it is back (no restart of Kompas).
 */
export function connectPostgres(
	url: string,
	options: { max?: number; logError?: (message: string, error: unknown) => void } = {}
): PostgresDb {
	// The message only: pg's connection errors carry the whole client object.
	const logError =
		options.logError ??
		((message, error) =>
			console.error(message, error instanceof Error ? `${error.name}: ${error.message}` : error));
	const pool = new pg.Pool({
		connectionString: url,
		max: options.max ?? 10,
		// A PostgreSQL that does not answer is refused within seconds instead of hanging a request.
		connectionTimeoutMillis: 5_000,
		query_timeout: 30_000,
		keepAlive: true
	});
	// An idle connection that PostgreSQL drops (restart, crash) emits here; without a listener it
	// would crash the process. The pool replaces it at the next query.
	pool.on('error', (error) => logError('postgres: an idle connection failed', error));
	// A connection that fails while checked out (between two statements of a transaction) emits on
	// the client, which the pool no longer listens to then; the statement in flight or the next one
	// rejects, and the pool drops the broken client when it is released.
	pool.on('connect', (client) =>
		client.on('error', (error) => logError('postgres: a connection failed', error))
	);
	const db = new Kysely<PgSchema>({ dialect: new PostgresDialect({ pool }) });
	return { db, close: () => db.destroy() };
}

/**
 * The PostgreSQL baseline (postgres-migrations.ts) followed by the entries of the one history
 * (schema-migrations.ts), each run with the statements it builds on Kysely's transaction.
 */
export function postgresMigrations(
	migrations: Record<string, SchemaMigration> = SCHEMA_MIGRATIONS
): Record<string, Migration> {
	const last = Object.keys(POSTGRES_MIGRATIONS).sort().at(-1) ?? '';
	for (const name of Object.keys(migrations))
		if (name <= last) throw new Error(`migration ${name} must sort after the baseline (${last})`);
	return { ...POSTGRES_MIGRATIONS, ...kyselyMigrations(migrations, 'postgres') };
}

/**
 * Applies every migration not applied yet. Kysely's migrator holds a PostgreSQL advisory lock
 * meanwhile, so nodes that start together migrate once. Entries may arrive out of name order
 * (branches merged in parallel), as on SQLite.
 * @throws when a migration fails (that migration's changes are rolled back).
 */
export async function migratePostgres(
	db: Kysely<PgSchema>,
	migrations: Record<string, SchemaMigration> = SCHEMA_MIGRATIONS
): Promise<void> {
	const all = postgresMigrations(migrations);
	const provider: MigrationProvider = { getMigrations: async () => all };
	const migrator = new Migrator({
		db,
		provider,
		migrationTableName: MIGRATION_TABLE,
		migrationLockTableName: MIGRATION_LOCK_TABLE,
		allowUnorderedMigrations: true
	});
	const { error, results } = await migrator.migrateToLatest();
	if (error) {
		const failed = results?.find((result) => result.status === 'Error')?.migrationName;
		throw new Error(`postgres: migration ${failed ?? '(setup)'} failed`, { cause: error });
	}
}

/**
 * The unit of work on PostgreSQL (plan step 3): `work` gets the transaction, and every port method
 * it calls with that `tx` runs in it; all commit or none does.
 */
export function postgresUnitOfWork(db: Kysely<PgSchema>) {
	return <T>(work: (tx: PgExecutor) => Promise<T>): Promise<T> =>
		db.transaction().execute((trx) => work(trx));
}

/** Runs `work` in `tx` when the caller has one, else in a transaction of its own. */
export function inTransaction<T>(
	db: Kysely<PgSchema>,
	tx: PgExecutor | undefined,
	work: (tx: PgExecutor) => Promise<T>
): Promise<T> {
	return tx ? work(tx) : db.transaction().execute((trx) => work(trx));
}

/**
 * Whether `error` means PostgreSQL cannot be reached or went away (refused or lost connection,
 * shutdown, starting up, timeout), as opposed to a fault in the statement.
 */
export function isUnavailable(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string') {
		// Node's network errors, and SQLSTATE class 08 (connection exception) and 57P (shutdown).
		if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)$/.test(code))
			return true;
		if (/^(08|57P0[1-3])/.test(code)) return true;
	}
	return /connection terminated|not queryable|timeout exceeded when trying to connect|query read timeout/i.test(
		error.message
	);
}
