/**
 * The databases a repository contract spec runs on (issue 12 item 2): the Kysely repository on
 * SQLite and on a real PostgreSQL (started once per spec file, its tables emptied before each
 * test). One contract, both dialects, so they cannot drift.
 *
 *   const databases = useTestDatabases();
 *   describe.each(databases)('users (%s)', (_name, open) => { … await open() … });
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createDb, type Db } from '../../src/lib/server/db/open.ts';
import { sqliteKysely } from '../../src/lib/server/db/kysely-sqlite.ts';
import {
	connectPostgres,
	migratePostgres,
	type PostgresDb
} from '../../src/lib/server/db/postgres.ts';
import type { Executor } from '../../src/lib/server/db/repository.ts';
import {
	createKyselySessions,
	type KyselySessions
} from '../../src/lib/server/auth/sessions.kysely.ts';
import {
	createKyselyInvitations,
	type KyselyInvitations
} from '../../src/lib/server/invitations.kysely.ts';
import {
	createKyselyTrajectories,
	type KyselyTrajectories
} from '../../src/lib/server/trajectories.kysely.ts';
import {
	createKyselyLiveSessions,
	type KyselyLiveSessions
} from '../../src/lib/server/live-sessions.kysely.ts';
import { createEvents, type Events, type KompasEventName } from '../../src/lib/server/events.ts';
import {
	createKyselyParticipants,
	type KyselyParticipants
} from '../../src/lib/server/participants.kysely.ts';
import { createKyselyUsers, type KyselyUsers } from '../../src/lib/server/users.kysely.ts';
import type { Database } from '../../src/lib/server/db/tables.ts';
import { startPostgres, type PostgresServer } from './services.ts';

/** A fresh database: a Kysely one of either dialect. */
export type TestDatabase = { kind: 'kysely'; db: Executor };

export type OpenTestDatabase = () => Promise<TestDatabase>;

/**
 * A migrated PostgreSQL for a spec file: started before its tests and stopped after them. The pool
 * is `.db`, the address `.url` (for a second pool: another node); read them in a test or a hook,
 * not at the file's top level.
 */
export function useMigratedPostgres(): PostgresDb & { readonly url: string } {
	let server: PostgresServer | undefined;
	let pg: PostgresDb | undefined;
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
	return {
		get db() {
			if (!pg) throw new Error('PostgreSQL did not start');
			return pg.db;
		},
		get url() {
			if (!server) throw new Error('PostgreSQL did not start');
			return server.url;
		},
		// The hooks above end the pool.
		close: async () => {}
	};
}

/**
 * Registers the hooks (PostgreSQL started before the file's tests and stopped after them, SQLite
 * databases closed after each test) and returns the backends for `describe.each`.
 */
export function useTestDatabases(): [name: string, open: OpenTestDatabase][] {
	const sqlites: Db[] = [];
	const sqlite = () => {
		const db = createDb(':memory:');
		sqlites.push(db);
		return db;
	};
	afterEach(() => sqlites.splice(0).forEach((db) => db.close()));

	const pg = useMigratedPostgres();

	return [
		['kysely-sqlite', async () => ({ kind: 'kysely', db: sqliteKysely<Database>(sqlite()) })],
		[
			'kysely-postgres',
			async () => {
				// A clean PostgreSQL for each test (the tables, not the cluster: that takes seconds).
				const { rows } = await sql<{ tables: string }>`
					select string_agg(quote_ident(tablename), ', ') as tables from pg_tables
					where schemaname = 'public' and tablename not like 'kompas_migrations%'`.execute(pg.db);
				await sql`truncate ${sql.raw(rows[0].tables)} cascade`.execute(pg.db);
				return { kind: 'kysely', db: pg.db };
			}
		]
	];
}

/**
 * Runs raw SQL that reads the same on both dialects (for a spec to look at or change rows behind a
 * repository's back) and returns its rows.
 */
export async function rawSql<Row>(database: TestDatabase, text: string): Promise<Row[]> {
	const { rows } = await sql<Row>`${sql.raw(text)}`.execute(database.db);
	return rows;
}

/** The repositories a contract runs against. */
export interface TestRepositories {
	users: KyselyUsers;
	sessions: KyselySessions;
	invitations: KyselyInvitations;
	trajectories: KyselyTrajectories;
	liveSessions: KyselyLiveSessions;
	participants: KyselyParticipants;
}

/** The Kysely repositories on `database`. */
export function testRepositories(
	database: TestDatabase,
	now: () => Date,
	events?: Pick<Events, 'emit'>
): TestRepositories {
	const users = createKyselyUsers(database.db, now);
	const liveSessions = createKyselyLiveSessions(database.db, now, events);
	return {
		users,
		sessions: createKyselySessions(database.db, users, now),
		invitations: createKyselyInvitations(database.db, now),
		trajectories: createKyselyTrajectories(database.db, users, now),
		liveSessions,
		participants: createKyselyParticipants(database.db, liveSessions, now, events)
	};
}

/**
 * A contract spec's start (`setup` in each `<owner>.spec.ts`): a fresh database from `open`, the
 * repositories on it, a clock the test moves with `advance`, and raw SQL on the same database.
 * `events` receives what the repositories emit.
 */
export async function openContract(
	open: OpenTestDatabase,
	options: { start?: number; events?: Pick<Events, 'emit'> } = {}
) {
	let clock = options.start ?? new Date('2026-01-01T10:00:00Z').getTime();
	const now = () => new Date(clock);
	const database = await open();
	return {
		database,
		now,
		advance: (ms = 1) => (clock += ms),
		sql: <Row>(text: string) => rawSql<Row>(database, text),
		...testRepositories(database, now, options.events)
	};
}

/** App events that record what was emitted of `names`, in order. */
export function recordedEvents(names: readonly KompasEventName[]) {
	const events = createEvents();
	const emitted: { name: KompasEventName; payload: unknown }[] = [];
	for (const name of names) events.on(name, (payload) => emitted.push({ name, payload }));
	return { events, emitted };
}
