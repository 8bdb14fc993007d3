/**
 * The SQLite side of the one migration history: the `user_version` history is frozen as the
 * baseline, and an installation made before the one history opens with every row it had, also
 * when a new entry of schema-migrations.ts is applied on top.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../context.ts';
import { seedKampenDemo } from '../demo.ts';
import { openSqlite, type SqliteDatabase } from './driver.ts';
import { MIGRATIONS } from './migrations.ts';
import { createDb } from './open.ts';
import { Migrator, sql } from 'kysely';
import { sqliteKysely, returnsRows } from './kysely-sqlite.ts';
import {
	MIGRATION_LOCK_TABLE,
	MIGRATION_TABLE,
	SCHEMA_MIGRATIONS,
	kyselyMigrations,
	types,
	type SchemaMigration
} from './schema-migrations.ts';
import { migrateSqlite, SQLITE_BASELINE_VERSION } from './sqlite-migrator.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every row of every table, in a stable order. */
function dump(db: SqliteDatabase): Record<string, unknown[]> {
	const tables = (
		db
			.prepare(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kompas_migrations%' ORDER BY name"
			)
			.all() as { name: string }[]
	).map((row) => row.name);
	return Object.fromEntries(
		tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all()])
	);
}

describe('the SQLite baseline', () => {
	it('is frozen: a new migration goes into schema-migrations.ts, not migrations.ts', () => {
		expect(MIGRATIONS.length).toBe(SQLITE_BASELINE_VERSION);
	});

	it('opens an installation made before the one history with every row it had', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'kompas-migrate-'));
		dirs.push(dir);
		const app = await createAppContext({ dataDir: dir, secureCookies: false, origin: null });
		await seedKampenDemo(app, 'een lang demo wachtwoord');
		await app.updates.append('board/x.1', new Uint8Array([0, 1, 2, 255]));
		await app.close();

		// As the Kompas before this change left it: user_version 7 and no kompas_migrations table.
		const file = join(dir, 'kompas.sqlite');
		const old = openSqlite(file);
		old.exec('DROP TABLE kompas_migrations');
		expect(old.pragma('user_version', { simple: true })).toBe(7);
		const before = dump(old);
		old.close();
		expect(before.users).toHaveLength(1);
		expect(before.glossary_readings.length).toBeGreaterThan(0);

		const reopened = createDb(file);
		try {
			expect(dump(reopened)).toEqual(before);
			// A later entry of the one history applies on top and keeps the rows too.
			const ran = migrateSqlite(reopened, {
				...SCHEMA_MIGRATIONS,
				'9001-probe': {
					description: 'a column with a default',
					up: (db) => [
						db.schema
							.alterTable('users')
							.addColumn('probe_at', types('sqlite').ms, (c) => c.notNull().defaultTo(0))
					]
				}
			});
			expect(ran).toEqual(['9001-probe']);
			const after = dump(reopened);
			expect(after.users).toEqual(
				(before.users as Record<string, unknown>[]).map((user) => ({ ...user, probe_at: 0 }))
			);
			expect(after.realtime_updates).toEqual(before.realtime_updates);
			expect(after.glossary_readings).toEqual(before.glossary_readings);
		} finally {
			reopened.close();
		}
	});

	it("hands over to Kysely's Migrator on SQLite and back: one record, each entry once", async () => {
		const first: Record<string, SchemaMigration> = {
			'9001-probe-notes': {
				description: 'notes',
				up: (db, dialect) => [
					db.schema
						.createTable('probe_notes')
						.addColumn('id', 'text', (c) => c.primaryKey())
						.addColumn('body', types(dialect).binary, (c) => c.notNull())
				]
			}
		};
		const second: Record<string, SchemaMigration> = {
			'9002-probe-pinned': {
				description: 'pinned',
				up: (db) => [
					db.schema
						.alterTable('probe_notes')
						.addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
				]
			}
		};
		const db = createDb(':memory:');
		try {
			expect(migrateSqlite(db, { ...SCHEMA_MIGRATIONS, ...first })).toEqual(['9001-probe-notes']);
			// Kysely's own migrator, through its SqliteDialect over this Node's driver.
			const kysely = sqliteKysely(db);
			const migrator = new Migrator({
				db: kysely,
				provider: {
					getMigrations: async () =>
						kyselyMigrations({ ...SCHEMA_MIGRATIONS, ...first, ...second }, 'sqlite')
				},
				migrationTableName: MIGRATION_TABLE,
				migrationLockTableName: MIGRATION_LOCK_TABLE,
				allowUnorderedMigrations: true
			});
			const { error, results } = await migrator.migrateToLatest();
			expect(error).toBeUndefined();
			expect(results?.map((r) => [r.migrationName, r.status])).toEqual([
				['9002-probe-pinned', 'Success']
			]);
			await sql`insert into probe_notes (id, body) values (${'a'}, ${new Uint8Array([1, 2])})`.execute(
				kysely
			);
			await kysely.destroy();
			// Back to the synchronous one: nothing left to do, and the connection still open.
			expect(migrateSqlite(db, { ...SCHEMA_MIGRATIONS, ...first, ...second })).toEqual([]);
			const rows = db.prepare('SELECT id, body, pinned FROM probe_notes').all() as {
				body: Uint8Array;
			}[];
			// better-sqlite3 gives a Buffer, node:sqlite a Uint8Array: compare the bytes.
			expect(rows.map((row) => ({ ...row, body: [...row.body] }))).toEqual([
				{ id: 'a', body: [1, 2], pinned: 0 }
			]);
		} finally {
			db.close();
		}
	});

	it('tells statements that return rows from those that do not', () => {
		expect(returnsRows('select 1')).toBe(true);
		expect(returnsRows('  PRAGMA table_info(x)')).toBe(true);
		expect(returnsRows('insert into t (a) values (?) returning id')).toBe(true);
		expect(returnsRows('with x as (select 1) select * from x')).toBe(true);
		expect(returnsRows('insert into t (a) values (?)')).toBe(false);
		expect(returnsRows('with x as (select 1) delete from t where a in x')).toBe(false);
		expect(returnsRows('create table t (a)')).toBe(false);
		expect(returnsRows('begin')).toBe(false);
	});
});
