/**
 * The PostgreSQL schema (postgres-migrations.ts) against the SQLite one (migrations.ts): until one
 * history serves both dialects (ARCHITECTURE.md, "Ports and adapters"), every table that has a
 * PostgreSQL adapter has the same columns, nullability and primary key on both, so that data can
 * move between them and one contract spec holds for both adapters.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../../tests/services/services.ts';
import { createDb } from './open.ts';
import { connectPostgres, migratePostgres, type PostgresDb } from './postgres.ts';

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

const TABLES = ['realtime_updates', 'realtime_client_owners'];
type Column = { name: string; notNull: boolean; primaryKey: boolean };

function sqliteColumns(table: string): Column[] {
	const db = createDb(':memory:');
	const rows = db.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?)`).all(table) as {
		name: string;
		notnull: number;
		pk: number;
	}[];
	db.close();
	// SQLite lets a PRIMARY KEY column be null unless declared NOT NULL; PostgreSQL never does.
	return rows.map((row) => ({
		name: row.name,
		notNull: row.notnull === 1 || row.pk > 0,
		primaryKey: row.pk > 0
	}));
}

async function postgresColumns(table: string): Promise<Column[]> {
	const { rows } = await sql<{ name: string; nullable: string; pk: boolean }>`
		select c.column_name as name, c.is_nullable as nullable,
			exists (
				select 1 from information_schema.key_column_usage k
				join information_schema.table_constraints t on t.constraint_name = k.constraint_name
				where t.constraint_type = 'PRIMARY KEY' and k.table_name = c.table_name
					and k.column_name = c.column_name
			) as pk
		from information_schema.columns c
		where c.table_name = ${table}
		order by c.ordinal_position`.execute(pg.db);
	return rows.map((row) => ({
		name: row.name,
		notNull: row.nullable === 'NO',
		primaryKey: row.pk
	}));
}

describe('the PostgreSQL schema', () => {
	it.each(TABLES)('%s has the columns, nullability and primary key of SQLite', async (table) => {
		const expected = sqliteColumns(table);
		expect(expected.length).toBeGreaterThan(0);
		expect(await postgresColumns(table)).toEqual(expected);
	});

	it('records its migrations and applies each once', async () => {
		const { rows } = await sql<{
			name: string;
		}>`select name from kompas_migrations order by name`.execute(pg.db);
		expect(rows.map((row) => row.name)).toEqual([
			'0001-realtime-update-log',
			'0002-realtime-client-owners'
		]);
		await Promise.all([migratePostgres(pg.db), migratePostgres(pg.db)]);
		const again = await sql<{ n: string }>`select count(*) as n from kompas_migrations`.execute(
			pg.db
		);
		expect(Number(again.rows[0].n)).toBe(2);
	});
});
