/**
 * The PostgreSQL schema against the SQLite one: every table of one has its twin in the other, with
 * the same columns in the same order, type family, nullability, defaults, primary key, foreign keys
 * with their ON DELETE, checks, unique constraints and indexes, so that data moves between them
 * (`migrate-to-postgres`) and one contract spec holds for both adapters. And the one migration
 * history: a new entry of schema-migrations.ts applies on both dialects and leaves them equal.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../../tests/services/services.ts';
import { createDb } from './open.ts';
import type { SqliteDatabase } from './driver.ts';
import { connectPostgres, migratePostgres, type PostgresDb } from './postgres.ts';
import { SCHEMA_MIGRATIONS, raw, types, type SchemaMigration } from './schema-migrations.ts';
import { migrateSqlite } from './sqlite-migrator.ts';

let server: PostgresServer;
let pg: PostgresDb;
beforeAll(async () => {
	server = await startPostgres();
	// Quiet: stopping the server at the end closes connections the pool has just let go of.
	pg = connectPostgres(server.url, { logError: () => {} });
	await migratePostgres(pg.db);
}, 60_000);
afterAll(async () => {
	await pg?.close();
	await server?.stop();
});

/** The bookkeeping of the migrators is not part of the app's schema. */
const isBookkeeping = (table: string) => table.startsWith('kompas_migrations');

interface TableShape {
	columns: {
		name: string;
		/** integer, text or blob (SQLite's affinities; PostgreSQL's integer and bigint are integer). */
		type: string;
		notNull: boolean;
		default: string | null;
	}[];
	primaryKey: string[];
	foreignKeys: string[];
	checks: string[];
	/** Unique constraints and indexes other than the primary key: `unique? name? (columns)`. */
	indexes: string[];
}

// ── SQLite ──────────────────────────────────────────────────────────────────────────────────────

const affinity = (declared: string) => {
	const type = declared.toUpperCase();
	if (type.includes('INT')) return 'integer';
	if (type.includes('BLOB') || type === '') return 'blob';
	return 'text';
};

function sqliteTables(db: SqliteDatabase): string[] {
	return (
		db
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
			.all() as { name: string }[]
	)
		.map((row) => row.name)
		.filter((name) => !isBookkeeping(name))
		.sort();
}

function sqliteShape(db: SqliteDatabase, table: string): TableShape {
	const columns = db.prepare('SELECT * FROM pragma_table_info(?) ORDER BY cid').all(table) as {
		name: string;
		type: string;
		notnull: number;
		dflt_value: string | null;
		pk: number;
	}[];
	const foreignKeys = (
		db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(table) as {
			table: string;
			from: string;
			to: string;
			on_delete: string;
		}[]
	).map((fk) => `${fk.from} → ${fk.table}.${fk.to} on delete ${fk.on_delete.toLowerCase()}`);
	const create = (
		db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as {
			sql: string;
		}
	).sql;
	const checks = [...create.matchAll(/CHECK \((\w+) IN \(([^)]*)\)\)/g)].map(
		([, column, values]) => `${column} in ${[...values.matchAll(/'([^']*)'/g)].map((m) => m[1])}`
	);
	const indexes = (
		db.prepare('SELECT * FROM pragma_index_list(?)').all(table) as {
			name: string;
			unique: number;
			origin: string;
		}[]
	)
		.filter((index) => index.origin !== 'pk')
		.map((index) => {
			const keys = (
				db
					.prepare('SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno')
					.all(index.name) as { name: string; coll: string }[]
			).map((key) => (key.coll === 'NOCASE' ? `lower(${key.name})` : key.name));
			// SQLite names the indexes of UNIQUE constraints itself; unique ones are told apart by their
			// columns, the others by name too.
			const name = index.unique ? '' : `${index.name} `;
			return `${index.unique ? 'unique ' : ''}${name}(${keys.join(', ')})`;
		});
	return {
		columns: columns.map((column) => ({
			name: column.name,
			type: affinity(column.type),
			// SQLite lets a PRIMARY KEY column be null unless declared NOT NULL; PostgreSQL never does.
			notNull: column.notnull === 1 || column.pk > 0,
			default: column.dflt_value
		})),
		primaryKey: columns
			.filter((column) => column.pk > 0)
			.sort((a, b) => a.pk - b.pk)
			.map((column) => column.name),
		foreignKeys: foreignKeys.sort(),
		checks: checks.sort(),
		indexes: indexes.sort()
	};
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────────

