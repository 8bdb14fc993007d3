/**
 * `npm run kompas -- migrate-to-postgres` against a real PostgreSQL (tests/services): an installation
 * with the Kampen demo, the imported "werk" trajectory, sessions, participants, a reopening, an
 * invitation, client owners and a board of 2,000 cards written card by card into the update log is
 * copied whole (every row equal, ids, times and bytes included), the board reads back through the
 * PostgreSQL update store as the same Yjs document, a second run is refused without a change, and
 * PostgreSQL killed halfway leaves the target without a row.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, createBoardDoc, readCards } from '../../src/lib/board/schema/index.ts';
import { CARD_KINDS } from '../../src/lib/domain/cards.ts';
import { createAppContext, type AppContext } from '../../src/lib/server/context.ts';
import {
	copySqliteToPostgres,
	verifyCopy,
	type CopyReport
} from '../../src/lib/server/db/copy-to-postgres.ts';
import { openSqlite, type SqliteDatabase } from '../../src/lib/server/db/driver.ts';
import { createDb } from '../../src/lib/server/db/open.ts';
import { connectPostgres, type PostgresDb } from '../../src/lib/server/db/postgres.ts';
import { seedKampenDemo } from '../../src/lib/server/demo.ts';
import { createPostgresStore } from '../../src/lib/server/updates/store.postgres.ts';
import { migrateToPostgres } from '../../src/lib/server/migrate-to-postgres.ts';
import { freePort, startPostgres, type PostgresServer } from '../services/services.ts';
import { board, participant } from './helpers/fixtures.ts';
import { populate } from './helpers/populate.ts';

const CARDS = 2_000;
const ROOT = join(import.meta.dirname, '../..');

let server: PostgresServer;
let admin: PostgresDb;
const dirs: string[] = [];
const pools: PostgresDb[] = [];

beforeAll(async () => {
	server = await startPostgres();
	admin = connectPostgres(server.url, { logError: () => {} });
}, 60_000);
afterAll(async () => {
	await Promise.all(pools.map((pool) => pool.close()));
	await admin?.close();
	await server?.stop();
	dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

let databases = 0;
/** A new, empty database on the test server. */
async function emptyDatabase(): Promise<{ url: string; pg: PostgresDb }> {
	const name = `target_${++databases}`;
	await sql`create database ${sql.id(name)}`.execute(admin.db);
	const url = server.url.replace(/\/kompas$/, `/${name}`);
	const pg = connectPostgres(url, { logError: () => {} });
	pools.push(pg);
	return { url, pg };
}

function dataDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'kompas-to-pg-'));
	dirs.push(dir);
	return dir;
}

/** The 2,000-card board: each card one Yjs update appended to the log, as a room stores it. */
async function bigBoard(app: AppContext, boardId: string): Promise<Y.Doc> {
	const doc = createBoardDoc({ boardId, themeName: 'Groot' });
	await app.updates.append(`board/${boardId}`, Y.encodeStateAsUpdate(doc));
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < CARDS; i++)
		addCard(doc, {
			kind: CARD_KINDS[i % CARD_KINDS.length],
			text: `Kaart ${i + 1}: wat de inwoners van Kampen samen met ons willen bereiken`,
			author: { id: `p${i % 40}`, name: `Deelnemer ${i % 40}`, perspective: 'inwoner' }
		});
	for (const update of updates) await app.updates.append(`board/${boardId}`, update);
	return doc;
}

/** An installation after use: every table holds rows. */
async function installation(): Promise<{ dir: string; boardId: string }> {
	const dir = dataDir();
	const app = await createAppContext({ dataDir: dir, secureCookies: false, origin: null });
	try {
		await populate(app);
		const fixture = await board(app);
		const anna = await participant(app, fixture, 'inwoner', 'Anna');
		await participant(app, fixture, 'aanbieder', 'Bram');
		await app.liveSessions.start(fixture.liveSessionId);
		await app.liveSessions.end(fixture.liveSessionId);
		await app.liveSessions.reopen(fixture.liveSessionId, {
			id: fixture.facilitator.id,
			name: fixture.facilitator.name
		});
		await app.invitations.create({
			trajectoryId: fixture.trajectoryId,
			role: 'observer',
			createdBy: fixture.facilitator.id
		});
		await app.clientOwners.bind(
			`board/${fixture.boardId}`,
			4_000_000_000,
			`participant:${anna.id}`
		);
		await bigBoard(app, fixture.boardId);
		return { dir, boardId: fixture.boardId };
	} finally {
		await app.close();
	}
}

