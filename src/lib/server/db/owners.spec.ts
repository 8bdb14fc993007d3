/**
 * One owner per table (ARCHITECTURE.md, "Ports and adapters"): every table has exactly one module
 * whose SQL names it, and nothing else in src/ or server/ writes SQL, opens a transaction or reaches
 * for `app.db`. Everything else goes through the owner's functions, so that issue 12 item 2 can put
 * a Postgres adapter behind each owner without hunting for stray queries.
 *
 * A new table fails the first test until it is given an owner here (and in ARCHITECTURE.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb } from './open.ts';

/** Table → the one module whose SQL names it. */
const TABLE_OWNERS: Record<string, string> = {
	users: 'src/lib/server/users.kysely.ts',
	sessions: 'src/lib/server/auth/sessions.kysely.ts',
	trajectories: 'src/lib/server/trajectories.kysely.ts',
	partners: 'src/lib/server/trajectories.kysely.ts',
	themes: 'src/lib/server/trajectories.kysely.ts',
	members: 'src/lib/server/trajectories.kysely.ts',
	glossary: 'src/lib/server/glossary.kysely.ts',
	glossary_readings: 'src/lib/server/glossary.kysely.ts',
	invitations: 'src/lib/server/invitations.kysely.ts',
	live_sessions: 'src/lib/server/live-sessions.kysely.ts',
	session_reopenings: 'src/lib/server/live-sessions.kysely.ts',
	participants: 'src/lib/server/participants.kysely.ts',
	realtime_updates: 'src/lib/server/updates/store.sqlite.ts',
	realtime_client_owners: 'src/lib/server/updates/client-owners.ts'
};

/**
 * Other adapters of an owner's port (another dialect of the same owner), which may name its tables
 * too (ARCHITECTURE.md, "Ports and adapters": the adapters column).
 */
const OTHER_ADAPTERS: Record<string, string[]> = {
	realtime_updates: ['src/lib/server/updates/store.postgres.ts'],
	realtime_client_owners: ['src/lib/server/updates/client-owners.postgres.ts']
};

/** The database layer itself: driver, schema, opening, the unit of work. */
const DB_FOLDER = 'src/lib/server/db/';

const ROOT = join(import.meta.dirname, '../../../..');

/** Source files of src/ and server/ (no tests, no generated code). */
function sources(): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) {
				if (name !== 'paraglide' && name !== 'node_modules') walk(path);
			} else if (/\.(ts|js|svelte)$/.test(name) && !/\.(spec|test)\.ts$/.test(name))
				found.push(relative(ROOT, path).split('\\').join('/'));
		}
	};
	walk(join(ROOT, 'src'));
	walk(join(ROOT, 'server'));
	return found;
}

/** What counts as writing SQL or touching the database directly. */
const SQL_SIGNS: [string, RegExp][] = [
	['a prepared statement', /\.prepare\(/],
	['a transaction', /\.transaction\(/],
	['db.exec or a pragma', /\bdb\.(exec|pragma)\(/],
	['the raw database of the app context', /\bapp\.db\b(?!\.driver)/],
	['a Kysely query', /\.(selectFrom|insertInto|deleteFrom|updateTable|replaceInto)\(/],
	[
		'an SQL statement',
		/[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|WITH\s+\w+\s+AS)\b/
	]
];

/** Tables an owner's SQL names (FROM, JOIN, INTO, UPDATE, TABLE, and Kysely's builders). */
const tablesNamedIn = (text: string): Set<string> =>
	new Set(
		[
			...text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b/g),
			...text.matchAll(
				/\.(?:selectFrom|insertInto|deleteFrom|updateTable|replaceInto|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin)\(\s*['"`]([a-z_]+)/g
			)
		].map((m) => m[1])
	);

const owners = new Set([...Object.values(TABLE_OWNERS), ...Object.values(OTHER_ADAPTERS).flat()]);
const mayName = (file: string, table: string) =>
	TABLE_OWNERS[table] === file || (OTHER_ADAPTERS[table] ?? []).includes(file);

describe('one owner per table', () => {
	it('every table of the schema has an owner, and every owner a table', () => {
		const db = createDb(':memory:');
		const tables = (
			db
				.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
				.all() as { name: string }[]
		)
			.map((row) => row.name)
			// The migrators' own bookkeeping (db/sqlite-migrator.ts, Kysely's Migrator) belongs to db/.
			.filter((name) => !name.startsWith('kompas_migrations'));
		db.close();
		expect(tables.sort()).toEqual(Object.keys(TABLE_OWNERS).sort());
	});

	it('no SQL, transaction or raw database outside the owners and db/', () => {
		const files = sources();
		expect(files).toContain('src/lib/server/live-sessions.kysely.ts');
		expect(owners).toContain('src/lib/server/users.kysely.ts');
		const strays = files
			.filter((file) => !owners.has(file) && !file.startsWith(DB_FOLDER))
			.flatMap((file) => {
				const text = readFileSync(join(ROOT, file), 'utf8');
				return SQL_SIGNS.filter(([, sign]) => sign.test(text)).map(([what]) => `${file}: ${what}`);
			});
		expect(strays).toEqual([]);
	});

	it("each owner's SQL names only its own tables", () => {
		const foreign = [...owners].flatMap((file) =>
			[...tablesNamedIn(readFileSync(join(ROOT, file), 'utf8'))]
				.filter((table) => !mayName(file, table))
				.map((table) => `${file} names ${table} (owner: ${TABLE_OWNERS[table] ?? 'none'})`)
		);
		expect(foreign).toEqual([]);
	});
});
