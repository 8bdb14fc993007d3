/**
 * The one migration history of Kompas from now on, for SQLite and PostgreSQL alike
 * (ARCHITECTURE.md, "One migration history").
 *
 * - Baselines. SQLite: the `user_version` history of migrations.ts (1–7), frozen. PostgreSQL: the
 *   entries of postgres-migrations.ts (0001–0003), which create the same schema
 *   (db/postgres.spec.ts holds every table to its twin).
 * - After the baselines, every change to the schema is one entry here, written once with Kysely's
 *   schema builder. Each entry returns its statements instead of running them, so that SQLite, whose
 *   repositories and `createDb` are still synchronous, can run them synchronously in one transaction
 *   (sqlite-migrator.ts), while PostgreSQL runs the same statements through Kysely's `Migrator`
 *   (postgres.ts). Both record the entry's name in `kompas_migrations`, the table of Kysely's
 *   migrator, so that when `createDb` becomes async the SQLite side can switch to Kysely's migrator
 *   as it is.
 * - Names sort in the order they run and after the PostgreSQL baseline (`0100-…` and up). Never
 *   edit an entry that has shipped: append a new one.
 * - `dialect` is there for the few types that differ (binary data: `blob` / `bytea`; timestamps
 *   are `integer` / `bigint`); everything else should be written once.
 */
import {
	DummyDriver,
	Kysely,
	SqliteAdapter,
	SqliteIntrospector,
	SqliteQueryCompiler,
	type CompiledQuery,
	type Migration,
	type RawBuilder
} from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** A statement of a migration: a schema builder (`db.schema.…`) or `raw(db, sql\`…\`)`. */
export interface Statement {
	compile(): CompiledQuery;
}

/**
 * Kysely's own `Migration` types its database as `Kysely<any>`: a migration runs before the tables
 * it creates exist, so no table type can describe it. The schema builder does not use the type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type MigrationDb = Kysely<any>;

export interface SchemaMigration {
	/** What this entry changes, for the log. */
	description: string;
	/** The statements, built on `db` (SQLite or PostgreSQL), in the order they run. */
	up(db: MigrationDb, dialect: Dialect): Statement[];
}

/** A raw SQL statement (data changes, things the schema builder lacks) as a migration statement. */
export const raw = (db: MigrationDb, statement: RawBuilder<unknown>): Statement => ({
	compile: () => statement.compile(db)
});

/** Column types that differ between the dialects. */
export const types = (dialect: Dialect) =>
	({
		/** Binary data (Yjs updates). */
		binary: dialect === 'sqlite' ? 'blob' : 'bytea',
		/** Milliseconds since 1970. */
		ms: dialect === 'sqlite' ? 'integer' : 'bigint'
	}) as const;

/** The table both dialects record applied entries in (Kysely's migrator's format). */
export const MIGRATION_TABLE = 'kompas_migrations';
export const MIGRATION_LOCK_TABLE = 'kompas_migrations_lock';

/** The entries after the baselines. Append only; names sort in the order they run. */
export const SCHEMA_MIGRATIONS: Record<string, SchemaMigration> = {};

/** Names in the order they run. */
export const migrationNames = (migrations: Record<string, SchemaMigration>): string[] =>
	Object.keys(migrations).sort();

/** A Kysely that only compiles SQLite statements (never connects), for the synchronous migrator. */
export function sqliteCompiler(): MigrationDb {
	return new Kysely({
		dialect: {
			createAdapter: () => new SqliteAdapter(),
			createDriver: () => new DummyDriver(),
			createIntrospector: (db) => new SqliteIntrospector(db),
			createQueryCompiler: () => new SqliteQueryCompiler()
		}
	});
}

/**
 * The entries as Kysely `Migration`s for `dialect`: each runs its statements, built on Kysely's
 * transaction, in order (PostgreSQL today; SQLite once `createDb` is async).
 */
export function kyselyMigrations(
	migrations: Record<string, SchemaMigration>,
	dialect: Dialect
): Record<string, Migration> {
	return Object.fromEntries(
		Object.entries(migrations).map(([name, migration]): [string, Migration] => [
			name,
			{
				async up(db) {
					for (const statement of migration.up(db, dialect))
						await db.executeQuery(statement.compile());
				}
			}
		])
	);
}