const TABLES = [
	'users',
	'sessions',
	'trajectories',
	'partners',
	'themes',
	'members',
	'invitations',
	'live_sessions',
	'participants',
	'session_reopenings',
	'glossary',
	'glossary_readings',
	'realtime_updates',
	'realtime_client_owners'
];

/** One value as text, whatever the side: numbers and bigint strings alike, bytes as hex. */
const canonical = (value: unknown): string | null =>
	value === null || value === undefined
		? null
		: value instanceof Uint8Array
			? `x${Buffer.from(value).toString('hex')}`
			: String(value);
const canonicalRows = (rows: Record<string, unknown>[]) =>
	rows
		.map((row) =>
			JSON.stringify(Object.entries(row).map(([column, value]) => [column, canonical(value)]))
		)
		.sort();

function sqliteRows(db: SqliteDatabase, table: string): string[] {
	return canonicalRows(db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]);
}
async function postgresRows(pg: PostgresDb, table: string): Promise<string[]> {
	const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
		pg.db
	);
	return canonicalRows(rows);
}
async function postgresCounts(pg: PostgresDb): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const table of TABLES) {
		const { rows } = await sql<{
			n: string;
		}>`select count(*) as n from ${sql.table(table)}`.execute(pg.db);
		counts[table] = Number(rows[0].n);
	}
	return counts;
}