async function postgresTables(): Promise<string[]> {
	const { rows } = await sql<{ name: string }>`
		select table_name as name from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(pg.db);
	return rows
		.map((row) => row.name)
		.filter((name) => !isBookkeeping(name))
		.sort();
}

const ON_DELETE: Record<string, string> = {
	a: 'no action',
	r: 'restrict',
	c: 'cascade',
	n: 'set null',
	d: 'set default'
};

async function postgresShape(table: string): Promise<TableShape> {
	const columns = await sql<{
		name: string;
		type: string;
		nullable: string;
		default: string | null;
	}>`
		select column_name as name, data_type as type, is_nullable as nullable,
			column_default as default
		from information_schema.columns
		where table_schema = 'public' and table_name = ${table}
		order by ordinal_position`.execute(pg.db);
	const constraints = await sql<{
		type: string;
		columns: string[];
		target: string | null;
		target_columns: string[] | null;
		on_delete: string;
		definition: string;
	}>`
		select c.contype as type,
			array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
				join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as columns,
			c.confrelid::regclass::text as target,
			array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
				join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)
				as target_columns,
			c.confdeltype as on_delete,
			pg_get_constraintdef(c.oid) as definition
		from pg_constraint c
		where c.conrelid = ${table}::regclass`.execute(pg.db);
	const indexes = await sql<{ name: string; unique: boolean; def: string }>`
		select i.relname as name, x.indisunique as unique,
			pg_get_indexdef(x.indexrelid) as def
		from pg_index x join pg_class i on i.oid = x.indexrelid
		where x.indrelid = ${table}::regclass and not x.indisprimary`.execute(pg.db);
	const of = (type: string) => constraints.rows.filter((c) => c.type === type);
	return {
		columns: columns.rows.map((column) => ({
			name: column.name,
			type: /int/.test(column.type) ? 'integer' : column.type === 'bytea' ? 'blob' : 'text',
			notNull: column.nullable === 'NO',
			// `''::text` → `''`; an identity column has none, like SQLite's INTEGER PRIMARY KEY.
			default: column.default?.replace(/::[a-z ]+$/, '') ?? null
		})),
		primaryKey: of('p')[0]?.columns ?? [],
		foreignKeys: of('f')
			.map(
				(fk) =>
					`${fk.columns[0]} → ${fk.target}.${fk.target_columns?.[0]} on delete ${ON_DELETE[fk.on_delete]}`
			)
			.sort(),
		checks: of('c')
			.map(
				(check) =>
					`${check.columns[0]} in ${[...check.definition.matchAll(/'([^']*)'/g)].map((m) => m[1])}`
			)
			.sort(),
		indexes: indexes.rows
			.map((index) => {
				// `CREATE INDEX x ON public.t USING btree (a, "position")`: the key list, unquoted.
				const keys = (/\((.*)\)$/.exec(index.def)?.[1] ?? '').replaceAll('"', '');
				const name = index.unique ? '' : `${index.name} `;
				return `${index.unique ? 'unique ' : ''}${name}(${keys})`;
			})
			.sort()
	};
}

// ── the tests ───────────────────────────────────────────────────────────────────────────────────

const sqlite = createDb(':memory:');
afterAll(() => sqlite.close());

