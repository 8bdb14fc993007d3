/**
 * Runs the entries of the one migration history (schema-migrations.ts) on SQLite, synchronously,
 * after the frozen `user_version` baseline (migrations.ts). Each entry runs in one transaction
 * together with the row that records it in `kompas_migrations`, the table Kysely's migrator keeps
 * (same columns), so that either migrator can take over from the other.
 */
import type { SqlValue, SqliteDatabase } from './driver.ts';
import { MIGRATIONS } from './migrations.ts';
import {
	MIGRATION_TABLE,
	SCHEMA_MIGRATIONS,
	migrationNames,
	sqliteCompiler,
	type SchemaMigration
} from './schema-migrations.ts';

/**
 * The number of entries of migrations.ts: that history is frozen, every later change goes into
 * schema-migrations.ts (db/migrations.spec.ts fails when migrations.ts grows).
 */
export const SQLITE_BASELINE_VERSION = 7;

/**
 * Brings `db` to the newest schema: the baseline versions it lacks, then every entry of the one
 * history it has not recorded.
 * @throws when the database was written by a newer Kompas (it records entries this one lacks), or
 * when an entry fails (nothing of that entry is kept).
 */
export function migrateSqlite(
	db: SqliteDatabase,
	migrations: Record<string, SchemaMigration> = SCHEMA_MIGRATIONS
): string[] {
	// Each migration in its own transaction (IMMEDIATE, driver.ts) that reads the version again: two
	// nodes starting on one file migrate it once, the second waits and finds it done.
	const baseline = db.transaction((): boolean => {
		const version = db.pragma('user_version', { simple: true }) as number;
		if (version >= MIGRATIONS.length) return false;
		db.exec(MIGRATIONS[version]);
		db.pragma(`user_version = ${version + 1}`);
		return true;
	});
	while (baseline()) {
		// one migration per transaction
	}

	const compiler = sqliteCompiler();
	const run = (statement: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
		const { sql, parameters } = statement.compile();
		db.prepare(sql).run(...(parameters as SqlValue[]));
	};
	// The same table Kysely's Migrator creates (name, timestamp).
	run(
		compiler.schema
			.createTable(MIGRATION_TABLE)
			.ifNotExists()
			.addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
			.addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
	);
	const applied = new Set(
		(db.prepare(`SELECT name FROM ${MIGRATION_TABLE}`).all() as { name: string }[]).map(
			(row) => row.name
		)
	);
	const names = migrationNames(migrations);
	const unknown = [...applied].filter((name) => !(name in migrations));
	if (unknown.length > 0)
		throw new Error(
			`This database was migrated by a newer Kompas (${unknown.join(', ')}): update Kompas.`
		);
	const ran: string[] = [];
	const isApplied = db.prepare(`SELECT 1 FROM ${MIGRATION_TABLE} WHERE name = ?`);
	for (const name of names) {
		if (applied.has(name)) continue;
		const done = db.transaction((): boolean => {
			// Another node may have run it since the list above was read.
			if (isApplied.get(name) !== undefined) return false;
			for (const statement of migrations[name].up(compiler, 'sqlite')) run(statement);
			db.prepare(`INSERT INTO ${MIGRATION_TABLE} (name, timestamp) VALUES (?, ?)`).run(
				name,
				new Date().toISOString()
			);
			return true;
		})();
		if (done) ran.push(name);
	}
	return ran;
}