const run = promisify(execFile);
/** The command as an operator runs it (`npm run kompas -- …` is `tsx server/cli.ts …`). */
async function cli(dir: string, url: string) {
	try {
		const { stdout, stderr } = await run(
			'npx',
			['tsx', 'server/cli.ts', 'migrate-to-postgres', '--json'],
			{ cwd: ROOT, env: { ...process.env, KOMPAS_DATA_DIR: dir, KOMPAS_DATABASE_URL: url } }
		);
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

describe('migrate-to-postgres', () => {
	let source: { dir: string; boardId: string };
	let target: { url: string; pg: PostgresDb };
	let before: Record<string, string[]>;

	beforeAll(async () => {
		source = await installation();
		target = await emptyDatabase();
	}, 120_000);

	it('copies every row of the Kampen demo and a 2,000-card board, and the counts match', async () => {
		const result = await cli(source.dir, target.url);
		expect(result.code, result.stderr).toBe(0);
		const report = JSON.parse(result.stdout) as CopyReport;
		expect(report.ok).toBe(true);
		expect(report.sourceChanged).toBe(false);
		console.log(`migrate-to-postgres, demo + werk + 2,000-card board: ${report.ms} ms`, report);

		// Every table is in the report, holds rows, and matches on both sides.
		expect(report.tables.map((t) => t.table).sort()).toEqual([...TABLES].sort());
		for (const count of report.tables) {
			expect(count.sqlite, count.table).toBeGreaterThan(0);
			expect(count.postgres, count.table).toBe(count.sqlite);
			expect(count.equal, count.table).toBe(true);
		}
		expect(report.tables.find((t) => t.table === 'realtime_updates')?.sqlite).toBeGreaterThan(
			CARDS
		);
		// Foreign-key order: users before the sessions and trajectories that name them.
		const order = report.tables.map((t) => t.table);
		expect(order.indexOf('users')).toBeLessThan(order.indexOf('sessions'));
		expect(order.indexOf('live_sessions')).toBeLessThan(order.indexOf('participants'));
		expect(order.indexOf('glossary')).toBeLessThan(order.indexOf('glossary_readings'));

		// Every row equal, ids, times and bytes included (independent of the command's own check).
		const lite = openSqlite(join(source.dir, 'kompas.sqlite'));
		before = {};
		try {
			for (const table of TABLES) {
				const rows = sqliteRows(lite, table);
				expect(await postgresRows(target.pg, table), table).toEqual(rows);
				before[table] = rows;
			}
		} finally {
			lite.close();
		}
	}, 120_000);

	it('reads the big board back through the PostgreSQL update store as the same document', async () => {
		const app = await createAppContext({ dataDir: source.dir, secureCookies: false, origin: null });
		const fromSqlite = new Y.Doc();
		try {
			for (const update of (await app.updates.load(`board/${source.boardId}`)).updates)
				Y.applyUpdate(fromSqlite, update);
		} finally {
			await app.close();
		}
		const store = createPostgresStore(target.pg);
		const fromPostgres = new Y.Doc();
		for (const update of (await store.load(`board/${source.boardId}`)).updates)
			Y.applyUpdate(fromPostgres, update);
		expect(readCards(fromPostgres)).toHaveLength(CARDS);
		expect(readCards(fromPostgres)).toEqual(readCards(fromSqlite));
		expect(Y.encodeStateVector(fromPostgres)).toEqual(Y.encodeStateVector(fromSqlite));
		expect(Y.encodeStateAsUpdate(fromPostgres)).toEqual(Y.encodeStateAsUpdate(fromSqlite));

		// The log goes on where SQLite left off: a new update gets a higher id than any copied one.
		const { rows } = await sql<{ max: string }>`
			select max(id) as max from realtime_updates`.execute(target.pg.db);
		await store.append(`board/${source.boardId}`, new Uint8Array([0]));
		const next = await sql<{ max: string }>`
			select max(id) as max from realtime_updates`.execute(target.pg.db);
		expect(Number(next.rows[0].max)).toBe(Number(rows[0].max) + 1);
		await sql`delete from realtime_updates where id = ${next.rows[0].max}`.execute(target.pg.db);
	});

	it('refuses a second run into the now filled target and changes nothing', async () => {
		const result = await cli(source.dir, target.url);
		expect(result.code).toBe(1);
		const answer = JSON.parse(result.stdout) as { ok: boolean; error: string; message: string };
		expect(answer).toMatchObject({ ok: false, error: 'target-not-empty' });
		expect(answer.message).toContain('De doeldatabase is niet leeg: users (');
		expect(answer.message).toContain('Er is niets veranderd');
		expect(answer.message).toContain('nothing was changed');
		for (const table of TABLES)
			expect(await postgresRows(target.pg, table), table).toEqual(before[table]);
	}, 60_000);

	it('says the same in words without --json, with the counts as a table', async () => {
		const other = await emptyDatabase();
		const lines: string[] = [];
		const result = await migrateToPostgres(source.dir, {
			to: other.url,
			log: (line) => lines.push(line)
		});
		expect(result.code).toBe(0);
		expect(lines.join('\n')).toContain('Stop Kompas voordat je dit doet');
		expect(lines.join('\n')).toMatch(/realtime_updates: ([\d.]+) van \1$/m);
		expect(result.text).toMatch(/^tabel\s+SQLite\s+PostgreSQL$/m);
		expect(result.text).toMatch(/^users\s+\d+\s+\d+\s+gelijk$/m);
		expect(result.text).toContain('Alle aantallen kloppen en elke rij is gelijk.');
		const again = await migrateToPostgres(source.dir, { to: other.url, log: () => {} });
		expect(again.code).toBe(1);
		expect(again.text).toContain('De doeldatabase is niet leeg');
	}, 60_000);

	it('leaves the target without a row when PostgreSQL is killed halfway, and copies on the next run', async () => {
		const fresh = await emptyDatabase();
		const lite = createDb(join(source.dir, 'kompas.sqlite'));
		let killedAt = 0;
		try {
			await expect(
				copySqliteToPostgres(lite, fresh.pg.db, {
					batchRows: 100,
					onProgress: async ({ table, copied }) => {
						// Halfway through the update log, after every app table went in.
						if (table === 'realtime_updates' && copied >= 1_000 && !killedAt) {
							killedAt = copied;
							await server.halt({ crash: true });
						}
					}
				})
			).rejects.toThrow();
			expect(killedAt).toBeGreaterThanOrEqual(1_000);
			await server.resume();
			expect(await postgresCounts(fresh.pg)).toEqual(
				Object.fromEntries(TABLES.map((table) => [table, 0]))
			);
			// Nothing half-done stands in the way: the next run copies everything.
			const report = await copySqliteToPostgres(lite, fresh.pg.db);
			expect(report.ok).toBe(true);
			expect(await postgresRows(fresh.pg, 'realtime_updates')).toEqual(before.realtime_updates);
		} finally {
			lite.close();
		}
	}, 120_000);

	it('sees a changed byte, a changed letter, a missing row and a write to SQLite during the copy', async () => {
		const fresh = await emptyDatabase();
		const lite = createDb(join(source.dir, 'kompas.sqlite'));
		try {
			const report = await copySqliteToPostgres(lite, fresh.pg.db, {
				// Kompas still running: another connection commits while the copy reads.
				onProgress: ({ table, copied }) => {
					if (table !== 'users' || copied === 0) return;
					const kompas = openSqlite(join(source.dir, 'kompas.sqlite'));
					// A real change (SQLite does not count one that writes the same value), then undone.
					kompas.exec("UPDATE users SET name = name || '!' WHERE rowid = 1");
					kompas.exec('UPDATE users SET name = substr(name, 1, length(name) - 1) WHERE rowid = 1');
					kompas.close();
				}
			});
			expect(report.ok).toBe(true);
			expect(report.sourceChanged).toBe(true);
			expect((await verifyCopy(lite, fresh.pg.db)).ok).toBe(true);

			const doc = `board/${source.boardId}`;
			await sql`update realtime_updates set data = overlay(data placing '\\x00'::bytea from 1)
				where id = (select max(id) from realtime_updates where doc_name = ${doc})`.execute(fresh.pg.db);
			const changed = await verifyCopy(lite, fresh.pg.db);
			expect(changed.ok).toBe(false);
			expect(changed.updateLog.mismatched).toEqual([doc]);
			expect(changed.tables.every((t) => t.sqlite === t.postgres)).toBe(true);
			expect(changed.tables.filter((t) => !t.equal).map((t) => t.table)).toEqual([
				'realtime_updates'
			]);

			// One changed letter in one row of an app table, with every count still equal.
			await sql`update glossary_readings set text = text || '.'
				where id = (select min(id) from glossary_readings)`.execute(fresh.pg.db);
			const edited = await verifyCopy(lite, fresh.pg.db);
			expect(edited.tables.find((t) => t.table === 'glossary_readings')).toMatchObject({
				sqlite: 8,
				postgres: 8,
				equal: false
			});

			await sql`delete from session_reopenings`.execute(fresh.pg.db);
			const missing = await verifyCopy(lite, fresh.pg.db);
			expect(missing.tables.find((t) => t.table === 'session_reopenings')).toEqual({
				table: 'session_reopenings',
				sqlite: 1,
				postgres: 0,
				equal: false
			});
		} finally {
			lite.close();
		}
	}, 60_000);

	it('says what is wrong when there is no target, no installation or no PostgreSQL', async () => {
		const quiet = { log: () => {} };
		const none = await migrateToPostgres(source.dir, { to: undefined, ...quiet });
		expect(none.code).toBe(1);
		expect(none.text).toContain('Geef de doeldatabase op');
		const mysql = await migrateToPostgres(source.dir, { to: 'mysql://kompas@db/kompas', ...quiet });
		expect(mysql.text).toContain('moet een postgres://-adres zijn');
		const empty = await migrateToPostgres(dataDir(), { to: server.url, ...quiet });
		expect(empty.text).toContain('Geen Kompas-database gevonden');
		const port = await freePort();
		const gone = await migrateToPostgres(source.dir, {
			to: `postgres://kompas:geheim@127.0.0.1:${port}/kompas`,
			json: true
		});
		expect(gone.code).toBe(1);
		expect(gone.json).toMatchObject({ ok: false, error: 'unreachable' });
		expect(gone.text).toContain(`PostgreSQL op postgres://kompas:***@127.0.0.1:${port}/kompas`);
		expect(gone.text).not.toContain('geheim');
	}, 60_000);

	it('copies the Kampen demo alone, and says how long it took', async () => {
		const dir = dataDir();
		const app = await createAppContext({ dataDir: dir, secureCookies: false, origin: null });
		await seedKampenDemo(app, 'een lang demo wachtwoord');
		await app.close();
		const fresh = await emptyDatabase();
		const result = await migrateToPostgres(dir, { to: fresh.url, json: true });
		expect(result.code).toBe(0);
		console.log(`migrate-to-postgres, Kampen demo alone: ${result.json.ms} ms`);
		expect(await postgresCounts(fresh.pg)).toMatchObject({ users: 1, themes: 4, glossary: 2 });
	}, 60_000);
});