describe('the PostgreSQL schema', () => {
	it('has every table of SQLite and no other', async () => {
		const tables = sqliteTables(sqlite);
		expect(tables).toContain('realtime_updates');
		expect(tables).toContain('glossary_readings');
		expect(await postgresTables()).toEqual(tables);
	});

	it.each(sqliteTables(sqlite))(
		'%s has the columns, types, nullability, defaults, keys, checks and indexes of SQLite',
		async (table) => {
			const expected = sqliteShape(sqlite, table);
			expect(expected.columns.length).toBeGreaterThan(0);
			expect(await postgresShape(table)).toEqual(expected);
		}
	);

	it('sees a difference: a foreign key without its ON DELETE is one', async () => {
		// The comparison is not blind: the same table with one rule changed no longer matches.
		await sql`create table drift_probe (id text primary key,
			user_id text not null references users(id))`.execute(pg.db);
		try {
			const shape = await postgresShape('drift_probe');
			expect(shape.foreignKeys).toEqual(['user_id → users.id on delete no action']);
			expect(shape.foreignKeys).not.toEqual(sqliteShape(sqlite, 'sessions').foreignKeys);
		} finally {
			await sql`drop table drift_probe`.execute(pg.db);
		}
	});

	it('records its migrations and applies each once', async () => {
		const { rows } = await sql<{
			name: string;
		}>`select name from kompas_migrations order by name`.execute(pg.db);
		expect(rows.map((row) => row.name)).toEqual([
			'0001-realtime-update-log',
			'0002-realtime-client-owners',
			'0003-app-tables',
			...Object.keys(SCHEMA_MIGRATIONS).sort()
		]);
		await Promise.all([migratePostgres(pg.db), migratePostgres(pg.db)]);
		const again = await sql<{ n: string }>`select count(*) as n from kompas_migrations`.execute(
			pg.db
		);
		expect(Number(again.rows[0].n)).toBe(rows.length);
	});
});

describe('one migration history for both dialects', () => {
	/** A later entry as a developer would write it: a table, a column added, an index, data. */
	const probe: Record<string, SchemaMigration> = {
		'9001-probe-notes': {
			description: 'notes per trajectory',
			up: (db, dialect) => [
				db.schema
					.createTable('probe_notes')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('trajectory_id', 'text', (c) =>
						c.notNull().references('trajectories.id').onDelete('cascade')
					)
					.addColumn('body', types(dialect).binary, (c) => c.notNull())
					.addColumn('created_at', types(dialect).ms, (c) => c.notNull()),
				db.schema.createIndex('probe_notes_trajectory').on('probe_notes').column('trajectory_id')
			]
		},
		'9002-probe-notes-pinned': {
			description: 'pin a note',
			up: (db) => [
				db.schema
					.alterTable('probe_notes')
					.addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0)),
				raw(db, sql`update probe_notes set pinned = 1 where created_at = 0`)
			]
		}
	};

	it('applies a new entry on SQLite and on PostgreSQL, and the two stay twins', async () => {
		const lite = createDb(':memory:');
		try {
			expect(migrateSqlite(lite, { ...SCHEMA_MIGRATIONS, ...probe })).toEqual(Object.keys(probe));
			await migratePostgres(pg.db, { ...SCHEMA_MIGRATIONS, ...probe });
			const expected = sqliteShape(lite, 'probe_notes');
			expect(expected.columns.map((c) => c.name)).toEqual([
				'id',
				'trajectory_id',
				'body',
				'created_at',
				'pinned'
			]);
			expect(await postgresShape('probe_notes')).toEqual(expected);
			// Applied once: a second run on either finds nothing to do.
			expect(migrateSqlite(lite, { ...SCHEMA_MIGRATIONS, ...probe })).toEqual([]);
			await migratePostgres(pg.db, { ...SCHEMA_MIGRATIONS, ...probe });
			const { rows } = await sql<{ n: string }>`
				select count(*) as n from kompas_migrations where name like '9%'`.execute(pg.db);
			expect(Number(rows[0].n)).toBe(2);
		} finally {
			lite.close();
			await sql`drop table if exists probe_notes`.execute(pg.db);
			await sql`delete from kompas_migrations where name like '9%'`.execute(pg.db);
		}
	});

	it('refuses a SQLite database that a newer Kompas migrated, and changes nothing', () => {
		const lite = createDb(':memory:');
		try {
			migrateSqlite(lite, { ...SCHEMA_MIGRATIONS, ...probe });
			expect(() => migrateSqlite(lite)).toThrow(/newer Kompas \(9001-probe-notes, 9002/);
			expect(sqliteTables(lite)).toContain('probe_notes');
		} finally {
			lite.close();
		}
	});
});
